package dev.divergence.registry.pypi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.divergence.registry.pypi.Pep508.Requirement;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code [tool.poetry.dependencies]} as poetry-core publishes them (https://python-poetry.org/docs/dependency-specification/):
 * its constraints turned into PEP 440 ranges ({@code ^1.2} → {@code >=1.2,<2.0}, {@code ~1.2} → {@code >=1.2,<1.3},
 * {@code 1.2.3} → {@code ==1.2.3}), git dependencies into {@code name @ git+URL@REF}, optional ones published only
 * under the {@code [tool.poetry.extras]} naming them. A constraint poetry-core computes further (a union, a list of
 * constraints, a {@code python}/{@code platform}/{@code markers} condition it turns into markers) is kept as unknown
 * (its specifiers, or its marker), never guessed.
 */
final class PoetryDependencies {

    private static final Pattern ONE = Pattern.compile("^(\\^|~=|~|==|=|!=|>=|<=|>|<)?\\s*(v?\\d+(?:\\.\\d+)*)(\\.\\*)?"
            + "([-_.]?[A-Za-z][A-Za-z0-9.+-]*)?$");

    private PoetryDependencies() {
    }

    /** Every requirement {@code [tool.poetry]} publishes, with the extra that requires it. */
    static List<Requirement> of(JsonNode poetry) {
        Map<String, List<String>> extrasOf = new java.util.HashMap<>();
        poetry.path("extras").fields().forEachRemaining(e -> e.getValue().forEach(
                n -> extrasOf.computeIfAbsent(Pep508.normalize(n.asText()), k -> new ArrayList<>())
                        .add(Pep508.normalize(e.getKey()))));
        List<Requirement> out = new ArrayList<>();
        poetry.path("dependencies").fields().forEachRemaining(e -> {
            if (e.getKey().equalsIgnoreCase("python")) {
                return;
            }
            Requirement r = requirement(e.getKey(), e.getValue());
            if (e.getValue().path("optional").asBoolean(false)) {
                extrasOf.getOrDefault(r.name(), List.of()).forEach(x -> out.add(r.inGroup(x)));
            } else {
                out.add(r);
            }
        });
        return out;
    }

    private static Requirement requirement(String name, JsonNode spec) {
        String n = Pep508.normalize(name);
        if (spec.isTextual()) {
            return new Requirement(n, List.of(), specifiers(spec.asText()), Optional.empty(), Optional.of(""), "");
        }
        if (!spec.isObject()) {
            // a list of constraints, each with its own python/platform condition: not modelled
            return new Requirement(n, List.of(), Optional.empty(), Optional.empty(), Optional.empty(), "");
        }
        TreeSet<String> extras = new TreeSet<>();
        spec.path("extras").forEach(x -> extras.add(Pep508.normalize(x.asText())));
        Optional<String> marker = spec.has("python") || spec.has("platform") || spec.has("markers")
                ? Optional.empty() : Optional.of("");
        Optional<String> url = Optional.empty();
        Optional<List<String>> specifiers = Optional.of(List.of());
        if (spec.has("git")) {
            String git = spec.path("git").asText();
            String ref = spec.has("rev") ? spec.path("rev").asText() : spec.has("tag") ? spec.path("tag").asText()
                    : spec.path("branch").asText("");
            url = Optional.of((git.startsWith("git+") ? git : "git+" + git) + (ref.isEmpty() ? "" : "@" + ref)
                    + (spec.has("subdirectory") ? "#subdirectory=" + spec.path("subdirectory").asText() : ""));
        } else if (spec.has("url")) {
            url = Optional.of(spec.path("url").asText());
        } else if (spec.has("path")) {
            specifiers = Optional.empty(); // published as a file: URL of the build machine's absolute path
        } else {
            specifiers = specifiers(spec.path("version").asText("*"));
        }
        return new Requirement(n, List.copyOf(extras), specifiers, url, marker, "");
    }

    /**
     * The PEP 440 specifiers poetry-core writes for a constraint, canonical (see {@link Pep508#specifier}); empty
     * when the constraint is a union or a form not modelled here.
     */
    static Optional<List<String>> specifiers(String constraint) {
        String c = constraint.strip();
        if (c.contains("||") || c.contains(" - ")) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        int lower = 0;
        int upper = 0;
        for (String part : c.split("\\s*,\\s*|(?<![<>=!~^])\\s+")) {
            String p = part.strip();
            if (p.isEmpty() || p.equals("*") || p.equalsIgnoreCase("x")) {
                continue;
            }
            Matcher m = ONE.matcher(p);
            if (!m.matches()) {
                return Optional.empty();
            }
            String op = m.group(1) == null ? "" : m.group(1);
            String version = m.group(2).replaceFirst("^v", "") + (m.group(4) == null ? "" : m.group(4));
            boolean wildcard = m.group(3) != null;
            List<BigInteger> release = new ArrayList<>();
            for (String s : m.group(2).replaceFirst("^v", "").split("\\.")) {
                release.add(new BigInteger(s));
            }
            List<String> specs = new ArrayList<>();
            if (wildcard) {
                if (m.group(4) != null || !(op.isEmpty() || op.equals("==") || op.equals("=") || op.equals("!="))) {
                    return Optional.empty();
                }
                specs.add((op.equals("!=") ? "!=" : "==") + m.group(2).replaceFirst("^v", "") + ".*");
            } else {
                switch (op) {
                    case "^" -> {
                        specs.add(">=" + version);
                        specs.add("<" + caret(release));
                    }
                    case "~" -> {
                        specs.add(">=" + version);
                        specs.add("<" + bump(release, release.size() == 1 ? 0 : 1));
                    }
                    case "~=" -> {
                        if (release.size() < 2) {
                            return Optional.empty();
                        }
                        specs.add(">=" + version);
                        specs.add("<" + bump(release, release.size() - 2));
                    }
                    case "", "=", "==" -> specs.add("==" + version);
                    default -> specs.add(op + version);
                }
            }
            for (String s : specs) {
                Optional<String> canonical = Pep508.specifier(s);
                if (canonical.isEmpty()) {
                    return Optional.empty();
                }
                lower += s.startsWith(">") ? 1 : 0;
                upper += s.startsWith("<") ? 1 : 0;
                out.add(canonical.get());
            }
        }
        if (lower > 1 || upper > 1) {
            return Optional.empty(); // poetry-core intersects the ranges into one: not modelled
        }
        return Optional.of(List.copyOf(new TreeSet<>(out)));
    }

    /** {@code Version.next_breaking}: the next major, or for 0.x the next minor, or for 0.0.x the next patch. */
    private static String caret(List<BigInteger> release) {
        if (release.get(0).signum() > 0 || release.size() == 1) {
            return bump(release, 0);
        }
        if (release.get(1).signum() > 0 || release.size() == 2) {
            return bump(release, 1);
        }
        return bump(release, 2);
    }

    /** The release with component {@code at} incremented and the ones after it zero. */
    private static String bump(List<BigInteger> release, int at) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i <= at; i++) {
            sb.append(i == 0 ? "" : ".").append(i == at ? release.get(i).add(BigInteger.ONE) : release.get(i));
        }
        return sb.toString();
    }
}
