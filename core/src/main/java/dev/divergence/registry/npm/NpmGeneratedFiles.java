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

    /** Scripts npm runs on {@code npm install} of the package (https://docs.npmjs.com/cli/using-npm/scripts). */
    static final List<String> LIFECYCLE = List.of("preinstall", "install", "postinstall", "prepublish", "preprepare",
            "prepare", "postprepare");
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

    /** package.json: dangerous additions first, then npm's publish-time rewrites. */
    static final class PackageJsonRule implements ContentRule {

        @Override
        public String id() {
            return PACKAGE_JSON_REWRITE;
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version) {
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
            Set<RiskFlag> flags = EnumSet.noneOf(RiskFlag.class);
            List<String> findings = new ArrayList<>();
            for (String script : LIFECYCLE) {
                String p = published.path("scripts").path(script).asText(null);
                String s = src == null ? null : src.path("scripts").path(script).asText(null);
                if (p != null && !p.equals(s) && !(script.equals("install") && p.equals("node-gyp rebuild"))) {
                    flags.add(RiskFlag.INSTALL_SCRIPT);
                    findings.add((s == null ? "adds " : "changes ") + script + ": " + abbreviate(p));
                }
            }
            Set<String> newDeps = new TreeSet<>();
            for (String kind : RUNTIME_DEPENDENCIES) {
                Iterator<String> names = published.path(kind).fieldNames();
                while (names.hasNext()) {
                    String dep = names.next();
                    if (src == null || RUNTIME_DEPENDENCIES.stream().noneMatch(k -> srcHas(k, dep, source, JSON))) {
                        newDeps.add(dep);
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
                return Optional.of(new Decision(status, rule, flags, Optional.of(String.join("; ", findings))));
            }
            if (src == null) {
                return Optional.empty();
            }
            ObjectNode a = normalize(published.deepCopy(), published);
            ObjectNode s = normalize(src.deepCopy(), published);
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
        static ObjectNode normalize(ObjectNode n, ObjectNode published) {
            List<String> drop = new ArrayList<>();
            n.fieldNames().forEachRemaining(k -> {
                if (k.startsWith("_") || k.equals("gitHead")) {
                    drop.add(k);
                }
            });
            drop.forEach(n::remove);
            JsonNode publishConfig = n.remove("publishConfig");
            if (publishConfig != null && publishConfig.isObject()) {
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
                        if ((range.startsWith("workspace:") || range.startsWith("catalog:")) && resolved != null) {
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
