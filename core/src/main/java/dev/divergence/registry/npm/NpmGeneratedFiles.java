package dev.divergence.registry.npm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.divergence.model.Artifact;
import dev.divergence.model.FileStatus;
import dev.divergence.model.RiskFlag;
import dev.divergence.registry.GeneratedFiles;
import dev.divergence.registry.RepositoryUrls;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * npm's legitimate differences and the manifest changes that are dangerous even when nothing else changed.
 * Build outputs ({@code dist/}, {@code lib/}, minified files, type declarations, source maps) present only in
 * the tarball are BUILD_OUTPUT: not malware by itself, only a rebuild can verify them. {@code package.json} is
 * compared as JSON after npm's publish-time rewrites; a lifecycle script or a dependency that only the
 * published manifest has is HIGH_RISK (the shape of most npm worms and account takeovers).
 */
public final class NpmGeneratedFiles implements GeneratedFiles {

    public static final String BUILD_OUTPUT = "npm.build-output";
    public static final String ACCIDENTAL_JUNK = "npm.accidental-junk";
    public static final String PACKAGE_JSON_REWRITE = "npm.package-json.publish-rewrite";
    public static final String INSTALL_SCRIPT = "npm.package-json.install-script";
    public static final String NEW_DEPENDENCY = "npm.package-json.new-dependency";
    public static final String PACKAGE_JSON_DIFFERS = "npm.package-json.differs";

    /** A script that runs only for the publisher or for git/local installs changed: a finding, not HIGH_RISK. */
    public static final String PUBLISHER_SCRIPT = "npm.package-json.publisher-script";

    /**
     * Scripts npm runs on {@code npm install PKG} from the registry (https://docs.npmjs.com/cli/using-npm/scripts).
     * {@code prepare} and friends run for git and local installs, {@code prepack}/{@code postpack}/
     * {@code prepublishOnly}/{@code prepublish} for the publisher: they never run on a consumer's install.
     */
    static final List<String> LIFECYCLE = List.of("preinstall", "install", "postinstall");
    static final List<String> NOT_ON_INSTALL = List.of("prepublish", "preprepare", "prepare", "postprepare", "prepack",
            "postpack", "prepublishOnly", "publish", "postpublish");
    static final List<String> RUNTIME_DEPENDENCIES = List.of("dependencies", "optionalDependencies", "peerDependencies");

    private static final Pattern BUILD_DIR = Pattern.compile(
            "^(dist|lib|build|esm|cjs|umd|es|es5|es6|out|bundle|bundles|browser|types|typings|min)/.*");
    private static final Pattern BUILD_FILE = Pattern.compile(
            ".*\\.(min\\.js|min\\.mjs|min\\.css|d\\.ts|d\\.mts|d\\.cts|map|js\\.gz|mjs\\.gz|tsbuildinfo"
            + "|(browser|bundle|umd|esm|cjs|standalone|global|iife|production|development)\\.(js|mjs|cjs))$");
    private static final Pattern JUNK = Pattern.compile(
            "^(coverage/.*|\\.nyc_output/.*|npm-debug\\.log.*|yarn-error\\.log|.*\\.swp|.*\\.swo|.*~|\\.DS_Store|.*/\\.DS_Store)$");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Optional<String> pathRule(Artifact artifact, String path) {
        return Optional.empty();
    }

    @Override
    public Optional<Decision> unmatchedRule(Artifact artifact, String path, boolean sourceExists) {
        if (sourceExists) {
            return Optional.empty();
        }
        String rel = path.contains("/") ? path.substring(path.indexOf('/') + 1) : path;
        if (BUILD_DIR.matcher(rel).matches() || BUILD_FILE.matcher(rel).matches()) {
            return Optional.of(Decision.of(FileStatus.BUILD_OUTPUT, BUILD_OUTPUT));
        }
        if (JUNK.matcher(rel).matches()) {
            return Optional.of(Decision.benign(FileStatus.PHANTOM, ACCIDENTAL_JUNK));
        }
        return Optional.empty();
    }

    @Override
    public boolean metadataEntry(String path) {
        return path.endsWith("/package.json") && path.indexOf('/') == path.length() - "/package.json".length();
    }

