package dev.divergence.source;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the tags that name a version, tolerant of the schemes real projects use ({@code v1.2.3},
 * {@code 1.2.3}, {@code name-1.2.3}, {@code name@1.2.3}, {@code @scope/name@1.2.3}, {@code release/1.2.3},
 * {@code rel/name-1.2.3}, {@code 1.2.3.RELEASE}, {@code v_1.2.3}, {@code NAME_1_2_3}) after Oracle Macaron's
 * matcher. A prefix is only stripped whole and the rest must parse as a version equal to the release's, so
 * {@code 11.33} never matches {@code 1.33} and {@code v1.2.30} never matches {@code 1.2.3}. Tags named after the
 * repository or after a Maven artifactId without its trailing digits ({@link #derivedForms}) rank after every
 * spelling of the package's own name.
 */
public final class TagMatcher {

    /** A tag that names the version; {@code rank} 0 is an exact spelling, higher is looser. */
    public record TagMatch(String tag, int rank) {
    }

    private static final List<String> GENERIC_PREFIXES = List.of(
            "release/", "releases/", "rel/", "version/", "tags/", "release-", "release_", "version-", "ver-", "v.", "v_",
            "v", "r", "");

    /** Between a package name and its version: {@code name-1.0}, {@code name@1.0}, {@code NAME_1_0}, {@code name/1.0}. */
    private static final List<String> SEPARATORS = List.of("-", "@", "_", "/");

    /** How much lower a tag named after a derived name (the repository, an artifactId without digits) ranks. */
    private static final int DERIVED = 2;

    private TagMatcher() {
    }

    /** All tags that spell {@code version} for package {@code name}, best first. */
    public static List<TagMatch> match(String version, String name, Iterable<String> tags) {
        return index(name, tags).match(version);
    }

    /**
     * The tags of a repository read once for one package name: every spelling a tag can stand for is derived
     * (and parsed) once, so matching a version is a few map lookups instead of a pass over every tag. A history
     * of N versions and N tags costs O(N), not O(N²).
     */
    public static Index index(String name, Iterable<String> tags) {
        return index(name, Optional.empty(), tags);
    }

    /**
     * As {@link #index(String, Iterable)}, also reading tags named after the repository ({@code SLF4J_1.3.0} in
     * qos-ch/slf4j for {@code org.slf4j/slf4j-api}) and after a Maven artifactId without its trailing digits
     * ({@code commons-pool-2.6.1}, {@code POOL_2_2} for {@code commons-pool2}). Those derived names rank after every
     * spelling of the package's own name, so a module's own tag always wins over the repository's or a sibling's.
     */
    public static Index index(String name, Optional<String> repository, Iterable<String> tags) {
        List<String> names = nameForms(name);
        List<String> derived = derivedForms(name, repository).stream().filter(n -> !names.contains(n)).toList();
        Map<String, List<String>> exact = new HashMap<>();       // tag text (without refs/tags/) -> tags
        Map<String, Map<String, Integer>> loose = new HashMap<>(); // canonical version -> tag -> rank 2 to 5
        for (String tag : tags) {
            String t = tag.startsWith("refs/tags/") ? tag.substring("refs/tags/".length()) : tag;
            exact.computeIfAbsent(t, k -> new ArrayList<>()).add(tag);
            String lower = t.toLowerCase(Locale.ROOT);
            // Strip "rel/" and the like, then an optional package name, then an optional "v".
            for (String outer : List.of("release/", "releases/", "rel/", "tags/", "")) {
                if (!lower.startsWith(outer)) {
                    continue;
                }
                String rest = lower.substring(outer.length());
                int rank = outer.isEmpty() ? 2 : 3;
                Map<String, Integer> candidates = new HashMap<>(); // what is left after a prefix -> its rank
                for (String n : names) {
                    for (String sep : SEPARATORS) {
                        if (rest.startsWith(n + sep)) {
                            candidates.merge(rest.substring(n.length() + sep.length()), rank, Math::min);
                        }
                    }
                }
                for (String p : GENERIC_PREFIXES) {
                    if (rest.startsWith(p)) {
                        candidates.merge(rest.substring(p.length()), rank, Math::min);
                    }
                }
                for (String n : derived) {
                    for (String sep : SEPARATORS) {
                        if (rest.startsWith(n + sep)) {
                            candidates.merge(rest.substring(n.length() + sep.length()), rank + DERIVED, Math::min);
                        }
                    }
                }
                Map<String, Integer> versions = new HashMap<>(); // canonical version -> best rank in this outer
                candidates.forEach((raw, r) -> {
                    String c = dotted(raw);
                    if (!c.isEmpty() && Character.isDigit(c.charAt(0))) {
                        VersionSpelling.parse(c).ifPresent(v -> versions.merge(v.canonical(), r, Math::min));
                    }
                });
                // The first outer prefix that yields the version decides the rank, as in a scan of rules.
                versions.forEach((v, r) -> loose.computeIfAbsent(v, k -> new HashMap<>()).putIfAbsent(tag, r));
            }
        }
        return new Index(names, derived, exact, loose);
    }

    /**
     * CVS-era tags ({@code NAME_1_0}, {@code POOL_1_5_RC1}) write the dots of a version as underscores: a version
     * without a dot has each underscore between two digits read as one. A version with dots keeps its underscores
     * ({@code 1.8.0_beta2}, which {@link VersionSpelling} reads as a separator).
     */
    public static String dotted(String raw) {
        return raw.contains(".") ? raw : raw.replaceAll("(?<=\\d)_(?=\\d)", ".");
    }

    /** See {@link #index}. Immutable once built; safe to share between threads. */
    public static final class Index {
        private final List<String> names;
        private final List<String> derived;
        private final Map<String, List<String>> exact;
        private final Map<String, Map<String, Integer>> loose;

        private Index(List<String> names, List<String> derived, Map<String, List<String>> exact,
                      Map<String, Map<String, Integer>> loose) {
            this.names = names;
            this.derived = derived;
            this.exact = exact;
            this.loose = loose;
        }

        /** All tags that spell {@code version}, best first; a tag's rank is that of the first rule it meets. */
        public List<TagMatch> match(String version) {
            Map<String, Integer> ranks = new HashMap<>();
            for (String t : List.of(version, "v" + version)) {
                exact.getOrDefault(t, List.of()).forEach(tag -> ranks.putIfAbsent(tag, 0));
            }
            for (String n : names) {
                for (String sep : List.of("-", "@", "_", "/", "-v", "@v", "_v", "/v")) {
                    exact.getOrDefault(n + sep + version, List.of()).forEach(tag -> ranks.putIfAbsent(tag, 1));
                }
            }
            VersionSpelling.parse(version).ifPresent(want -> loose.getOrDefault(want.canonical(), Map.of())
                    .forEach(ranks::putIfAbsent));
            for (String n : derived) {
                for (String sep : SEPARATORS) {
                    exact.getOrDefault(n + sep + version, List.of()).forEach(tag -> ranks.merge(tag, 2 + DERIVED,
                            Math::min));
                }
            }
            List<TagMatch> out = new ArrayList<>();
            ranks.forEach((tag, rank) -> out.add(new TagMatch(tag, rank)));
            out.sort(Comparator.comparingInt(TagMatch::rank).thenComparing(TagMatch::tag));
            return out;
        }
    }

    /** The forms a package name takes in tags: as given, lowercase, the npm name without scope, Maven artifactId. */
    static List<String> nameForms(String name) {
        List<String> forms = new ArrayList<>();
        String lower = name.toLowerCase(Locale.ROOT);
        forms.add(lower);
        if (lower.contains("/")) {
            String artifact = lower.substring(lower.lastIndexOf('/') + 1);
            forms.add(artifact); // @scope/name -> name; group/artifact -> artifact
            if (!lower.startsWith("@") && artifact.contains("-")) {
                forms.add(artifact.substring(artifact.lastIndexOf('-') + 1)); // commons-cli -> cli (cli-1.2, CLI_1_0)
            }
        }
        forms.add(lower.replace('-', '_'));
        forms.add(lower.replace('_', '-'));
        return forms.stream().distinct().toList();
    }

    /**
     * Names a project's tags use that are not the package's own: the repository's name, and for a Maven artifactId
     * ending in digits (a major version in the name: {@code commons-pool2}, {@code commons-lang3}) the artifactId
     * without them and its last component ({@code commons-pool}, {@code pool}), as the project was named before.
     */
    static List<String> derivedForms(String name, Optional<String> repository) {
        List<String> forms = new ArrayList<>();
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.contains("/") && !lower.startsWith("@")) {
            String artifact = lower.substring(lower.lastIndexOf('/') + 1);
            String undigited = artifact.replaceFirst("\\d+$", "");
            if (!undigited.equals(artifact) && undigited.length() >= 2 && Character.isLetter(
                    undigited.charAt(undigited.length() - 1))) {
                forms.add(undigited);
                if (undigited.contains("-")) {
                    forms.add(undigited.substring(undigited.lastIndexOf('-') + 1));
                }
            }
        }
        repository.map(r -> r.toLowerCase(Locale.ROOT)).filter(r -> !r.isBlank()).ifPresent(forms::add);
        List<String> out = new ArrayList<>();
        for (String f : forms) {
            out.add(f);
            out.add(f.replace('-', '_'));
            out.add(f.replace('_', '-'));
        }
        return out.stream().distinct().toList();
    }
}
