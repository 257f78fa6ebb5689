package dev.divergence.registry.npm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The commands and module entries a package.json declares, normalised the way npm reads them, and what a published
 * manifest adds to its source's. A {@code bin} is linked onto the consumer's PATH under its name: a new name that
 * is a common command ({@code npm}, {@code node}, {@code git}, {@code sh}) takes that command over for every script
 * that runs it. An {@code exports} subpath is a module {@code require}/{@code import} can load.
 * See https://docs.npmjs.com/cli/configuring-npm/package-json#bin and https://nodejs.org/api/packages.html#exports.
 */
final class NpmEntryPoints {

    private NpmEntryPoints() {
    }

    /**
     * What a published manifest's entries add to its source's (both already normalised): commands, and module entries
     * ({@code exports} subpaths and targets, {@code imports} entries and targets, {@code browser} replacements).
     */
    record Changes(List<String> shadowing, List<String> newBins, List<String> newEntries) {
        boolean highRisk() {
            return !shadowing.isEmpty() || !newEntries.isEmpty();
        }
    }

    /** Type declarations: read by TypeScript, never loaded by Node or a bundler. */

    /**
     * {@code bin} as npm links it: a string is one command named after the package (scope dropped), paths without
     * a leading {@code ./}; a name is its last path segment (npm refuses to link outside the bin directory).
     */
    static Map<String, String> bins(JsonNode pkg) {
        Map<String, String> out = new TreeMap<>();
        JsonNode bin = pkg.path("bin");
        if (bin.isTextual()) {
            String name = pkg.path("name").asText("");
            out.put(name.substring(name.lastIndexOf('/') + 1), cleanPath(bin.asText()));
        } else if (bin.isObject()) {
            bin.fields().forEachRemaining(e -> {
                if (e.getValue().isTextual()) {
                    String n = e.getKey().replace('\\', '/');
                    out.put(n.substring(n.lastIndexOf('/') + 1), cleanPath(e.getValue().asText()));
                }
            });
        }
        return out;
    }

    /**
     * The commands npm derives from {@code directories.bin} when there is no {@code bin} (read-package-json: every
     * file under that folder, at any depth, linked under its file name): name to path, from the package's files
     * (paths relative to the package root).
     */
    static Map<String, String> directoryBins(JsonNode pkg, java.util.Collection<String> files) {
        Map<String, String> out = new TreeMap<>();
        JsonNode dir = pkg.path("directories").path("bin");
        if (pkg.has("bin") || !dir.isTextual()) {
            return out;
        }
        String prefix = cleanPath(dir.asText()).replaceFirst("/+$", "");
        if (prefix.isEmpty() || prefix.equals(".")) {
            prefix = "";
        } else {
            prefix = prefix + "/";
        }
        for (String f : files) {
            if (f.startsWith(prefix) && !f.endsWith("/")) {
                out.putIfAbsent(f.substring(f.lastIndexOf('/') + 1), f);
            }
        }
        return out;
    }

    static boolean shadowsCommonCommand(String binName) {
        return dev.divergence.registry.CommonCommands.shadows(binName);
    }

    /**
     * Subpath to its targets (every string leaf under it, conditions flattened). A string or a conditions object
     * (keys not starting with {@code .}) is the {@code "."} subpath.
     */
    static Map<String, Set<String>> exportSubpaths(JsonNode exports) {
        Map<String, Set<String>> out = new TreeMap<>();
        if (exports.isMissingNode() || exports.isNull()) {
            return out;
        }
        boolean subpaths = exports.isObject() && exports.fieldNames().hasNext()
                && exports.fieldNames().next().startsWith(".");
        if (subpaths) {
            exports.fields().forEachRemaining(e -> out.put(e.getKey(), leaves(e.getValue())));
        } else {
            out.put(".", leaves(exports));
        }
        return out;
    }

    private static Set<String> leaves(JsonNode n) {
        Set<String> s = new java.util.TreeSet<>();
        if (n.isTextual()) {
            s.add(cleanPath(n.asText()));
        } else if (n.isContainerNode()) {
            n.forEach(c -> s.addAll(leaves(c)));
        }
        return s;
    }

