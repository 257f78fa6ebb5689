package dev.divergence.registry.npm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.divergence.model.RiskFlag;
import dev.divergence.registry.GeneratedFiles.EntryFinding;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * npm manifest confusion: the packument's version document is what {@code npm install} resolves dependencies
 * from and reads install scripts from ({@code hasInstallScript} tells it whether to run any), and the registry
 * never checks it against the tarball's package.json, which is all a reviewer (and a file comparison) reads. A
 * publisher can ship a clean tarball and a version document with a new dependency and a postinstall. Compared here
 * field by field after npm's own normalisation: dependencies, bundled dependencies, install scripts and
 * {@code hasInstallScript} differing is HIGH_RISK; {@code bin}, {@code main} and {@code exports} differing is a
 * finding (HIGH_RISK when a registry-only command shadows a common one).
 * See https://blog.vlt.sh/blog/the-massive-hole-in-the-npm-ecosystem.
 */
final class NpmRegistryManifest {

    /** The registry manifest changes what npm installs or runs at install time. */
    static final String INSTALL_DIFFERS = "npm.registry-manifest.install-differs";
    /** The registry manifest names other commands or module entries than the tarball's package.json. */
    static final String ENTRIES_DIFFER = "npm.registry-manifest.entries-differ";

    private static final ObjectMapper JSON = dev.divergence.registry.ManifestParsers.JSON;
    private static final List<String> KEPT = List.of("name", "dependencies", "optionalDependencies",
            "peerDependencies", "bundleDependencies", "bundledDependencies", "hasInstallScript", "bin", "main",
            "exports", "gypfile");
    /** Publish metadata npm writes into the version document (not the tarball): what a rebuild must match. */
    static final List<String> PUBLISH = List.of("_nodeVersion", "_npmVersion");

    private NpmRegistryManifest() {
    }

    /**
     * The fields of a packument version document that decide what installing it does (scripts: install-time only),
     * plus the publish metadata ({@code _nodeVersion}, {@code _npmVersion}) the rebuild strategy reads.
     */
    static ObjectNode select(JsonNode version) {
        ObjectNode o = JSON.createObjectNode();
        for (String f : PUBLISH) {
            if (version.path(f).isTextual()) {
                o.set(f, version.get(f));
            }
        }
        for (String f : KEPT) {
            if (version.has(f)) {
                o.set(f, version.get(f));
            }
        }
        ObjectNode scripts = JSON.createObjectNode();
        for (String s : NpmGeneratedFiles.LIFECYCLE) {
            if (version.path("scripts").has(s)) {
                scripts.set(s, version.path("scripts").get(s));
            }
        }
        if (version.path("scripts").isObject()) {
            o.set("scripts", scripts);
        }
        if (version.path("directories").path("bin").isTextual()) {
            o.putObject("directories").set("bin", version.path("directories").path("bin"));
        }
        return o;
    }

    /**
     * Findings on the tarball's package.json at {@code manifestPath} ({@code root} its folder, e.g. {@code package/}).
     *
     * @param tarballPaths every entry path of the tarball, for {@code binding.gyp} and {@code directories.bin}
     */
    static List<EntryFinding> compare(String registryJson, byte[] packageJson, String manifestPath, String root,
                                      Set<String> tarballPaths) {
        JsonNode reg;
        JsonNode tar;
        try {
            reg = JSON.readTree(registryJson);
            tar = JSON.readTree(packageJson);
        } catch (IOException e) {
            return List.of(); // a malformed package.json is a consistency finding of its own
        }
        if (reg == null || !reg.isObject() || tar == null || !tar.isObject()) {
            return List.of();
        }
        List<String> high = new ArrayList<>();
        List<String> other = new ArrayList<>();
        Set<RiskFlag> flags = EnumSet.noneOf(RiskFlag.class);
        if (dependencies(reg, tar, high)) {
            flags.add(RiskFlag.NEW_DEPENDENCY);
        }
        if (installScripts(reg, tar, tarballPaths.contains(root + "binding.gyp"), high)) {
            flags.add(RiskFlag.INSTALL_SCRIPT);
        }
        if (bins(reg, tar, root, tarballPaths, high, other)) {
            flags.add(RiskFlag.ENTRY_POINT);
        }
        String rm = NpmEntryPoints.cleanPath(reg.path("main").asText(""));
        String tm = NpmEntryPoints.cleanPath(tar.path("main").asText(""));
        if (!rm.equals(tm)) {
            other.add("main " + show(rm) + " (package.json: " + show(tm) + ")");
        }
        if (!Objects.equals(NpmEntryPoints.exportSubpaths(reg.path("exports")),
                NpmEntryPoints.exportSubpaths(tar.path("exports")))) {
            other.add("exports " + NpmEntryPoints.exportSubpaths(reg.path("exports")) + " (package.json: "
                    + NpmEntryPoints.exportSubpaths(tar.path("exports")) + ")");
        }
        if (high.isEmpty() && other.isEmpty()) {
            return List.of();
        }
        List<String> all = new ArrayList<>(high);
        all.addAll(other);
        String detail = "the registry's manifest, which npm install obeys, differs from this package.json: "
                + String.join("; ", all);
        return List.of(new EntryFinding(manifestPath, high.isEmpty() ? ENTRIES_DIFFER : INSTALL_DIFFERS, flags,
                !high.isEmpty(), detail));
    }

