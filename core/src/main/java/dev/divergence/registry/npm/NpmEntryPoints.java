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

    /** Commands a package's bin must never newly shadow: shells, toolchains, package managers, system tools. */
    static final Set<String> COMMON_COMMANDS = Set.of(
            "npm", "npx", "node", "nodejs", "corepack", "yarn", "yarnpkg", "pnpm", "pnpx", "bun", "bunx", "deno",
            "sh", "bash", "zsh", "dash", "fish", "ksh", "csh", "tcsh", "pwsh", "powershell", "cmd",
            "git", "ssh", "scp", "sftp", "rsync", "curl", "wget", "gpg", "openssl",
            "python", "python3", "pip", "pip3", "ruby", "gem", "perl", "java", "go", "cargo", "rustc",
            "make", "cmake", "gcc", "g++", "cc", "clang", "ld",
            "sudo", "su", "env", "ls", "cat", "cp", "mv", "rm", "chmod", "chown", "tar", "gzip", "unzip", "find",
            "grep", "sed", "awk", "xargs", "which", "whoami", "id", "ps", "kill", "open", "code", "docker",
            "kubectl", "helm", "terraform", "aws", "gcloud", "az", "gh");

    private NpmEntryPoints() {
    }

    /** What a published manifest's entries add to its source's (both already normalised). */
    record Changes(List<String> shadowing, List<String> newBins, List<String> newExports) {
        boolean highRisk() {
            return !shadowing.isEmpty() || !newExports.isEmpty();
        }
    }

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
        String n = binName.toLowerCase(java.util.Locale.ROOT).replaceFirst("\\.(cmd|exe|bat|ps1)$", "");
        return COMMON_COMMANDS.contains(n);
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

    /** New command names (shadowing or not) and new exports subpaths of {@code published} over {@code source}. */
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
        Map<String, Set<String>> pe = exportSubpaths(published.path("exports"));
        Map<String, Set<String>> se = exportSubpaths(source.path("exports"));
        List<String> newExports = new ArrayList<>();
        pe.forEach((sub, targets) -> {
            if (!se.containsKey(sub)) {
                newExports.add(sub + " -> " + String.join(", ", targets));
            }
        });
        return new Changes(shadowing, newBins, newExports);
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