    /**
     * Every key to the files (or packages) it loads at run time: a string leaf, conditions flattened, fallback arrays
     * walked; {@code types}/{@code typings} conditions and {@code null} (blocked) leaves load nothing. A
     * {@code .d.ts} target of any other condition is loaded: Node reads a file of an unknown extension as
     * CommonJS. Condition order is not kept: a reordering that loads the same files adds no target.
     */
    private static Set<String> runtimeLeaves(JsonNode n, boolean filesOnly) {
        Set<String> s = new java.util.TreeSet<>();
        if (n.isTextual()) {
            String p = cleanPath(n.asText());
            if (!filesOnly || n.asText().startsWith("./")) {
                s.add(p);
            }
        } else if (n.isArray()) {
            n.forEach(c -> s.addAll(runtimeLeaves(c, filesOnly)));
        } else if (n.isObject()) {
            n.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("types") && !e.getKey().equals("typings")) {
                    s.addAll(runtimeLeaves(e.getValue(), filesOnly));
                }
            });
        }
        return s;
    }

    /** {@code exports} subpath to the files it loads at run time ({@link #runtimeLeaves}). */
    static Map<String, Set<String>> exportTargets(JsonNode exports) {
        Map<String, Set<String>> out = new TreeMap<>();
        boolean subpaths = exports.isObject() && exports.fieldNames().hasNext()
                && exports.fieldNames().next().startsWith(".");
        if (subpaths) {
            exports.fields().forEachRemaining(e -> out.put(e.getKey(), runtimeLeaves(e.getValue(), false)));
        } else if (!exports.isMissingNode() && !exports.isNull()) {
            out.put(".", runtimeLeaves(exports, false));
        }
        return out;
    }

    /**
     * {@code imports} (Node subpath imports, https://nodejs.org/api/packages.html#subpath-imports): each {@code #name}
     * the package's own {@code require}/{@code import} resolves, to what it loads at run time — a file of the package
     * ({@code ./lib/x.js}) or another package ({@code left-pad}).
     */
    static Map<String, Set<String>> importTargets(JsonNode imports) {
        return imports(imports, false);
    }

    /** The files of the package each {@code #name} loads: targets starting {@code ./} (others name packages). */
    static Map<String, Set<String>> importFiles(JsonNode imports) {
        return imports(imports, true);
    }

    private static Map<String, Set<String>> imports(JsonNode imports, boolean filesOnly) {
        Map<String, Set<String>> out = new TreeMap<>();
        if (imports.isObject()) {
            imports.fields().forEachRemaining(e -> {
                if (e.getKey().startsWith("#")) {
                    out.put(e.getKey(), runtimeLeaves(e.getValue(), filesOnly));
                }
            });
        }
        return out;
    }

    /**
     * {@code browser} as bundlers read it (https://github.com/defunctzombie/package-browser-field-spec): a string
     * replaces {@code main} (key {@code .}); an object replaces each file or module named by a key with the file or
     * module of its value, or with an empty module when the value is {@code false}.
     */
    static Map<String, String> browserReplacements(JsonNode browser) {
        Map<String, String> out = new TreeMap<>();
        if (browser.isTextual()) {
            out.put(".", cleanPath(browser.asText()));
        } else if (browser.isObject()) {
            browser.fields().forEachRemaining(e -> out.put(cleanPath(e.getKey()),
                    e.getValue().isTextual() ? cleanPath(e.getValue().asText()) : e.getValue().toString()));
        }
        return out;
    }

    /**
     * New command names (shadowing or not) and new module entries of {@code published} over {@code source}: an
     * {@code exports} subpath or {@code imports} entry the source does not declare, a file or package an existing one
     * loads that the source's never does (a condition added or re-pointed), a {@code browser} replacement the source
     * does not make. Each changes what {@code require}/{@code import} or a bundler loads, as a new subpath does.
     */
    static Changes added(JsonNode published, JsonNode source) {
        Map<String, String> pb = bins(published);
        Map<String, String> sb = bins(source);
        List<String> shadowing = new ArrayList<>();
        List<String> newBins = new ArrayList<>();
        pb.forEach((name, target) -> {
            if (!sb.containsKey(name)) {
                String d = name + " -> " + target;
                if (shadowsCommonCommand(name)) {
                    shadowing.add(d);
                } else {
                    newBins.add(d);
                }
            }
        });
        List<String> newEntries = new ArrayList<>();
        newTargets("exports subpath", "exports target", exportTargets(published.path("exports")),
                exportTargets(source.path("exports")), newEntries);
        newTargets("imports entry", "imports target", importTargets(published.path("imports")),
                importTargets(source.path("imports")), newEntries);
        Map<String, String> sr = browserReplacements(source.path("browser"));
        browserReplacements(published.path("browser")).forEach((from, to) -> {
            if (!to.equals(sr.get(from))) {
                newEntries.add("adds browser replacement " + from + " -> " + to);
            }
        });
        return new Changes(shadowing, newBins, newEntries);
    }

    /** A key the source lacks ({@code newKey}), or the targets of a shared key the source's never loads. */
    private static void newTargets(String newKey, String newTarget, Map<String, Set<String>> published,
                                   Map<String, Set<String>> source, List<String> out) {
        published.forEach((key, targets) -> {
            Set<String> before = source.get(key);
            if (before == null) {
                out.add("adds " + newKey + " " + key + " -> " + String.join(", ", targets));
                return;
            }
            List<String> more = targets.stream().filter(t -> !before.contains(t)).toList();
            if (!more.isEmpty()) {
                out.add("adds " + newTarget + " " + key + " -> " + String.join(", ", more));
            }
        });
    }

    /** {@code ./a//b/./c.js} → {@code a/b/c.js}, as npm normalises bin and main paths. */
    static String cleanPath(String p) {
        String s = p.replace('\\', '/').replaceAll("/+", "/").replaceAll("(^|/)\\./", "$1");
        while (s.startsWith("./")) {
            s = s.substring(2);
        }
        return s;
    }
}