    private static String show(String s) {
        return s.isEmpty() ? "(none)" : s;
    }

    /** Runtime (dependencies with optionalDependencies) and peer dependencies, and the bundled set. */
    private static boolean dependencies(JsonNode reg, JsonNode tar, List<String> out) {
        int before = out.size();
        diff("dependency", runtime(reg), runtime(tar), out);
        diff("peer dependency", deps(reg.path("peerDependencies")), deps(tar.path("peerDependencies")), out);
        Set<String> rb = bundled(reg);
        Set<String> tb = bundled(tar);
        if (!rb.equals(tb)) {
            out.add("bundleDependencies " + rb + " (package.json: " + tb + ")");
        }
        return out.size() > before;
    }

    private static void diff(String what, Map<String, String> reg, Map<String, String> tar, List<String> out) {
        reg.forEach((name, spec) -> {
            String t = tar.get(name);
            if (t == null) {
                out.add("adds " + what + " " + name + " " + spec);
            } else if (!t.equals(spec)) {
                out.add("changes " + what + " " + name + " to " + spec + " (package.json: " + t + ")");
            }
        });
        tar.forEach((name, spec) -> {
            if (!reg.containsKey(name)) {
                out.add("drops " + what + " " + name + " " + spec);
            }
        });
    }

    /**
     * npm merges optionalDependencies into dependencies (older clients copied them there, newer ones remove them
     * from dependencies): one map, the optional spec winning, as npm installs it.
     */
    private static Map<String, String> runtime(JsonNode pkg) {
        Map<String, String> m = deps(pkg.path("dependencies"));
        m.putAll(deps(pkg.path("optionalDependencies")));
        return m;
    }

    /**
     * A dependency object as npm normalises it: an array or space/comma separated string of names means any version
     * ({@code *}); non-string specs are dropped; hosted git shorthands are spelled one way.
     */
    private static Map<String, String> deps(JsonNode n) {
        Map<String, String> m = new TreeMap<>();
        if (n.isArray()) {
            n.forEach(x -> m.put(x.asText().trim(), "*"));
        } else if (n.isTextual()) {
            for (String x : n.asText().trim().split("[\\s,]+")) {
                if (!x.isEmpty()) {
                    m.put(x, "*");
                }
            }
        } else if (n.isObject()) {
            n.fields().forEachRemaining(e -> {
                if (e.getValue().isTextual()) {
                    m.put(e.getKey(), spec(e.getValue().asText()));
                }
            });
        }
        return m;
    }

    private static final java.util.regex.Pattern GITHUB = java.util.regex.Pattern.compile(
            "^(?:github:|(?:git\\+)?(?:https?|ssh|git)://(?:git@)?github\\.com/|git@github\\.com:)?"
                    + "([A-Za-z0-9][\\w.-]*)/([\\w.-]+?)(?:\\.git)?(#.*)?$");

