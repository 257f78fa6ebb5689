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
import java.util.function.Function;
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
    /** A macOS AppleDouble {@code ._NAME} file: divergent, not code. */
    public static final String APPLEDOUBLE = "npm.accidental-junk.appledouble";
    /**
     * {@code .npmignore} holding exactly the bytes of the source's {@code .gitignore} in the same folder, where the source
     * has no {@code .npmignore}: npm 1.x wrote the {@code .gitignore} it used as ignore rules into the tarball under
     * that name. Not code; nothing reads it on install.
     */
    public static final String NPMIGNORE_FROM_GITIGNORE = "npm.npmignore-from-gitignore";
    /** A root ignore file no commit holds, holding only ignore rules ({@link NpmIgnoreFiles}). */
    public static final String IGNORE_FILE_UNTRACKED = NpmIgnoreFiles.IGNORE_FILE_UNTRACKED;
    public static final String PACKAGE_JSON_REWRITE = "npm.package-json.publish-rewrite";
    public static final String INSTALL_SCRIPT = "npm.package-json.install-script";
    public static final String NEW_DEPENDENCY = "npm.package-json.new-dependency";
    public static final String PACKAGE_JSON_DIFFERS = "npm.package-json.differs";
    /**
     * The published package.json does not parse here (npm reads it with {@code JSON.parse}): its install scripts,
     * dependencies and entry points cannot be compared, so it is HIGH_RISK ({@code UNREADABLE_MANIFEST}).
     */
    public static final String PACKAGE_JSON_UNREADABLE = "npm.package-json.unreadable";
    /** A command the source does not declare, under a name that shadows nothing common: a finding. */
    public static final String NEW_BIN = "npm.package-json.new-bin";
    /** A command shadowing a common one, or an exports subpath, the source does not declare: HIGH_RISK. */
    public static final String NEW_ENTRY_POINT = "npm.package-json.new-entry-point";

    /**
     * A runtime dependency the source declares, published with another semver range of the same registry package
     * (a pre-release cut from an older working tree): divergent and named, not a new dependency. An alias, URL, git,
     * file or tag spec in its place is a different package and stays {@link #NEW_DEPENDENCY}.
     */
    public static final String DEPENDENCY_RANGE = "npm.package-json.dependency-range";
    /**
     * A runtime dependency this commit does not declare, but some commit of the repository's branches or tags
     * declared with this very spec (a pre-release cut from another working tree): divergent and named, not
     * HIGH_RISK. A name or spec no trusted commit ever declared stays {@link #NEW_DEPENDENCY}.
     */
    public static final String DEPENDENCY_FROM_HISTORY = "npm.package-json.dependency-from-history";
    /** Only {@code version} differs and the published one is this release's (a pre-release from a working tree). */
    public static final String VERSION_ONLY = "npm.package-json.version-only";
    /** package.json differs only in development fields (and this release's version): divergent, named. */
    public static final String DEV_FIELDS_DIFFER = "npm.package-json.dev-fields-differ";
    /** Development-only fields and non-install scripts removed at publish (clean-publish and similar). */
    public static final String DEV_FIELDS_STRIPPED = "npm.package-json.dev-fields-stripped";
    /** {@code postinstall} renamed {@code _postinstall} by pinst at publish. */
    public static final String PINST_DISABLED = "npm.package-json.pinst-disabled";
    /** See {@code entriesRemoved}: scripts or dependencies a publish step left out, nothing changed or added. */
    public static final String ENTRIES_REMOVED = "npm.package-json.entries-removed";
    /** A .js/.cjs/.mjs file that is its source's token stream with comments removed (clean-publish cleanComments). */
    public static final String JS_COMMENTS_STRIPPED = NpmStrippedComments.COMMENTS_STRIPPED;
    /** {@code readme}/{@code readmeFilename} written by old npm from the shipped README. */
    public static final String README_FIELD = "npm.package-json.readme-field";

    /**
     * Top-level fields that configure development tools and are read by nothing on a consumer's install or at run
     * time (https://github.com/shashkovdanil/clean-publish#exclude-files-and-packagejson-fields): removing them at
     * publish is what clean-publish and its kin do.
     */
    static final List<String> DEV_ONLY_FIELDS = List.of("devDependencies", "packageManager", "devEngines", "workspaces",
            "eslintConfig", "eslintIgnore", "prettier", "stylelint", "jest", "ava", "mocha", "tap", "nyc", "c8", "xo",
            "standard", "standardx", "husky", "lint-staged", "simple-git-hooks", "pre-commit", "commitlint",
            "release", "np", "size-limit", "templateOSS", "tsd", "typeCoverage", "remarkConfig", "renovate", "volta",
            "clean-publish", "clean-package",
            // from clean-publish's own IGNORE_FIELDS: a spell checker, a config sharer, Lighthouse metrics, git hooks
            "yaspeller", "sharec", "pwmetrics", "simple-pre-commit", "nano-staged",
            // Babel reads a package.json "babel" key only for files of the root package (babelrcRoots), never a
            // dependency's; pnpm reads "pnpm" (overrides, patches, build allow-lists) only from the root manifest.
            // Not here: "browserslist" (autoprefixer/babel-preset-env read it for files inside node_modules too) and
            // "resolutions" (yarn's overrides: changes what gets installed when the package is the root).
            "babel", "pnpm");

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
    /** Manifest fields native-addon installers read on install ({@link PackageJsonRule#installInputsChanged}). */
    static final List<String> INSTALL_TOOL_FIELDS = List.of("binary", "gypfile", "cmake-js", "napi_versions");

    private static final Pattern BUILD_FILE = Pattern.compile(
            ".*\\.(min\\.js|min\\.mjs|min\\.css|d\\.ts|d\\.mts|d\\.cts|map|js\\.gz|mjs\\.gz|tsbuildinfo"
            + "|(browser|bundle|umd|esm|cjs|standalone|global|iife|production|development)\\.(js|mjs|cjs))$");
    /**
     * Files shipped by mistake: coverage reports, logs, editor swap and backup files, macOS folder metadata, and
     * patch(1) leftovers ({@code NAME.orig} backups, {@code NAME.rej} rejected hunks; npm-packlist never packs
     * {@code *.orig}: https://docs.npmjs.com/cli/configuring-npm/package-json#files).
     */
    private static final Pattern JUNK = Pattern.compile(
            "^(coverage/.*|\\.nyc_output/.*|npm-debug\\.log.*|yarn-error\\.log|.*\\.swp|.*\\.swo|.*~|\\.DS_Store|.*/\\.DS_Store"
            + "|.*\\.orig|.*\\.rej)$");
    private static final ObjectMapper JSON = dev.divergence.registry.ManifestParsers.JSON;
    private static final ObjectMapper YAML = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();

    @Override
    public Optional<String> pathRule(Artifact artifact, String path) {
        return Optional.empty();
    }

    /** Without the artifact's package.json and the source tree nothing is build output; junk is junk by name. */
    @Override
    public Optional<Decision> unmatchedRule(Artifact artifact, String path, boolean sourceExists) {
        if (sourceExists) {
            return Optional.empty();
        }
        String rel = path.contains("/") ? path.substring(path.indexOf('/') + 1) : path;
        if (JUNK.matcher(rel).matches()) {
            return Optional.of(Decision.benign(FileStatus.PHANTOM, ACCIDENTAL_JUNK));
        }
        return Optional.empty();
    }

    /**
     * Build output is what this release's package.json names and the repository's .gitignore ignores at the commit
     * (see {@link NpmBuildOutputs}); a tracked file the source holds at that path is build output only when ignored
     * too. Type declarations, source maps and minified files the repository ignores are build output when
     * {@code files} does not name them (npm ships them by default). Everything else falls to the other rules.
     */
    @Override
    public UnmatchedRules unmatchedRules(Artifact artifact, SourceView view) {
        NpmBuildOutputs outputs = NpmBuildOutputs.of(view);
        Map<String, String> written = NpmBuildOutputs.scriptWritten(view);
        Optional<String> publishFolder = NpmBuildOutputs.publishFolder(view);
        ExecutionRelevance exec = written.isEmpty() ? p -> Optional.empty() : executionRelevance(artifact, view);
        Set<String> loaded = written.isEmpty() ? Set.of() : loadedByPackage(view, written.keySet());
        return (path, sourceExists) -> {
            Optional<Decision> junk = unmatchedRule(artifact, path, sourceExists);
            if (junk.isPresent()) {
                // a .DS_Store in an ignored folder is still junk shipped by mistake (picomatch's lib/.DS_Store)
                return junk;
            }
            Optional<String> why = outputs.why(path);
            if (why.isEmpty() && written.containsKey(path) && !metadataEntry(path) && !path.endsWith("/package.json")
                    && !outputs.entryTarget(path) && exec.why(path).isEmpty()
                    && (!runsWhenLoaded(path)
                        || (!sourceExists && !loaded.contains(installedPath(path))))) {
                // A module the source commits at that path (qs's dist/qs.js, loaded from CDNs) is the reviewed
                // baseline a rebuild at publish must reproduce: it stays compared line by line.
                // never an entry point, a command, the manifest or a module the package's own code loads (a
                // "prepare": "node -p ... > version.js" that index.js requires runs at require time whatever the
                // script would have written; so is one the code can reach by a computed require or names by its file
                // name, fail-closed): what runs or decides the install stays compared. Data a script writes (mime's
                // types.json) is parsed by require, never run.
                why = Optional.of(written.get(path));
            }
            if (why.isEmpty() && publishFolder.isPresent() && !metadataEntry(path) && !path.contains("/node_modules/")) {
                // the package is the build folder's content: what differs from the file at the same path of the
                // manifest's folder (async's index.js, a development entry; the build's is compiled from lib/) was
                // written by the build, not copied from there
                why = publishFolder;
            }
            if (why.isEmpty() && BUILD_FILE.matcher(path).matches()) {
                why = view.alignment().sourcePath(path).flatMap(outputs::ignoredBy)
                        .map(g -> "a build tool's kind of file, ignored by " + g);
            }
            return why.map(w -> new Decision(FileStatus.BUILD_OUTPUT, BUILD_OUTPUT, Set.of(), Optional.of(w)));
        };
    }

    /** Which of the written files (artifact paths) the package's own JavaScript can be loading ({@link NpmModules#loadedByPackage}), as installed paths. */
    private static Set<String> loadedByPackage(SourceView view, Set<String> written) {
        // extension-less files too: a bin script (#!/usr/bin/env node) loads modules like any other (red team round 7)
        List<dev.divergence.model.ArtifactFile> scripts = view.artifactFiles().stream()
                .filter(f -> NpmModules.scriptFile(f.path()) || extensionless(f.path())).toList();
        Map<String, byte[]> bySha = scripts.isEmpty() ? Map.of() : view.artifactReader().apply(scripts);
        Map<String, byte[]> byPath = new java.util.LinkedHashMap<>();
        scripts.forEach(f -> {
            byte[] b = bySha.get(f.sha256());
            if (b != null) {
                byPath.put(NpmLayout.installedPath(f.path()), b); // the last entry wins, as on extraction
            }
        });
        Set<String> present = new java.util.HashSet<>();
        view.artifactFiles().forEach(f -> present.add(NpmLayout.installedPath(f.path())));
        Set<String> candidates = new java.util.HashSet<>();
        written.forEach(w -> candidates.add(NpmLayout.installedPath(w)));
        return NpmModules.loadedByPackage(byPath, present, installedReader(view), candidates);
    }

    /**
     * What a script may write that runs when loaded: JavaScript and TypeScript modules, native addons, wasm, and a file
     * without an extension ({@code require("./lib/gen")} loads {@code lib/gen} as CommonJS).
     */
    private static boolean runsWhenLoaded(String path) {
        return NpmModules.SCRIPT_FILE.matcher(path).matches() || path.endsWith(".node") || path.endsWith(".wasm")
                || extensionless(path);
    }

    /** A file whose name has no extension ({@code bin/cli}, {@code lib/gen}); dot files are not. */
    private static boolean extensionless(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return !name.isEmpty() && name.indexOf('.') < 0;
    }

    /** The package's own package.json: its dependencies and entry points are checked field by field. */
    @Override
    public boolean comparedAsData(String path) {
        return metadataEntry(path);
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
            return Set.of(RiskFlag.UNREADABLE_MANIFEST); // whether it declares an install script cannot be told
        }
    }

    /** The lifecycle scripts npm runs on install, in order ({@code postinstall: node x.js}); a manifest that does not parse says so. */
    @Override
    public Optional<String> installDeclaration(String path, byte[] bytes) {
        try {
            JsonNode scripts = JSON.readTree(bytes).path("scripts");
            List<String> out = new ArrayList<>();
            for (String s : installTimeScripts(scripts)) { // with what they run by name (npm run setup)
                if (!scripts.path(s).asText("").isBlank()) {
                    out.add(s + ": " + scripts.path(s).asText());
                }
            }
            return out.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", out));
        } catch (IOException | RuntimeException e) {
            return Optional.of("an unreadable package.json");
        }
    }

    /** The published package.json must parse and name this package and version. */
    @Override
    public List<String> consistency(dev.divergence.model.Release release, Artifact artifact,
                                    List<dev.divergence.model.ArtifactFile> files,
                                    java.util.function.Function<java.util.Set<String>, java.util.Map<String, byte[]>> extractor) {
        Optional<String> path = NpmLayout.installedManifest(files);
        if (path.isEmpty()) {
            return List.of("tarball has no package.json");
        }
        Set<String> roots = NpmLayout.topFolders(files);
        String multiRoot = roots.size() > 1 ? "tarball has " + roots.size() + " top folders " + roots
                + ": npm strips the first segment of every entry, so they are installed into one directory" : null;
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
            if (!release.version().equals(cleanVersion(n.path("version").asText()))) {
                problems.add("package.json says version " + n.path("version").asText("(none)"));
            }
            if (multiRoot != null) {
                problems.add(multiRoot);
            }
            return problems;
        } catch (IOException e) {
            return List.of("malformed package.json: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    @Override
    public List<ContentRule> contentRules() {
        return List.of(new PackageJsonRule(), new AppleDoubleRule(), new NpmignoreRule(), new NpmIgnoreFiles.Rule(this),
                new NpmBundledPackages.Rule(),
                new NpmStrippedComments.Rule(), new NpmDualPublish.Rule(), new NpmCleanDocs.Rule());
    }

    /**
     * {@code ._NAME} files that tar on macOS writes beside each file with extended attributes (AppleDouble, RFC 1740:
     * magic 0x00051607, version 0x00020000, then entries). Accidental and divergent, never loaded by node unless
     * named ({@code main}/{@code bin}/{@code exports} make it AUTO_EXEC, which keeps it HIGH_RISK). Only a well-formed
     * file qualifies: the entries (Finder info, resource fork, ... — never a data fork) must tile the bytes after
     * the header exactly, so nothing can be appended behind them.
     */
    static final class NpmignoreRule implements ContentRule {
        @Override
        public String id() {
            return NPMIGNORE_FROM_GITIGNORE;
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version, SourceView view) {
            if (source.isPresent() || !(path.equals(".npmignore") || path.endsWith("/.npmignore"))) {
                return Optional.empty();
            }
            Optional<String> at = view.alignment().sourcePath(path);
            if (at.isEmpty()) {
                return Optional.empty();
            }
            String gitignore = at.get().substring(0, at.get().length() - ".npmignore".length()) + ".gitignore";
            Optional<byte[]> ignore = view.sourceBytes(gitignore);
            if (ignore.isEmpty() || !java.util.Arrays.equals(ignore.get(), bytes)) {
                return Optional.empty();
            }
            return Optional.of(new Decision(FileStatus.GENERATED, NPMIGNORE_FROM_GITIGNORE, Set.of(),
                    Optional.of("the source's " + gitignore + ", written as .npmignore by npm 1.x")));
        }
    }

    static final class AppleDoubleRule implements ContentRule {
        private static final int MAGIC = 0x00051607;
        private static final int VERSION = 0x00020000;
        private static final int MAX_BYTES = 1 << 20;

        @Override
        public String id() {
            return APPLEDOUBLE;
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version) {
            String name = path.substring(path.lastIndexOf('/') + 1);
            if (source.isPresent() || !name.startsWith("._") || name.length() < 3 || !wellFormed(bytes)) {
                return Optional.empty();
            }
            Set<RiskFlag> signals = dev.divergence.archive.ContentSignals.scan(path, bytes, bytes.length + 1L);
            if (signals.contains(RiskFlag.DYNAMIC_EXEC) || signals.contains(RiskFlag.ENCODED_BLOB)
                    || signals.contains(RiskFlag.OBFUSCATED)) {
                return Optional.empty(); // an AppleDouble entry can carry any bytes: a payload in one is not junk
            }
            return Optional.of(new Decision(FileStatus.PHANTOM, APPLEDOUBLE, Set.of(),
                    Optional.of("macOS AppleDouble metadata of " + name.substring(2) + " (tar on macOS): not code"), true));
        }

        static boolean wellFormed(byte[] b) {
            if (b.length < 26 || b.length > MAX_BYTES) {
                return false;
            }
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b); // big-endian, as the format is
            if (buf.getInt(0) != MAGIC || buf.getInt(4) != VERSION) {
                return false;
            }
            int n = Short.toUnsignedInt(buf.getShort(24));
            long header = 26L + 12L * n;
            if (n == 0 || n > 16 || header > b.length) {
                return false;
            }
            long[][] entries = new long[n][];
            for (int i = 0; i < n; i++) {
                int at = 26 + 12 * i;
                long id = Integer.toUnsignedLong(buf.getInt(at));
                if (id < 2 || id > 15) {
                    return false; // 1 would be a data fork: the file's own content
                }
                entries[i] = new long[] {Integer.toUnsignedLong(buf.getInt(at + 4)), Integer.toUnsignedLong(buf.getInt(at + 8))};
            }
            java.util.Arrays.sort(entries, java.util.Comparator.comparingLong((long[] e) -> e[0]));
            long next = header;
            for (long[] e : entries) {
                if (e[0] != next) {
                    return false; // a gap or an overlap
                }
                next = e[0] + e[1];
            }
            return next == b.length;
        }
    }

    /** The packument's version document against the package.json npm leaves on disk (the last one). */
    @Override
    public List<EntryFinding> registryFindings(dev.divergence.model.Release release, Artifact artifact,
                                               List<dev.divergence.model.ArtifactFile> files,
                                               java.util.function.Function<Set<String>, Map<String, byte[]>> extractor) {
        if (artifact.registryManifest().isEmpty()) {
            return List.of();
        }
        Optional<String> path = NpmLayout.installedManifest(files);
        if (path.isEmpty()) {
            return List.of();
        }
        byte[] bytes = extractor.apply(Set.of(path.get())).get(path.get());
        if (bytes == null) {
            return List.of();
        }
        Set<String> installed = new java.util.HashSet<>();
        files.forEach(f -> installed.add(installedPath(f.path())));
        return NpmRegistryManifest.compare(artifact.registryManifest().get(), bytes, path.get(),
                NpmLayout.INSTALLED_ROOT, installed);
    }

    /** npm strips the first segment of every entry: {@code x/index.js} lands where {@code package/index.js} does. */
    @Override
    public String installedPath(String artifactPath) {
        return NpmLayout.installedPath(artifactPath);
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
        Optional<String> manifest = NpmLayout.installedManifest(view.artifactFiles());
        if (manifest.isEmpty()) {
            return path -> Optional.empty();
        }
        String root = NpmLayout.INSTALLED_ROOT;
        JsonNode pkg;
        try {
            pkg = JSON.readTree(view.artifactBytes(manifest.get()).orElse(new byte[0]));
        } catch (IOException e) {
            pkg = null;
        }
        Map<String, String> why = new java.util.HashMap<>();
        Map<String, String> runManifests = new java.util.HashMap<>(); // package.json files whose scripts run at install
        String[] unknownRun = new String[1]; // an install-time word naming what cannot be told, fail-closed below
        Function<String, Optional<byte[]>> installedBytes = installedReader(view);
        List<Pattern> exportPatterns = new ArrayList<>();
        Set<String> present = new java.util.HashSet<>();
        view.artifactFiles().forEach(f -> present.add(installedPath(f.path())));
        if (pkg != null && pkg.isObject()) {
            JsonNode bin = pkg.path("bin");
            if (bin.isTextual()) {
                why.put(root + clean(bin.asText()), ExecutionRelevance.COMMAND_PREFIX + "bin: linked onto PATH");
            } else {
                bin.forEach(b -> why.put(root + clean(b.asText()), ExecutionRelevance.COMMAND_PREFIX + "bin: linked onto PATH"));
            }
            // no bin but directories.bin: npm links every file under that folder onto PATH by its name
            NpmEntryPoints.directoryBins(pkg, present.stream().filter(p -> p.startsWith(root))
                    .map(p -> p.substring(root.length())).toList()).forEach((name, target) -> why.putIfAbsent(
                    root + target, ExecutionRelevance.COMMAND_PREFIX + "directories.bin: linked onto PATH as " + name
                            + (NpmEntryPoints.shadowsCommonCommand(name) ? ", shadowing a common command" : "")));
            String main = pkg.path("main").asText("index.js");
            // require's loader runs the file main names as JavaScript whatever its extension (but .json and .node)
            why.putIfAbsent(root + clean(main), (main.endsWith(".node") ? ExecutionRelevance.ENTRY_PREFIX
                    : ExecutionRelevance.CODE_ENTRY_PREFIX) + "main: loaded by require");
            for (String ext : List.of(".js", "/index.js")) {
                why.putIfAbsent(root + clean(main).replaceFirst("/$", "") + ext, ExecutionRelevance.ENTRY_PREFIX + "main: loaded by require");
            }
            exports(pkg.path("exports"), root, why, exportPatterns, "exports: loaded by require/import");
            // the package's own #name specifiers (a bare package name there is no file of this package)
            NpmEntryPoints.importFiles(pkg.path("imports")).forEach((name, targets) -> targets.forEach(t -> exports(
                    com.fasterxml.jackson.databind.node.TextNode.valueOf(t), root, why, exportPatterns,
                    "imports: loaded by require/import of " + name)));
            // what bundlers load: module (their ESM main), browser's replacement files
            if (pkg.path("module").isTextual()) {
                why.putIfAbsent(root + clean(pkg.path("module").asText()),
                        ExecutionRelevance.ENTRY_PREFIX + "module: loaded by bundlers");
            }
            NpmEntryPoints.browserReplacements(pkg.path("browser")).forEach((from, to) -> why.putIfAbsent(root + to,
                    ExecutionRelevance.ENTRY_PREFIX + "browser: loaded by bundlers in place of " + from));
            Map<String, String> declared = scriptMap(pkg.path("scripts"));
            // the package's other manifests, whose scripts a runner reaches by folder (npm --prefix tools run setup,
            // cd tools && npm run setup)
            Map<String, Map<String, String>> nested = new java.util.HashMap<>();
            java.util.function.Function<String, Map<String, String>> manifests = dir -> dir.isEmpty() ? declared
                    : nested.computeIfAbsent(dir, d -> present.contains(root + d + "package.json")
                    ? installedBytes.apply(root + d + "package.json").map(NpmGeneratedFiles::scriptsOf).orElse(Map.of())
                    : Map.of());
            // npm gives each script the npm_package_* variables of its own manifest (the published one: what npm obeys)
            JsonNode published = pkg;
            Map<String, NpmScriptEnv> envs = new java.util.HashMap<>();
            Function<String, NpmScriptEnv> envOf = dir -> envs.computeIfAbsent(dir, d -> d.isEmpty()
                    ? NpmScriptEnv.of(published)
                    : installedBytes.apply(root + d + "package.json").map(NpmGeneratedFiles::parsed)
                    .map(NpmScriptEnv::of).orElse(NpmScriptEnv.of(null)));
            for (String script : LIFECYCLE) {
                // what the script runs by name (postinstall: npm run setup) runs at install too, and a cd moves where
                // its relative paths resolve (cd scripts && node setup.js); a file a command writes (2> builderror.log)
                // is not run by it, so only its words and input redirects name what runs
                for (NpmScripts.Step step : NpmScripts.reached(script, manifests, envOf)) {
                    String by = step.script().equals(script) ? script + " script"
                            : script + " script (through the " + step.script() + " script)";
                    if (!step.unresolved().isEmpty() && unknownRun[0] == null) {
                        unknownRun[0] = by + " runs " + abbreviate(step.unresolved().get(0))
                                + ", whose variable or command substitution can name any file of the package";
                    }
                    if (!step.manifest().isEmpty()) {
                        runManifests.putIfAbsent(root + step.manifest() + "package.json", by + " reads its scripts");
                    }
                    List<String> words = new ArrayList<>(step.words());
                    words.addAll(step.inputs());
                    for (String dir : step.dirs()) {
                        String from = root + dir;
                        String in = dir.isEmpty() ? "" : " in " + dir;
                        for (String word : words) {
                            for (String token : word.split("[\\s;&|<>()'\"`=]+")) {
                                Optional<String> t = token.isEmpty() ? Optional.empty()
                                        : NpmModules.normalize(from, clean(token)).filter(present::contains);
                                t.ifPresent(f -> why.putIfAbsent(f, by + " runs it" + in));
                                // sh expands a glob word (node scripts/setu?.js) to the files it matches
                                if (t.isEmpty() && token.matches(".*[*?\\[].*")) {
                                    Pattern glob = shellGlob(from, clean(token));
                                    present.stream().filter(f -> glob.matcher(f).matches()).forEach(
                                            f -> why.putIfAbsent(f, by + " runs it (as " + token + ")" + in));
                                }
                                if (token.startsWith("./") || token.startsWith("../")) {
                                    // a path written as a module path (node -e "require('./setup')") loads what Node resolves
                                    NpmModules.resolve(from, token, present, installedBytes).forEach(
                                            f -> why.putIfAbsent(f, by + " loads it as " + token + in));
                                }
                            }
                        }
                        // node resolves the program and its -r/--import modules as module paths: "node scripts/setup"
                        // runs scripts/setup.js, "node lib" runs lib/index.js
                        for (String module : NpmScripts.nodeModules(step.words())) {
                            NpmModules.resolve(from, module, present, installedBytes).forEach(
                                    f -> why.putIfAbsent(f, by + " runs it (node " + module + ")" + in));
                        }
                    }
                }
            }
            // npm runs node-gyp rebuild itself when there is no install script; node-pre-gyp, prebuild-install,
            // cmake-js and node-gyp-build fall back to building from it when no prebuilt binary fits: a binding.gyp
            // shipped is read at install whatever the install script says
            boolean gyp = present.contains(root + "binding.gyp");
            if (gyp) {
                present.stream().filter(p -> p.endsWith(".gyp") || p.endsWith(".gypi"))
                        .forEach(p -> why.putIfAbsent(p, "read by node-gyp rebuild on install"));
            }
        } else {
            why.put(root + "index.js", ExecutionRelevance.ENTRY_PREFIX + "main: loaded by require");
        }
        Set<String> unchanged = unknownRun[0] == null ? Set.of() : sameAsSource(view);
        return artifactPath -> {
            String path = installedPath(artifactPath);
            if (runManifests.containsKey(path)) {
                return Optional.of(runManifests.get(path)); // its scripts run at install: a changed one runs other code
            }
            if (path.endsWith(".json")) {
                return Optional.empty(); // require() parses JSON (exports often lists ./package.json): data, never run
            }
            String w = why.get(path);
            if (w != null) {
                return Optional.of(w);
            }
            if (unknownRun[0] != null && !unchanged.contains(artifactPath)) {
                // fail-closed: a shipped file the commit does not hold as it is (written by a script, build output,
                // in no commit, changed) may be what the install-time word names, so it is never explained by name
                return Optional.of(unknownRun[0]);
            }
            return exportPatterns.stream().anyMatch(p -> p.matcher(path).matches())
                    ? Optional.of(ExecutionRelevance.ENTRY_PREFIX + "exports: loaded by require/import") : Optional.empty();
        };
    }

    /** The artifact paths whose file the commit holds as it is, at the path each aligns with. */
    private static Set<String> sameAsSource(SourceView view) {
        Set<String> out = new java.util.HashSet<>();
        view.artifactFiles().forEach(f -> {
            if (view.alignment().sourcePath(f.path()).flatMap(view.tree()::get)
                    .map(sf -> sf.blobId().equals(f.gitBlobId())).orElse(false)) {
                out.add(f.path());
            }
        });
        return out;
    }

    private static JsonNode parsed(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    /** The artifact's paths as installed, relative to the package folder. */
    private static Set<String> packagePaths(SourceView view) {
        Set<String> out = new java.util.HashSet<>();
        view.artifactFiles().forEach(f -> {
            String p = NpmLayout.installedPath(f.path());
            if (p.startsWith(NpmLayout.INSTALLED_ROOT)) {
                out.add(p.substring(NpmLayout.INSTALLED_ROOT.length()));
            }
        });
        return out;
    }

    /**
     * A shell glob word as a pattern over installed paths, from folder {@code dir}: {@code *} and {@code ?} within a
     * path segment, {@code [...]} a character class; everything else literal.
     */
    static Pattern shellGlob(String dir, String word) {
        StringBuilder re = new StringBuilder(Pattern.quote(dir));
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else if (c == '[') {
                int end = word.indexOf(']', i + 2);
                if (end < 0) {
                    re.append("\\[");
                } else {
                    String cls = word.substring(i + 1, end).replace("\\", "\\\\");
                    re.append('[').append(cls.startsWith("!") ? "^" + cls.substring(1) : cls).append(']');
                    i = end;
                }
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    /** The scripts of a manifest's bytes ({@link #scriptMap}); none when they do not parse. */
    private static Map<String, String> scriptsOf(byte[] bytes) {
        try {
            return scriptMap(JSON.readTree(bytes).path("scripts"));
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /** A manifest's scripts that are text, by name (what npm can run). */
    static Map<String, String> scriptMap(JsonNode scripts) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        scripts.fields().forEachRemaining(e -> {
            if (e.getValue().isTextual()) {
                out.put(e.getKey(), e.getValue().asText());
            }
        });
        return out;
    }

    /**
     * The scripts npm runs on a consumer's install: the lifecycle ones and every script they run by name, with its
     * pre/post scripts ({@link NpmScripts#reached}), in order.
     */
    static Set<String> installTimeScripts(JsonNode scripts) {
        Map<String, String> declared = scriptMap(scripts);
        Set<String> out = new java.util.LinkedHashSet<>(LIFECYCLE);
        for (String s : LIFECYCLE) {
            out.addAll(NpmScripts.reachedNames(s, declared));
        }
        return out;
    }

    /** Reads an entry by its installed path ({@code package/x}): the last artifact entry installed there. */
    private static Function<String, Optional<byte[]>> installedReader(SourceView view) {
        Map<String, String> byInstalled = new java.util.HashMap<>();
        view.artifactFiles().forEach(f -> byInstalled.put(NpmLayout.installedPath(f.path()), f.path()));
        return installed -> Optional.ofNullable(byInstalled.get(installed)).flatMap(view::artifactBytes);
    }

    /** Every string leaf of {@code exports} (conditions nest), a {@code *} subpath pattern as a regex. */
    private static void exports(JsonNode n, String root, Map<String, String> why, List<Pattern> patterns, String reason) {
        if (n.isTextual()) {
            String target = root + clean(n.asText());
            if (target.contains("*")) {
                patterns.add(Pattern.compile(java.util.Arrays.stream(target.split("\\*", -1)).map(Pattern::quote)
                        .collect(java.util.stream.Collectors.joining(".*"))));
            } else {
                why.putIfAbsent(target, ExecutionRelevance.ENTRY_PREFIX + reason);
            }
        } else if (n.isContainerNode()) {
            n.forEach(c -> exports(c, root, why, patterns, reason));
        }
    }

    /**
     * The version as npm reads a manifest's ({@code semver.clean} in normalize-package-data): surrounding blanks and a
     * leading {@code v} or {@code =} dropped. Text that is not a version is returned as it is.
     */
    static String cleanVersion(String v) {
        String t = v.strip();
        String c = t.replaceFirst("^[=v]+", "").strip();
        return c.matches("\\d+\\.\\d+\\.\\d+(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?") ? c : v;
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
                return Optional.of(new Decision(source.isPresent() ? FileStatus.MODIFIED : FileStatus.PHANTOM,
                        PACKAGE_JSON_UNREADABLE, Set.of(RiskFlag.UNREADABLE_MANIFEST),
                        Optional.of("published package.json cannot be parsed here, so its install scripts, dependencies"
                                + " and entry points cannot be compared with the source's: "
                                + e.getMessage().lines().findFirst().orElse(""))));
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
            if (src != null) {
                src = resolvePublishedSpecs(src, path, view);
            }
            Optional<ObjectNode> dualPublished = src == null ? Optional.empty()
                    : NpmDualPublish.rootManifest(path, src, published, view);
            if (dualPublished.isPresent()) {
                src = dualPublished.get(); // with the fields dual-publish writes from the files it processed
            }
            JsonNode sourceExports = src == null ? null : src.path("exports");
            Optional<ObjectNode> tshyWritten = src == null || dualPublished.isPresent() ? Optional.empty()
                    : NpmTshy.rewritten(src, published, packagePaths(view));
            if (tshyWritten.isPresent()) {
                src = tshyWritten.get(); // with the exports (and type/main/types/module) tshy writes at publish
            }
            String dir = path.substring(0, path.length() - "package.json".length());
            boolean gypInArtifact = view.artifactFiles().stream().anyMatch(f -> f.path().equals(dir + "binding.gyp"));
            boolean gypInSource = view.alignment().sourcePath(dir + "binding.gyp").flatMap(view.tree()::get).isPresent();
            Set<RiskFlag> flags = EnumSet.noneOf(RiskFlag.class);
            List<String> findings = new ArrayList<>();
            List<String> publisherFindings = new ArrayList<>();
            boolean gypScriptAdded = false;
            // install-time: the lifecycle scripts and what either manifest's run by name (postinstall: npm run setup)
            Set<String> installTime = installTimeScripts(published.path("scripts"));
            if (src != null) {
                installTime.addAll(installTimeScripts(src.path("scripts")));
            }
            Set<String> judged = new java.util.LinkedHashSet<>(installTime);
            judged.addAll(NOT_ON_INSTALL);
            for (String script : judged) {
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
                if (installTime.contains(script)) {
                    flags.add(RiskFlag.INSTALL_SCRIPT);
                    findings.add(finding);
                } else {
                    publisherFindings.add(finding + " (not run on install)");
                }
            }
            if (src != null) {
                List<String> inputs = installInputsChanged(published, src, installTime, gypInArtifact && gypInSource);
                if (!inputs.isEmpty()) {
                    flags.add(RiskFlag.INSTALL_SCRIPT);
                    findings.addAll(inputs);
                }
            }
            List<String> otherFindings = new ArrayList<>(); // divergent, not high risk: range changes, new bins
            String otherRule = null;
            Set<String> newDeps = new TreeSet<>();
            Set<String> historyDeps = new TreeSet<>(); // declared, with this very spec, at another trusted commit
            Set<String> rangeChanges = new TreeSet<>();
            for (String kind : RUNTIME_DEPENDENCIES) {
                Iterator<Map.Entry<String, JsonNode>> deps = published.path(kind).fields();
                while (deps.hasNext()) {
                    Map.Entry<String, JsonNode> dep = deps.next();
                    String spec = dep.getValue().asText("");
                    Optional<String> declared = src == null ? Optional.empty() : declaredSpec(src, dep.getKey());
                    if (declared.isPresent() && !sameDependency(spec, declared.get()) && isRange(spec)
                            && isRange(declared.get())) {
                        // the same registry package, another semver range: a difference to see, not a new package
                        rangeChanges.add(dep.getKey() + " " + spec + " (source: " + declared.get() + ")");
                    } else if (declared.isEmpty() || !sameDependency(spec, declared.get())) {
                        String named = dep.getKey() + (declared.isEmpty() ? "" : " " + spec + " (source: "
                                + declared.get() + ")");
                        // only an ordinary semver range: a URL, git, file or tag spec is a new package whatever
                        // some commit declared
                        if (src != null && isRange(spec) && declaredInHistory(view, path, dep.getKey(), spec)) {
                            historyDeps.add(named);
                        } else {
                            newDeps.add(named);
                        }
                    }
                }
            }
            if (!newDeps.isEmpty() && src != null) {
                flags.add(RiskFlag.NEW_DEPENDENCY);
                findings.add("new dependencies " + newDeps);
            }
            if (!historyDeps.isEmpty()) {
                otherFindings.add("dependencies this commit does not declare, with the spec another commit of the "
                        + "repository's branches or tags declared " + historyDeps);
                otherRule = DEPENDENCY_FROM_HISTORY;
            }
            if (src != null) {
                NpmEntryPoints.Changes entries = NpmEntryPoints.added(normalize(published.deepCopy(), false),
                        normalize(src.deepCopy(), true));
                entries.shadowing().forEach(b -> findings.add("adds bin " + b + ", shadowing a common command"));
                findings.addAll(entries.newEntries());
                if (entries.highRisk()) {
                    flags.add(RiskFlag.ENTRY_POINT);
                }
                if (!entries.newBins().isEmpty()) {
                    otherFindings.add("adds bin " + String.join(", ", entries.newBins()));
                    otherRule = otherRule == null ? NEW_BIN : otherRule;
                }
            }
            FileStatus status = source.isPresent() ? FileStatus.MODIFIED : FileStatus.PHANTOM;
            if (!flags.isEmpty()) {
                String rule = flags.contains(RiskFlag.INSTALL_SCRIPT) ? INSTALL_SCRIPT
                        : flags.contains(RiskFlag.NEW_DEPENDENCY) ? NEW_DEPENDENCY : NEW_ENTRY_POINT;
                findings.addAll(otherFindings);
                findings.addAll(publisherFindings);
                return Optional.of(new Decision(status, rule, flags, Optional.of(String.join("; ", findings))));
            }
            if (!otherFindings.isEmpty()) {
                otherFindings.addAll(publisherFindings);
                return Optional.of(new Decision(FileStatus.MODIFIED, otherRule, Set.of(),
                        Optional.of(String.join("; ", otherFindings))));
            }
            if (!publisherFindings.isEmpty()) {
                return Optional.of(new Decision(status, PUBLISHER_SCRIPT, Set.of(),
                        Optional.of(String.join("; ", publisherFindings))));
            }
            if (src == null) {
                return Optional.empty();
            }
            ObjectNode a = normalize(published.deepCopy(), false);
            if (gypScriptAdded && a.path("scripts").isObject()) {
                ((ObjectNode) a.get("scripts")).remove("install"); // npm's own addition, verified above
                if (a.get("scripts").isEmpty() && !src.has("scripts")) {
                    a.remove("scripts");
                }
                if (!src.has("gypfile")) {
                    a.remove("gypfile");
                }
            }
            ObjectNode s = normalize(src.deepCopy(), true);
            List<String> applied = new ArrayList<>(); // rule ids of the publish tools' rewrites, in order
            List<String> notes = new ArrayList<>();
            if (dualPublished.isPresent()) {
                applied.add(NpmDualPublish.RULE);
                notes.add(NpmDualPublish.note(view));
            }
            if (tshyWritten.isPresent() && !published.path("exports").equals(sourceExports)) {
                applied.add(NpmTshy.RULE);
                notes.add("exports written by tshy at publish from the source's tshy config");
            }
            devFieldsStripped(s, a, applied, notes);
            pinstDisabled(s, a, applied, notes);
            readmeField(s, a, dir, view, applied, notes);
            entriesRemoved(s, a, applied, notes);
            if (a.equals(s)) {
                return Optional.of(applied.isEmpty() ? Decision.of(FileStatus.MATCH_NORMALIZED, PACKAGE_JSON_REWRITE)
                        : new Decision(FileStatus.MATCH_NORMALIZED, applied.get(0), Set.of(),
                        Optional.of(String.join("; ", notes))));
            }
            Optional<String> versionOnly = versionOnly(a, s, version);
            if (versionOnly.isPresent()) {
                notes.add(0, versionOnly.get());
                return Optional.of(new Decision(FileStatus.MATCH_NORMALIZED, VERSION_ONLY, Set.of(),
                        Optional.of(String.join("; ", notes))));
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
            if (rangeChanges.isEmpty() && devOnly(keys, a, s, version)) {
                return Optional.of(new Decision(FileStatus.MODIFIED, DEV_FIELDS_DIFFER, Set.of(),
                        Optional.of("package.json differs only in fields no install or run reads: " + keys)));
            }
            if (!rangeChanges.isEmpty()) {
                return Optional.of(new Decision(FileStatus.MODIFIED, DEPENDENCY_RANGE, Set.of(),
                        Optional.of("dependency ranges differ from the source's " + rangeChanges
                                + "; package.json fields differ: " + keys)));
            }
            return Optional.of(new Decision(FileStatus.MODIFIED, PACKAGE_JSON_DIFFERS, Set.of(),
                    Optional.of("package.json fields differ: " + keys)));
        }

        /**
         * The fields the install reads besides its scripts, each published unlike the source's (red team round 8, c14):
         * what native-addon installers take from the manifest — {@code binary} (node-pre-gyp's and prebuild-install's
         * download host, remote path, package name, module path, N-API versions), {@code gypfile} (npm runs
         * {@code node-gyp rebuild} unless it is false), {@code cmake-js}, {@code napi_versions} — whatever the
         * scripts say; {@code config} when the package runs anything at install (npm hands it to every script as
         * {@code npm_package_config_*}); every {@code npm_package_*} variable an install-time script names
         * ({@code node $npm_package_config_setup}) whose value differs; and {@code repository}, from which
         * prebuild-install builds its GitHub download URL, when an install-time script runs prebuild-install. The
         * scripts are equal, but what they fetch or run is not: an install script changed. {@code gypfile: true}
         * added beside a {@code binding.gyp} the source holds is what npm writes itself.
         */
        static List<String> installInputsChanged(ObjectNode published, ObjectNode src, Set<String> installTime,
                                                 boolean gypBoth) {
            List<String> out = new ArrayList<>();
            for (String field : INSTALL_TOOL_FIELDS) {
                JsonNode p = published.get(field);
                JsonNode s = src.get(field);
                boolean npmGypfile = field.equals("gypfile") && s == null && p != null && p.asBoolean(false) && gypBoth;
                if (!java.util.Objects.equals(p, s) && !npmGypfile) {
                    out.add("changes " + field + ", which native-addon installers (node-pre-gyp, prebuild-install, "
                            + "node-gyp, cmake-js) read on install: " + abbreviate(String.valueOf(p)));
                }
            }
            boolean runs = gypBoth || LIFECYCLE.stream().anyMatch(x -> !published.path("scripts").path(x).asText("").isBlank()
                    || !src.path("scripts").path(x).asText("").isBlank());
            if (runs && !java.util.Objects.equals(published.get("config"), src.get("config"))) {
                out.add("changes config, which npm hands to the install scripts as npm_package_config_*: "
                        + abbreviate(String.valueOf(published.get("config"))));
            }
            NpmScriptEnv pe = NpmScriptEnv.of(published);
            NpmScriptEnv se = NpmScriptEnv.of(src);
            Set<String> seen = new java.util.HashSet<>();
            boolean prebuild = false;
            for (String script : installTime) {
                for (ObjectNode m : List.of(published, src)) {
                    String command = m.path("scripts").path(script).asText("");
                    prebuild |= command.matches("(?s).*\\bprebuild-install\\b.*");
                    for (String var : NpmScriptEnv.packageVariables(command)) {
                        if (!var.equals("npm_package_name") && !var.equals("npm_package_version") && seen.add(var)
                                && !pe.value(var).equals(se.value(var))) {
                            out.add("changes " + var + ", which the " + script + " script reads: "
                                    + abbreviate(pe.value(var).orElse("(unset)")));
                        }
                    }
                }
            }
            if (prebuild) {
                JsonNode p = normalize(published.deepCopy(), false).get("repository");
                JsonNode s = normalize(src.deepCopy(), true).get("repository");
                if (!java.util.Objects.equals(p, s)) {
                    out.add("changes repository, from which prebuild-install (run on install) downloads the binary: "
                            + abbreviate(String.valueOf(p)));
                }
            }
            return out;
        }

        /**
         * Only {@code version} differs and the published value is this release's version: a pre-release or canary
         * published from a working tree where the version was bumped without a commit ({@code npm version
         * --no-git-tag-version}, release tooling). npm cleans surrounding blanks ({@code semver.clean}); anything
         * else in the slot is not this release's version and stays a difference.
         */
        private static Optional<String> versionOnly(ObjectNode a, ObjectNode s, String version) {
            if (!a.path("version").isTextual() || !s.path("version").isTextual()
                    || !cleanVersion(a.path("version").asText()).equals(version)) {
                return Optional.empty();
            }
            ObjectNode x = a.deepCopy();
            ObjectNode y = s.deepCopy();
            x.remove("version");
            y.remove("version");
            return x.equals(y) ? Optional.of("only the version differs: published " + version + ", source declares "
                    + s.path("version").asText()) : Optional.empty();
        }

        /**
         * Every differing field is one nothing reads on a consumer's install or at run time (a development field,
         * scripts that differ only outside preinstall/install/postinstall, and {@code version} when the published one
         * is this release's): a real difference — the working tree was not the commit — kept divergent, but named.
         */
        private static boolean devOnly(Set<String> keys, ObjectNode a, ObjectNode s, String version) {
            if (keys.isEmpty()) {
                return false;
            }
            for (String k : keys) {
                boolean ok = DEV_ONLY_FIELDS.contains(k)
                        || (k.equals("version") && cleanVersion(a.path("version").asText("")).equals(version))
                        || (k.equals("scripts") && installTime(a, s).stream().allMatch(x -> a.path("scripts").path(x)
                        .equals(s.path("scripts").path(x))));
                if (!ok) {
                    return false;
                }
            }
            return keys.stream().anyMatch(k -> !k.equals("version"));
        }

        /**
         * Development-only fields removed at publish (clean-publish, clean-package, {@code pnpm pkg delete}): each
         * field the source has and the published manifest lacks entirely, when it is one nothing reads on a
         * consumer's install or at run time, and scripts that never run on install. Only removals: a value changed
         * or added stays a difference, and removing an install-time script, a dependency or an entry point is never
         * explained here.
         */
        private static void devFieldsStripped(ObjectNode s, ObjectNode a, List<String> applied, List<String> notes) {
            List<String> removed = new ArrayList<>();
            for (String k : DEV_ONLY_FIELDS) {
                if (s.has(k) && !a.has(k)) {
                    s.remove(k);
                    removed.add(k);
                }
            }
            // npm refuses to publish a package.json saying "private": true: a source marked so (lodash keeps its
            // source from being published by mistake) is published only by a build that removes the mark. Nothing on
            // a consumer's install reads it.
            if (s.path("private").isBoolean() && s.path("private").booleanValue() && !a.has("private")) {
                s.remove("private");
                removed.add("private");
            }
            JsonNode ss = s.get("scripts");
            if (ss != null && ss.isObject()) {
                JsonNode as = a.path("scripts");
                List<String> gone = new ArrayList<>();
                Set<String> installTime = installTime(a, s);
                ss.fieldNames().forEachRemaining(k -> {
                    if (!installTime.contains(k) && !as.has(k)) {
                        gone.add(k);
                    }
                });
                gone.forEach(((ObjectNode) ss)::remove);
                gone.forEach(k -> removed.add("scripts." + k));
                if (ss.isEmpty() && !a.has("scripts")) {
                    s.remove("scripts");
                }
            }
            if (!removed.isEmpty()) {
                applied.add(DEV_FIELDS_STRIPPED);
                notes.add("development-only fields removed at publish: " + removed);
            }
        }

        /**
         * pinst ({@code pinst --disable}, run at prepublish) renames {@code scripts.postinstall} to
         * {@code scripts._postinstall} so that consumers do not run the maintainer's git hooks installer: the
         * published {@code _postinstall} must hold exactly the source's {@code postinstall}.
         */
        private static void pinstDisabled(ObjectNode s, ObjectNode a, List<String> applied, List<String> notes) {
            JsonNode ss = s.path("scripts");
            JsonNode as = a.path("scripts");
            if (ss.isObject() && as.isObject() && ss.path("postinstall").isTextual() && !as.has("postinstall")
                    && !ss.has("_postinstall") && as.path("_postinstall").equals(ss.get("postinstall"))) {
                ((ObjectNode) ss).remove("postinstall");
                ((ObjectNode) as).remove("_postinstall");
                applied.add(PINST_DISABLED);
                notes.add("postinstall disabled by pinst (renamed _postinstall)");
            }
        }

        /** Fields from which a publish step may only take entries away: none of them adds code to run or load. */
        private static final List<String> REMOVABLE = List.of("scripts", "dependencies", "optionalDependencies",
                "peerDependencies");

        /**
         * Entries a publish step removed, nothing else: the published {@code scripts} or dependency map is the
         * source's with some entries left out, every remaining one unchanged (chokidar 0.6-0.8's {@code setup.js
         * prepublish} drops its {@code postinstall}; async 2.x's build drops {@code lodash-es}). A script that no
         * longer exists runs nothing, and a dependency that is gone installs nothing: the manifest then asks less of
         * a consumer than the source's. An entry changed or added is never this rule's.
         */
        private static void entriesRemoved(ObjectNode s, ObjectNode a, List<String> applied, List<String> notes) {
            List<String> removed = new ArrayList<>();
            for (String field : REMOVABLE) {
                JsonNode ss = s.get(field);
                JsonNode as = a.get(field);
                if (ss == null || !ss.isObject() || (as != null && !as.isObject())) {
                    continue;
                }
                List<String> gone = new ArrayList<>();
                boolean subset = true;
                for (Iterator<Map.Entry<String, JsonNode>> it = ss.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (as == null || !as.has(e.getKey())) {
                        gone.add(e.getKey());
                    }
                }
                if (as != null) {
                    for (Iterator<Map.Entry<String, JsonNode>> it = as.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        subset &= e.getValue().equals(ss.get(e.getKey()));
                    }
                }
                if (!subset || gone.isEmpty()) {
                    continue;
                }
                if (as == null) {
                    s.remove(field);
                } else {
                    gone.forEach(((ObjectNode) ss)::remove);
                }
                removed.add(field + " " + gone);
            }
            if (!removed.isEmpty()) {
                applied.add(ENTRIES_REMOVED);
                notes.add("entries removed at publish, none changed or added: " + String.join(", ", removed));
            }
        }

        /**
         * npm 1.x-5.x (read-package-json) wrote {@code readme} (the README's text, or "ERROR: No README data
         * found!") and {@code readmeFilename} into the manifest it packed. Dropped only when the source has neither
         * and the text is exactly that of the README the tarball ships (or npm's placeholder): inert data.
         */
        private static void readmeField(ObjectNode s, ObjectNode a, String dir, SourceView view, List<String> applied,
                                        List<String> notes) {
            if (!a.path("readme").isTextual() || s.has("readme") || s.has("readmeFilename")) {
                return;
            }
            String text = a.path("readme").asText();
            boolean placeholder = text.equals("ERROR: No README data found!");
            JsonNode filename = a.get("readmeFilename");
            if (filename != null && !(filename.isTextual() && filename.asText().matches("(?i)readme(\\.[A-Za-z0-9]+)?"))) {
                return;
            }
            boolean same = placeholder || (filename != null && view.artifactBytes(dir + filename.asText())
                    .map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8).strip().equals(text.strip()))
                    .orElse(false));
            if (same) {
                a.remove("readme");
                a.remove("readmeFilename");
                applied.add(README_FIELD);
                notes.add("readme field added by npm from " + (filename == null ? "no README" : filename.asText()));
            }
        }

        /** The install-time scripts of either manifest ({@link #installTimeScripts}). */
        private static Set<String> installTime(ObjectNode a, ObjectNode s) {
            Set<String> out = installTimeScripts(a.path("scripts"));
            out.addAll(installTimeScripts(s.path("scripts")));
            return out;
        }

        private static List<String> concat(List<String> a, List<String> b) {
            List<String> l = new ArrayList<>(a);
            l.addAll(b);
            return l;
        }

        /**
         * Whether some version of this package.json in the repository's branches and tags declared the dependency
         * with exactly this spec (same name, same spec, a runtime kind): a release cut from a working tree of
         * another commit, not a package the project never depended on.
         */
        private static boolean declaredInHistory(GeneratedFiles.SourceView view, String artifactPath, String name,
                                                 String spec) {
            Optional<String> sourcePath = view.alignment().sourcePath(artifactPath);
            if (sourcePath.isEmpty()) {
                return false;
            }
            for (byte[] past : view.historyBytes(sourcePath.get())) {
                try {
                    JsonNode n = JSON.readTree(past);
                    if (n != null && n.isObject() && declaredSpec((ObjectNode) n, name).filter(spec::equals).isPresent()) {
                        return true;
                    }
                } catch (IOException e) {
                    // a past version that is no JSON declares nothing
                }
            }
            return false;
        }

        /**
         * The source's manifest with each {@code workspace:} and {@code catalog:} spec replaced by what pnpm, yarn and
         * bun publish for it. {@code workspace:}: the version of the workspace package of that name at this commit
         * ({@code workspace:*} → {@code 1.2.0}, {@code workspace:^} → {@code ^1.2.0}, {@code workspace:~} →
         * {@code ~1.2.0}), or the range written after the prefix ({@code workspace:^1.0.0} → {@code ^1.0.0}); pnpm's
         * alias form too; never a URL, git or file spec ({@link #workspaceSpec}).
         * {@code catalog:} / {@code catalog:NAME}: the spec the workspace's default or named catalog gives that
         * dependency at this commit ({@link #catalogs}). A spec the commit cannot resolve stays as it is: no published
         * spec is then the source's.
         */
        static ObjectNode resolvePublishedSpecs(ObjectNode src, String manifestPath, GeneratedFiles.SourceView view) {
            ObjectNode out = null;
            Map<String, Optional<String>> versions = new java.util.HashMap<>();
            Map<String, Map<String, String>> catalogs = null;
            for (String kind : List.of("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")) {
                for (Map.Entry<String, JsonNode> e : iterable(src.path(kind))) {
                    String spec = e.getValue().asText("");
                    Optional<String> resolved;
                    if (spec.startsWith("workspace:")) {
                        resolved = workspaceSpec(e.getKey(), spec.substring("workspace:".length()),
                                n -> versions.computeIfAbsent(n, x -> workspaceVersion(view, x)));
                    } else if (spec.startsWith("catalog:")) {
                        if (catalogs == null) {
                            catalogs = catalogs(view, view.alignment().sourcePath(manifestPath).orElse("package.json"));
                        }
                        String name = spec.substring("catalog:".length()).strip();
                        resolved = Optional.ofNullable(catalogs.getOrDefault(name.isEmpty() ? "default" : name, Map.of())
                                .get(e.getKey()));
                    } else {
                        continue;
                    }
                    if (resolved.isPresent()) {
                        out = out == null ? src.deepCopy() : out;
                        ((ObjectNode) out.get(kind)).put(e.getKey(), resolved.get());
                    }
                }
            }
            return out == null ? src : out;
        }

        /**
         * What pnpm publishes for {@code workspace:REST} of dependency {@code dep} (pnpm's makePublishDependency,
         * https://pnpm.io/workspaces#publishing-workspace-packages; yarn and bun do the same without the alias form):
         * {@code *}/{@code ^}/{@code ~} (or nothing) → {@code V}/{@code ^V}/{@code ~V} with V the version of the
         * sibling package of that name in the commit; {@code NAME@*|^|~} → the same for sibling NAME, as
         * {@code npm:NAME@…} when NAME is not {@code dep}; a semver range → that range; {@code NAME@RANGE} →
         * {@code npm:NAME@RANGE} for a sibling NAME. Anything else — a URL, git, file, tag or {@code npm:} alias
         * after the prefix — resolves to nothing: the prefix promises a workspace package, never another source.
         */
        static Optional<String> workspaceSpec(String dep, String rest, Function<String, Optional<String>> siblingVersion) {
            int at = rest.lastIndexOf('@');
            String name = at > 0 ? rest.substring(0, at) : "";
            String range = at > 0 ? rest.substring(at + 1) : rest;
            if (at > 0 && !PACKAGE_NAME.matcher(name).matches() || at == 0) {
                return Optional.empty();
            }
            boolean alias = !name.isEmpty() && !name.equals(dep);
            String target = name.isEmpty() ? dep : name;
            if (range.isEmpty() || range.equals("*") || range.equals("^") || range.equals("~")) {
                String token = range.equals("^") || range.equals("~") ? range : "";
                return siblingVersion.apply(target).filter(PackageJsonRule::isRange)
                        .map(v -> (alias ? "npm:" + target + "@" : "") + token + v);
            }
            if (!isRange(range)) {
                return Optional.empty();
            }
            if (name.isEmpty()) {
                return Optional.of(range);
            }
            // the alias names a package of the workspace: pnpm refuses any other
            return siblingVersion.apply(target).map(v -> "npm:" + rest);
        }

        /** An npm package name, scoped or not (validate-npm-package-name's characters). */
        private static final Pattern PACKAGE_NAME = Pattern.compile("(?:@[A-Za-z0-9][A-Za-z0-9._~-]*/)?[A-Za-z0-9][A-Za-z0-9._~-]*");

        /**
         * The catalogs of the workspace holding the manifest at {@code manifestSourcePath}: from the nearest folder at
         * or above it that defines any — pnpm's {@code pnpm-workspace.yaml} (https://pnpm.io/catalogs), yarn's
         * {@code .yarnrc.yml}, bun's root {@code package.json} ({@code catalog}/{@code catalogs}, top level or under
         * {@code workspaces}). Catalog name ({@code default} for {@code catalog}) to dependency name to spec.
         */
        static Map<String, Map<String, String>> catalogs(GeneratedFiles.SourceView view, String manifestSourcePath) {
            String dir = manifestSourcePath.contains("/")
                    ? manifestSourcePath.substring(0, manifestSourcePath.lastIndexOf('/') + 1) : "";
            while (true) {
                for (String file : List.of("pnpm-workspace.yaml", ".yarnrc.yml", "package.json")) {
                    Optional<byte[]> bytes = view.sourceBytes(dir + file);
                    if (bytes.isEmpty()) {
                        continue;
                    }
                    try {
                        JsonNode n = (file.endsWith(".json") ? JSON : YAML).readTree(bytes.get());
                        Map<String, Map<String, String>> found = n == null ? Map.of()
                                : catalogsOf(n.path("workspaces").isObject() && !n.has("catalog") && !n.has("catalogs")
                                ? n.path("workspaces") : n);
                        if (!found.isEmpty()) {
                            return found;
                        }
                    } catch (IOException | RuntimeException ex) {
                        // unreadable: defines no catalog
                    }
                }
                if (dir.isEmpty()) {
                    return Map.of();
                }
                String up = dir.substring(0, dir.length() - 1);
                dir = up.contains("/") ? up.substring(0, up.lastIndexOf('/') + 1) : "";
            }
        }

        private static Map<String, Map<String, String>> catalogsOf(JsonNode n) {
            Map<String, Map<String, String>> out = new java.util.HashMap<>();
            for (Map.Entry<String, JsonNode> named : iterable(n.path("catalogs"))) {
                out.put(named.getKey(), specs(named.getValue()));
            }
            if (n.path("catalog").isObject()) {
                out.put("default", specs(n.path("catalog")));
            }
            out.values().removeIf(Map::isEmpty);
            return out;
        }

        private static Map<String, String> specs(JsonNode catalog) {
            Map<String, String> out = new java.util.HashMap<>();
            for (Map.Entry<String, JsonNode> e : iterable(catalog)) {
                if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                    out.put(e.getKey(), e.getValue().asText());
                }
            }
            return out;
        }

        /** The version of the package named {@code name} in the commit's tree (a workspace sibling), if any. */
        private static Optional<String> workspaceVersion(GeneratedFiles.SourceView view, String name) {
            int read = 0;
            for (String p : view.tree().files().keySet()) {
                if (!(p.equals("package.json") || p.endsWith("/package.json")) || p.contains("node_modules/")
                        || read++ >= 500) {
                    continue;
                }
                try {
                    JsonNode n = JSON.readTree(view.sourceText(p).orElse(""));
                    if (n != null && name.equals(n.path("name").asText(null)) && n.path("version").isTextual()) {
                        return Optional.of(n.path("version").asText());
                    }
                } catch (IOException e) {
                    // not a manifest
                }
            }
            return Optional.empty();
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
         * The published spec is the source's ({@code workspace:}/{@code catalog:} specs already resolved from the
         * commit by {@link #resolvePublishedSpecs}; one the commit cannot resolve equals no published spec). An alias
         * ({@code npm:other@1}), URL, git, file or link spec the source does not give is a different package, whatever
         * its name (https://docs.npmjs.com/cli/configuring-npm/package-json#dependencies).
         */
        static boolean sameDependency(String published, String declared) {
            return published.equals(declared);
        }

        /**
         * The same registry package under the same name with another ordinary semver range ({@code ^9.0.2} →
         * {@code ^10.0.0}): a version bump, not a new package. An alias, URL, git, file or tag spec on either side is not.
         */
        static boolean rangeChange(String published, String declared) {
            return isRange(published) && isRange(declared);
        }

        /** A semver version or range: digits, x/*, operators, spaces, ||, hyphen ranges, pre-release labels. */
        private static boolean isRange(String spec) {
            String t = spec.trim();
            if (t.isEmpty() || t.startsWith(".") || t.startsWith("/") || t.startsWith("~/") || t.contains(":")
                    || t.matches("(?i).*\\.(?:tgz|tar|tar\\.gz)$")) {
                return false; // npm-package-arg: a directory, a file or a tarball, never a registry range
            }
            // semver's range grammar (https://github.com/npm/node-semver#range-grammar): comparator sets joined by
            // ||, each a hyphen range or space-separated comparators; anything else npm reads as a dist-tag.
            for (String set : t.split("\\|\\|", -1)) {
                String c = set.trim();
                if (c.isEmpty()) {
                    continue;
                }
                if (!c.matches(PARTIAL + "\\s+-\\s+" + PARTIAL)
                        && !c.matches("(?:(?:[<>]=?|=|~>?|\\^)?\\s*" + PARTIAL + ")(?:\\s+(?:[<>]=?|=|~>?|\\^)?\\s*" + PARTIAL + ")*")) {
                    return false;
                }
            }
            return true;
        }

        /** A partial version: {@code 1}, {@code 1.x}, {@code 1.2.3-beta.1+build}, {@code *}, with an optional v. */
        private static final String PARTIAL = "v?(?:[0-9]+|[xX*])(?:\\.(?:[0-9]+|[xX*])){0,2}"
                + "(?:-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?";

        private static boolean srcHas(String kind, String dep, Optional<byte[]> source, ObjectMapper json) {
            try {
                return json.readTree(source.get()).path(kind).has(dep);
            } catch (IOException e) {
                return false;
            }
        }

        /**
         * What npm (and pnpm/yarn) change at publish: {@code bin} paths normalised, {@code repository} turned
         * into {@code {type, url: git+https://...}}, {@code publishConfig} fields applied, {@code _}-prefixed
         * bookkeeping and {@code gitHead} added ({@code workspace:}/{@code catalog:} specs are resolved beforehand,
         * from the commit: {@link #resolvePublishedSpecs}).
         */
        static ObjectNode normalize(ObjectNode n, boolean applyPublishConfig) {
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
                // pnpm 6.4 added type and imports (https://github.com/pnpm/pnpm/pull/3315)
                for (String k : List.of("main", "module", "exports", "imports", "type", "types", "typings", "bin",
                        "browser")) {
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