    /** A top-level package.json declaring a lifecycle script runs it on {@code npm install}. */
    @Override
    public Set<RiskFlag> declaredAtInstall(Artifact artifact, String path, byte[] bytes) {
        if (!metadataEntry(path)) {
            return Set.of();
        }
        try {
            JsonNode scripts = JSON.readTree(bytes).path("scripts");
            return LIFECYCLE.stream().anyMatch(s -> !scripts.path(s).asText("").isBlank())
                    ? Set.of(RiskFlag.INSTALL_SCRIPT) : Set.of();
        } catch (IOException e) {
            return Set.of();
        }
    }

    /** The published package.json must parse and name this package and version. */
    @Override
    public List<String> consistency(dev.divergence.model.Release release, Artifact artifact,
                                    List<dev.divergence.model.ArtifactFile> files,
                                    java.util.function.Function<java.util.Set<String>, java.util.Map<String, byte[]>> extractor) {
        Optional<String> path = files.stream().map(f -> f.path()).filter(p -> p.matches("[^/]+/package\\.json"))
                .findFirst();
        if (path.isEmpty()) {
            return List.of("tarball has no package.json");
        }
        byte[] bytes = extractor.apply(Set.of(path.get())).get(path.get());
        try {
            JsonNode n = bytes == null ? null : JSON.readTree(bytes);
            if (n == null || !n.isObject()) {
                return List.of("malformed package.json");
            }
            List<String> problems = new ArrayList<>();
            if (!release.pkg().name().equals(n.path("name").asText())) {
                problems.add("package.json names package " + n.path("name").asText("(none)"));
            }
            if (!release.version().equals(n.path("version").asText())) {
                problems.add("package.json says version " + n.path("version").asText("(none)"));
            }
            return problems;
        } catch (IOException e) {
            return List.of("malformed package.json: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    @Override
    public List<ContentRule> contentRules() {
        return List.of(new PackageJsonRule());
    }

    /**
     * From the published package.json, which is what npm obeys: the files {@code bin} links onto PATH, the files
     * {@code main} (default {@code index.js}) and {@code exports} make {@code require}/{@code import} load, the
     * files an install script names, and — when npm runs {@code node-gyp rebuild} (a root {@code binding.gyp} and
     * no install/preinstall script, or that very install script) — every {@code .gyp}/{@code .gypi} file, since gyp
     * files can run commands.
     */
    @Override
    public ExecutionRelevance executionRelevance(Artifact artifact, SourceView view) {
        Optional<String> manifest = view.artifactFiles().stream().map(f -> f.path())
                .filter(p -> p.matches("[^/]+/package\\.json")).findFirst();
        if (manifest.isEmpty()) {
            return path -> Optional.empty();
        }
        String root = manifest.get().substring(0, manifest.get().length() - "package.json".length());
        JsonNode pkg;
        try {
            pkg = JSON.readTree(view.artifactBytes(manifest.get()).orElse(new byte[0]));
        } catch (IOException e) {
            pkg = null;
        }
        Map<String, String> why = new java.util.HashMap<>();
        List<Pattern> exportPatterns = new ArrayList<>();
        Set<String> present = new java.util.HashSet<>();
        view.artifactFiles().forEach(f -> present.add(f.path()));
        if (pkg != null && pkg.isObject()) {
            JsonNode bin = pkg.path("bin");
            if (bin.isTextual()) {
                why.put(root + clean(bin.asText()), ExecutionRelevance.ENTRY_PREFIX + "bin: linked onto PATH");
            } else {
                bin.forEach(b -> why.put(root + clean(b.asText()), ExecutionRelevance.ENTRY_PREFIX + "bin: linked onto PATH"));
            }
            String main = pkg.path("main").asText("index.js");
            why.putIfAbsent(root + clean(main), ExecutionRelevance.ENTRY_PREFIX + "main: loaded by require");
            for (String ext : List.of(".js", "/index.js")) {
                why.putIfAbsent(root + clean(main).replaceFirst("/$", "") + ext, ExecutionRelevance.ENTRY_PREFIX + "main: loaded by require");
            }
            exports(pkg.path("exports"), root, why, exportPatterns);
            for (String script : LIFECYCLE) {
                String cmd = pkg.path("scripts").path(script).asText("");
                for (String token : cmd.split("[\\s;&|<>()'\"=]+")) {
                    String t = root + clean(token);
                    if (!token.isEmpty() && present.contains(t)) {
                        why.putIfAbsent(t, script + " script runs it");
                    }
                }
            }
            boolean hasInstall = pkg.path("scripts").has("install") || pkg.path("scripts").has("preinstall");
            boolean gyp = present.contains(root + "binding.gyp")
                    && (!hasInstall || pkg.path("scripts").path("install").asText("").contains("node-gyp"));
            if (gyp) {
                present.stream().filter(p -> p.endsWith(".gyp") || p.endsWith(".gypi"))
                        .forEach(p -> why.putIfAbsent(p, "read by node-gyp rebuild on install"));
            }
        } else {
            why.put(root + "index.js", ExecutionRelevance.ENTRY_PREFIX + "main: loaded by require");
        }
        return path -> {
            String w = why.get(path);
            if (w != null) {
                return Optional.of(w);
            }
            return exportPatterns.stream().anyMatch(p -> p.matcher(path).matches())
                    ? Optional.of(ExecutionRelevance.ENTRY_PREFIX + "exports: loaded by require/import") : Optional.empty();
        };
    }

    /** Every string leaf of {@code exports} (conditions nest), a {@code *} subpath pattern as a regex. */
    private static void exports(JsonNode n, String root, Map<String, String> why, List<Pattern> patterns) {
        if (n.isTextual()) {
            String target = root + clean(n.asText());
            if (target.contains("*")) {
                patterns.add(Pattern.compile(java.util.Arrays.stream(target.split("\\*", -1)).map(Pattern::quote)
                        .collect(java.util.stream.Collectors.joining(".*"))));
            } else {
                why.putIfAbsent(target, ExecutionRelevance.ENTRY_PREFIX + "exports: loaded by require/import");
            }
        } else if (n.isContainerNode()) {
            n.forEach(c -> exports(c, root, why, patterns));
        }
    }

    private static String clean(String p) {
        return p.replace('\\', '/').replaceFirst("^(\\./)+", "");
    }

    /** package.json: dangerous additions first, then npm's publish-time rewrites. */
    static final class PackageJsonRule implements ContentRule {

        @Override
        public String id() {
            return PACKAGE_JSON_REWRITE;
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version, SourceView view) {
            if (!path.equals("package.json") && !path.endsWith("/package.json")) {
                return Optional.empty();
            }
            if (path.chars().filter(c -> c == '/').count() > 1) {
                return Optional.empty(); // a nested package.json (fixtures, vendored) is an ordinary file
            }
            ObjectNode published;
            try {
                JsonNode n = JSON.readTree(bytes);
                if (n == null || !n.isObject()) {
                    throw new IOException("not an object");
                }
                published = (ObjectNode) n;
            } catch (IOException e) {
                return Optional.of(new Decision(FileStatus.MODIFIED, PACKAGE_JSON_DIFFERS, Set.of(),
                        Optional.of("published package.json is malformed: " + e.getMessage())));
            }
            ObjectNode src = null;
            if (source.isPresent()) {
                try {
                    JsonNode n = JSON.readTree(source.get());
                    src = n != null && n.isObject() ? (ObjectNode) n : null;
                } catch (IOException e) {
                    src = null;
                }
            }
            String dir = path.substring(0, path.length() - "package.json".length());
            boolean gypInArtifact = view.artifactFiles().stream().anyMatch(f -> f.path().equals(dir + "binding.gyp"));
            boolean gypInSource = view.alignment().sourcePath(dir + "binding.gyp").flatMap(view.tree()::get).isPresent();
            Set<RiskFlag> flags = EnumSet.noneOf(RiskFlag.class);
            List<String> findings = new ArrayList<>();
            List<String> publisherFindings = new ArrayList<>();
            boolean gypScriptAdded = false;
            for (String script : concat(LIFECYCLE, NOT_ON_INSTALL)) {
                String p = published.path("scripts").path(script).asText(null);
                String s = src == null ? null : src.path("scripts").path(script).asText(null);
                if (p == null || p.equals(s)) {
                    continue;
                }
                // npm adds install: "node-gyp rebuild" when binding.gyp exists: equal to what it would run anyway,
                // provided the binding.gyp it runs is the source's (it is compared as a file of its own).
                boolean implicitGyp = script.equals("install") && p.equals("node-gyp rebuild") && gypInArtifact
                        && gypInSource && (src == null || !src.path("scripts").has("preinstall"));
                if (implicitGyp) {
                    gypScriptAdded = src == null || !src.path("scripts").has("install");
                    continue;
                }
                String finding = (s == null ? "adds " : "changes ") + script + ": " + abbreviate(p);
                if (LIFECYCLE.contains(script)) {
                    flags.add(RiskFlag.INSTALL_SCRIPT);
                    findings.add(finding);
                } else {
                    publisherFindings.add(finding + " (not run on install)");
                }
            }
            Set<String> newDeps = new TreeSet<>();
            for (String kind : RUNTIME_DEPENDENCIES) {
                Iterator<Map.Entry<String, JsonNode>> deps = published.path(kind).fields();
                while (deps.hasNext()) {
                    Map.Entry<String, JsonNode> dep = deps.next();
                    String spec = dep.getValue().asText("");
                    Optional<String> declared = src == null ? Optional.empty() : declaredSpec(src, dep.getKey());
                    if (declared.isEmpty() || !sameDependency(spec, declared.get())) {
                        newDeps.add(dep.getKey() + (declared.isEmpty() ? "" : " " + spec + " (source: " + declared.get() + ")"));
                    }
                }
            }
            if (!newDeps.isEmpty() && src != null) {
                flags.add(RiskFlag.NEW_DEPENDENCY);
                findings.add("new dependencies " + newDeps);
            }
            FileStatus status = source.isPresent() ? FileStatus.MODIFIED : FileStatus.PHANTOM;
            if (!flags.isEmpty()) {
                String rule = flags.contains(RiskFlag.INSTALL_SCRIPT) ? INSTALL_SCRIPT : NEW_DEPENDENCY;
                findings.addAll(publisherFindings);
                return Optional.of(new Decision(status, rule, flags, Optional.of(String.join("; ", findings))));
            }
            if (!publisherFindings.isEmpty()) {
                return Optional.of(new Decision(status, PUBLISHER_SCRIPT, Set.of(),
                        Optional.of(String.join("; ", publisherFindings))));
            }
            if (src == null) {
                return Optional.empty();
            }
            ObjectNode a = normalize(published.deepCopy(), published, false);
            if (gypScriptAdded && a.path("scripts").isObject()) {
                ((ObjectNode) a.get("scripts")).remove("install"); // npm's own addition, verified above
                if (a.get("scripts").isEmpty() && !src.has("scripts")) {
                    a.remove("scripts");
                }
                if (!src.has("gypfile")) {
                    a.remove("gypfile");
                }
            }
            ObjectNode s = normalize(src.deepCopy(), published, true);
            if (a.equals(s)) {
                return Optional.of(Decision.of(FileStatus.MATCH_NORMALIZED, PACKAGE_JSON_REWRITE));
            }
            Set<String> keys = new TreeSet<>();
            a.fieldNames().forEachRemaining(k -> {
                if (!a.get(k).equals(s.get(k))) {
                    keys.add(k);
                }
            });
            s.fieldNames().forEachRemaining(k -> {
                if (!a.has(k)) {
                    keys.add(k);
                }
            });
            return Optional.of(new Decision(FileStatus.MODIFIED, PACKAGE_JSON_DIFFERS, Set.of(),
                    Optional.of("package.json fields differ: " + keys)));
        }

        private static List<String> concat(List<String> a, List<String> b) {
            List<String> l = new ArrayList<>(a);
            l.addAll(b);
            return l;
        }

        /** The spec the source gives a dependency, in any runtime dependency kind. */
        private static Optional<String> declaredSpec(ObjectNode src, String name) {
            for (String kind : RUNTIME_DEPENDENCIES) {
                if (src.path(kind).has(name)) {
                    return Optional.of(src.path(kind).path(name).asText(""));
                }
            }
            return Optional.empty();
        }

        /**
         * The published spec is the source's, or the version a {@code workspace:}/{@code catalog:} range resolves
         * to at publish. An alias ({@code npm:other@1}), URL, git, file or link spec the source does not give is a
         * different package, whatever its name (https://docs.npmjs.com/cli/configuring-npm/package-json#dependencies).
         */
        static boolean sameDependency(String published, String declared) {
            if (published.equals(declared)) {
                return true;
            }
            if (declared.startsWith("workspace:") || declared.startsWith("catalog:")) {
                return isRange(published);
            }
            return false;
        }

        /** A semver version or range: digits, x/*, operators, spaces, ||, hyphen ranges, pre-release labels. */
        private static boolean isRange(String spec) {
            return !spec.isBlank() && spec.matches("[0-9A-Za-z.*^~<>=| +-]+") && !spec.contains(":")
                    && spec.matches(".*[0-9*xX].*") && !spec.matches(".*[A-Za-z]{2,}.*[/@].*");
        }

        private static boolean srcHas(String kind, String dep, Optional<byte[]> source, ObjectMapper json) {
            try {
                return json.readTree(source.get()).path(kind).has(dep);
            } catch (IOException e) {
                return false;
            }
        }

        /**
         * What npm (and pnpm/yarn) change at publish: {@code bin} paths normalised, {@code repository} turned
         * into {@code {type, url: git+https://...}}, {@code workspace:}/{@code catalog:} ranges resolved,
         * {@code publishConfig} fields applied, {@code _}-prefixed bookkeeping and {@code gitHead} added.
         */
        static ObjectNode normalize(ObjectNode n, ObjectNode published, boolean applyPublishConfig) {
            List<String> drop = new ArrayList<>();
            n.fieldNames().forEachRemaining(k -> {
                if (k.startsWith("_") || k.equals("gitHead")) {
                    drop.add(k);
                }
            });
            drop.forEach(n::remove);
            // publishConfig is applied at publish from the source's manifest; the published one's is inert (npm
            // reads main/bin/exports themselves), so it is never applied to the published side.
            JsonNode publishConfig = n.remove("publishConfig");
            if (applyPublishConfig && publishConfig != null && publishConfig.isObject()) {
                for (String k : List.of("main", "module", "exports", "types", "typings", "bin", "browser", "types")) {
                    if (publishConfig.has(k)) {
                        n.set(k, publishConfig.get(k));
                    }
                }
            }
            JsonNode bin = n.get("bin");
            if (bin != null) {
                ObjectNode b = JSON.createObjectNode();
                if (bin.isTextual()) {
                    String name = n.path("name").asText("");
                    b.put(name.contains("/") ? name.substring(name.indexOf('/') + 1) : name, stripDot(bin.asText()));
                } else if (bin.isObject()) {
                    bin.fields().forEachRemaining(e -> b.put(e.getKey(), stripDot(e.getValue().asText())));
                }
                n.set("bin", b);
            }
            for (String k : List.of("main", "module", "types", "typings", "browser")) {
                if (n.path(k).isTextual()) {
                    n.put(k, stripDot(n.path(k).asText()));
                }
            }
            JsonNode repo = n.get("repository");
            if (repo != null) {
                String url = repo.isTextual() ? repo.asText() : repo.path("url").asText("");
                ObjectNode r = JSON.createObjectNode();
                r.put("url", RepositoryUrls.normalizeAny(url).orElse(url));
                if (repo.has("directory")) {
                    r.put("directory", repo.path("directory").asText().replaceFirst("^\\./", "").replaceFirst("/$", ""));
                }
                n.set("repository", r);
            }
            for (String kind : List.of("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")) {
                JsonNode deps = n.get(kind);
                if (deps != null && deps.isObject()) {
                    for (Map.Entry<String, JsonNode> e : iterable(deps)) {
                        String range = e.getValue().asText("");
                        JsonNode resolved = published.path(kind).get(e.getKey());
                        if ((range.startsWith("workspace:") || range.startsWith("catalog:")) && resolved != null
                                && sameDependency(resolved.asText(""), range)) {
                            ((ObjectNode) deps).set(e.getKey(), resolved);
                        }
                    }
                }
            }
            return n;
        }

        private static List<Map.Entry<String, JsonNode>> iterable(JsonNode n) {
            List<Map.Entry<String, JsonNode>> l = new ArrayList<>();
            n.fields().forEachRemaining(l::add);
            return l;
        }

        private static String stripDot(String p) {
            return p.replaceFirst("^\\./", "");
        }

        private static String abbreviate(String s) {
            return s.length() > 120 ? s.substring(0, 120) + "..." : s;
        }
    }
}