    /** {@code ""} is {@code *}; {@code user/repo}, {@code github:user/repo} and GitHub git URLs are one spelling. */
    static String spec(String s) {
        String t = s.trim();
        if (t.isEmpty()) {
            return "*";
        }
        java.util.regex.Matcher gh = GITHUB.matcher(t);
        return gh.matches() ? "github:" + gh.group(1) + "/" + gh.group(2) + Optional.ofNullable(gh.group(3)).orElse("")
                : t;
    }

    private static Set<String> bundled(JsonNode pkg) {
        JsonNode b = pkg.has("bundleDependencies") ? pkg.get("bundleDependencies") : pkg.path("bundledDependencies");
        Set<String> s = new TreeSet<>();
        if (b.isBoolean() && b.asBoolean()) {
            s.addAll(deps(pkg.path("dependencies")).keySet()); // true: every dependency is bundled
        } else if (b.isArray()) {
            b.forEach(x -> s.add(x.asText()));
        }
        return s;
    }

    /**
     * preinstall/install/postinstall, with npm's implicit {@code install: node-gyp rebuild} for a root binding.gyp
     * (absent or spelled out in the registry manifest alike), and {@code hasInstallScript} against what the
     * tarball implies.
     */
    private static boolean installScripts(JsonNode reg, JsonNode tar, boolean gyp, List<String> out) {
        int before = out.size();
        JsonNode rs = reg.path("scripts");
        JsonNode ts = tar.path("scripts");
        boolean implicitGyp = gyp && !tar.path("gypfile").asText("").equals("false") && !ts.has("install")
                && !ts.has("preinstall");
        for (String s : NpmGeneratedFiles.LIFECYCLE) {
            String r = rs.path(s).isTextual() ? rs.path(s).asText() : null;
            String t = ts.path(s).isTextual() ? ts.path(s).asText() : null;
            if (Objects.equals(r, t)) {
                continue;
            }
            if (s.equals("install") && implicitGyp && t == null && "node-gyp rebuild".equals(r)) {
                continue;
            }
            if (r == null) {
                out.add("drops " + s + ": " + abbreviate(t));
            } else {
                out.add((t == null ? "adds " : "changes ") + s + ": " + abbreviate(r)
                        + (t == null ? "" : " (package.json: " + abbreviate(t) + ")"));
            }
        }
        if (reg.path("hasInstallScript").isBoolean()) {
            boolean implied = implicitGyp || NpmGeneratedFiles.LIFECYCLE.stream().anyMatch(s -> ts.path(s).isTextual());
            if (reg.path("hasInstallScript").asBoolean() != implied) {
                out.add("hasInstallScript " + reg.path("hasInstallScript").asBoolean() + " (package.json implies "
                        + implied + ")");
            }
        }
        return out.size() > before;
    }

    /**
     * Commands: a registry-only name that shadows a common command is HIGH_RISK, any other difference a finding.
     * A package.json with {@code directories.bin} and no {@code bin} gets one command per file there at publish.
     */
    private static boolean bins(JsonNode reg, JsonNode tar, String root, Set<String> tarballPaths, List<String> high,
                                List<String> other) {
        Map<String, String> rb = NpmEntryPoints.bins(reg);
        Map<String, String> tb = NpmEntryPoints.bins(tar);
        String binDir = tar.has("bin") ? "" : NpmEntryPoints.cleanPath(tar.path("directories").path("bin").asText(""));
        boolean shadow = false;
        for (Map.Entry<String, String> e : rb.entrySet()) {
            String t = tb.get(e.getKey());
            if (e.getValue().equals(t)) {
                continue;
            }
            if (t == null && !binDir.isEmpty() && e.getValue().startsWith(binDir.replaceFirst("/?$", "/"))
                    && tarballPaths.contains(root + e.getValue())) {
                continue; // expanded from directories.bin at publish
            }
            String d = (t == null ? "adds bin " : "retargets bin ") + e.getKey() + " -> " + e.getValue()
                    + (t == null ? "" : " (package.json: " + t + ")");
            if (t == null && NpmEntryPoints.shadowsCommonCommand(e.getKey())) {
                high.add(d + ", shadowing a common command");
                shadow = true;
            } else {
                other.add(d);
            }
        }
        tb.forEach((name, target) -> {
            if (!rb.containsKey(name)) {
                other.add("drops bin " + name + " -> " + target);
            }
        });
        return shadow;
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
