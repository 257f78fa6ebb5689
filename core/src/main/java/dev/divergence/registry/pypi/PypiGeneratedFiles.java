package dev.divergence.registry.pypi;

import dev.divergence.model.Artifact;
import dev.divergence.model.ArtifactKind;
import dev.divergence.model.FileStatus;
import dev.divergence.registry.GeneratedFiles;
import java.nio.charset.StandardCharsets;
import com.fasterxml.jackson.databind.JsonNode;
import dev.divergence.model.RiskFlag;
import java.util.ArrayList;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What setuptools, hatchling, flit, poetry and friends add to sdists and wheels.
 * Sdist: https://packaging.python.org/en/latest/specifications/source-distribution-format/ ;
 * wheel: https://packaging.python.org/en/latest/specifications/binary-distribution-format/ .
 */
public final class PypiGeneratedFiles implements GeneratedFiles {

    public static final String SDIST_PKG_INFO = "pypi.sdist.pkg-info";
    public static final String SDIST_EGG_INFO = "pypi.sdist.egg-info";
    public static final String SDIST_SETUP_CFG_EGG_INFO = "pypi.sdist.setup-cfg-egg-info";
    /** setup.cfg as setuptools' sdist writes it back: the repository's file through a configparser round trip. */
    public static final String SDIST_SETUP_CFG_ROUNDTRIP = "pypi.sdist.setup-cfg-roundtrip";
    public static final String WHEEL_DIST_INFO = "pypi.wheel.dist-info";
    public static final String SCM_VERSION_FILE = "pypi.scm-version-file";
    /** versioneer's short {@code _version.py} (a JSON literal of the release's version) replacing its long one. */
    public static final String VERSIONEER_FILE = "pypi.versioneer-version-file";
    /** A file that is a symbolic link in the repository, shipped as the content of the file it points to. */
    public static final String SYMLINK_FOLLOWED = "pypi.symlink-followed";
    /** A wheel data script that is the repository's script with its shebang set to {@code #!python}. */
    public static final String SCRIPT_SHEBANG = "pypi.wheel.script-shebang";
    /** Requires-Dist / requires.txt naming a dependency the source does not declare: HIGH_RISK. */
    public static final String NEW_DEPENDENCY = "pypi.metadata.new-dependency";
    /** entry_points.txt declaring an entry point the source does not (or with another target): HIGH_RISK. */
    public static final String NEW_ENTRY_POINT = "pypi.metadata.new-entry-point";
    /** Dependencies or entry points in generated metadata that the source's static configuration cannot confirm. */
    public static final String METADATA_UNVERIFIED = "pypi.metadata.unverified";
    /** An sdist's Cargo.toml or Cargo.lock with a dependency or package source the source's lacks: HIGH_RISK. */
    public static final String CARGO_DEPENDENCY = "pypi.sdist.cargo-dependency";
    /** An sdist's pyproject.toml whose {@code [build-system]} requires or backend differ from the source's: HIGH_RISK. */
    public static final String BUILD_SYSTEM = "pypi.sdist.build-system";
    /**
     * A manifest the installer reads (an sdist's pyproject.toml, setup.cfg, Cargo.toml or Cargo.lock; a
     * {@code Requires-Dist} of METADATA/PKG-INFO) that does not parse here: what it declares cannot be compared with
     * the source, so it is HIGH_RISK ({@code UNREADABLE_MANIFEST}), never a plain difference.
     */
    public static final String MANIFEST_UNREADABLE = "pypi.manifest.unreadable";

    /** What bdist_wheel, hatchling, flit, poetry and pdm write into {@code NAME-VERSION.dist-info/}, besides
     *  METADATA and entry_points.txt (checked by content). */
    private static final Pattern DIST_INFO_FILE = Pattern.compile(
            "WHEEL|RECORD|RECORD\\.jws|RECORD\\.p7s|top_level\\.txt|zip-safe|not-zip-safe|namespace_packages\\.txt"
            + "|dependency_links\\.txt|metadata\\.json|pbr\\.json|DESCRIPTION\\.rst|licenses/.+|license_files/.+|sboms/.+"
            + "|(?:LICEN[CS]E|COPYING|NOTICE|AUTHORS)[^/]*");
    /** What setuptools' egg_info writes into {@code NAME.egg-info/}, besides PKG-INFO, requires.txt and entry_points.txt. */
    private static final Pattern EGG_INFO_FILE = Pattern.compile(
            "SOURCES\\.txt|dependency_links\\.txt|top_level\\.txt|not-zip-safe|zip-safe|namespace_packages\\.txt");

    /**
     * Only where the packaging tool writes: {@code NAME-VERSION.dist-info/} at the wheel's root, named after the
     * wheel itself; {@code PKG-INFO} and {@code NAME.egg-info/} at the sdist's root folder (or its {@code src/},
     * where setuptools puts egg-info for a src layout). A dist-info of another name, or one nested elsewhere, is an
     * ordinary file and is compared as one.
     */
    @Override
    public Optional<String> pathRule(Artifact artifact, String path) {
        if (artifact.kind() == ArtifactKind.WHEEL) {
            Optional<String> file = distInfoFile(artifact, path);
            return file.filter(f -> DIST_INFO_FILE.matcher(f).matches()).map(f -> WHEEL_DIST_INFO);
        }
        if (artifact.kind() != ArtifactKind.SDIST) {
            return Optional.empty();
        }
        // PKG-INFO (at the root or in egg-info) is not explained by its path: installers such as uv read its
        // Requires-Dist without building the sdist (Metadata-Version 2.2+), so DeclaredDependencies checks it.
        return eggInfoFile(artifact, path).filter(f -> EGG_INFO_FILE.matcher(f).matches()).map(f -> SDIST_EGG_INFO);
    }

    /** {@code name-1.0-py3-none-any.whl} → {@code name-1.0.dist-info/}, compared as the wheel spec normalises. */
    static Optional<String> distInfoFile(Artifact artifact, String path) {
        int slash = path.indexOf('/');
        if (slash < 0 || !path.startsWith(".dist-info", slash - ".dist-info".length())) { // every file asks: first
            return Optional.empty();
        }
        String[] parts = artifact.filename().split("-");
        if (parts.length < 3) {
            return Optional.empty();
        }
        String dir = path.substring(0, slash - ".dist-info".length());
        int dash = dir.lastIndexOf('-');
        if (dash <= 0 || !distName(dir.substring(0, dash)).equals(distName(parts[0]))
                || !dir.substring(dash + 1).equalsIgnoreCase(parts[1])) {
            return Optional.empty();
        }
        return Optional.of(path.substring(slash + 1));
    }

    /** The sdist's {@code name-version/} folder, from its file name. */
    static Optional<String> sdistRoot(Artifact artifact) {
        String f = artifact.filename();
        for (String ext : List.of(".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".zip", ".tar")) {
            if (f.endsWith(ext)) {
                return Optional.of(f.substring(0, f.length() - ext.length()) + "/");
            }
        }
        return Optional.empty();
    }

    /** The file inside {@code ROOT/NAME.egg-info/} (or {@code ROOT/src/NAME.egg-info/}) for this project's NAME. */
    static Optional<String> eggInfoFile(Artifact artifact, String path) {
        Optional<String> root = sdistRoot(artifact);
        if (root.isEmpty() || !path.startsWith(root.get())) {
            return Optional.empty();
        }
        String rootName = root.get().substring(0, root.get().length() - 1);
        int dash = rootName.lastIndexOf('-');
        if (dash <= 0) {
            return Optional.empty();
        }
        String inner = path.substring(root.get().length());
        if (inner.startsWith("src/")) {
            inner = inner.substring(4);
        }
        int slash = inner.indexOf('/');
        if (slash < 0 || !inner.substring(0, slash).endsWith(".egg-info") // every file of the sdist asks: names last
                || !distName(inner.substring(0, slash - ".egg-info".length()))
                        .equals(distName(rootName.substring(0, dash)))) {
            return Optional.empty();
        }
        return Optional.of(inner.substring(slash + 1));
    }

    private static final java.util.regex.Pattern NAME_SEPARATORS = java.util.regex.Pattern.compile("[-_.]+");

    private static String distName(String name) {
        return NAME_SEPARATORS.matcher(name.toLowerCase(java.util.Locale.ROOT)).replaceAll("_");
    }

    private static final java.util.regex.Pattern METADATA_ENTRY = java.util.regex.Pattern.compile(
            "[^/]+\\.dist-info/(RECORD|METADATA)|[^/]+/PKG-INFO|[^/]+/pyproject\\.toml");

    private static final Pattern BUILD_CONFIG = Pattern.compile("[^/]+/(?:pyproject\\.toml|setup\\.cfg)");

    /**
     * An sdist's pyproject.toml and setup.cfg declare what a build installs: {@link BuildConfig} compares their
     * declarations as data before any text normalisation (a version token in a dependency's URL is no version line);
     * so do {@link RequirementsFiles} for a requirements file and {@link CargoFiles} for a Cargo manifest.
     */
    @Override
    public boolean comparedAsData(String path) {
        return BUILD_CONFIG.matcher(path).matches() || RequirementsFiles.BY_NAME.matcher(path).matches()
                || CargoFiles.BY_NAME.matcher(path).matches();
    }

    /** Also the sdist's pyproject.toml, which {@link #executionRelevance} reads for the build configuration. */
    @Override
    public boolean metadataEntry(String path) {
        return (path.endsWith("RECORD") || path.endsWith("METADATA") || path.endsWith("PKG-INFO")
                || path.endsWith("pyproject.toml")) && METADATA_ENTRY.matcher(path).matches();
    }

    /**
     * A wheel's RECORD must list every file with its hash (attackers who rebuild a wheel keep it consistent,
     * so a mismatch points to tampering after the build); METADATA and PKG-INFO must name this release.
     * https://packaging.python.org/en/latest/specifications/recording-installed-packages/#the-record-file
     */
    @Override
    public List<String> consistency(dev.divergence.model.Release release, Artifact artifact,
                                    List<dev.divergence.model.ArtifactFile> files,
                                    java.util.function.Function<java.util.Set<String>, java.util.Map<String, byte[]>> extractor) {
        List<String> problems = new java.util.ArrayList<>();
        java.util.Map<String, dev.divergence.model.ArtifactFile> byPath = new java.util.HashMap<>();
        files.forEach(f -> byPath.putIfAbsent(f.path(), f));
        Optional<String> metadata;
        if (artifact.kind() == ArtifactKind.WHEEL) {
            Optional<String> distInfo = files.stream().map(f -> f.path()).filter(p -> WHEEL_RECORD.matcher(p).matches())
                    .findFirst().map(p -> p.substring(0, p.indexOf('/')));
            if (distInfo.isEmpty()) {
                return List.of("wheel has no *.dist-info/RECORD");
            }
            String record = distInfo.get() + "/RECORD";
            metadata = Optional.of(distInfo.get() + "/METADATA");
            java.util.Map<String, byte[]> bytes = extractor.apply(java.util.Set.of(record, metadata.get()));
            byte[] r = bytes.get(record);
            if (r == null) {
                problems.add("RECORD unreadable");
            } else {
                java.util.Set<String> listed = new java.util.HashSet<>();
                int lineNo = 0;
                for (String line : new String(r, StandardCharsets.UTF_8).split("\r?\n")) {
                    lineNo++;
                    if (line.isBlank()) {
                        continue;
                    }
                    String[] cols = line.split(",", -1);
                    if (cols.length != 3) {
                        problems.add("malformed RECORD line " + lineNo);
                        continue;
                    }
                    String path = unquote(cols[0]);
                    listed.add(path);
                    if (cols[1].startsWith("sha256=") && byPath.containsKey(path)) {
                        String hex;
                        try {
                            hex = java.util.HexFormat.of().formatHex(java.util.Base64.getUrlDecoder()
                                    .decode(cols[1].substring(7)));
                        } catch (IllegalArgumentException e) {
                            problems.add("malformed RECORD hash for " + path);
                            continue;
                        }
                        if (!hex.equals(byPath.get(path).sha256())) {
                            problems.add("RECORD hash mismatch for " + path);
                        }
                    } else if (!cols[1].isEmpty() && byPath.containsKey(path) && !cols[1].startsWith("sha")) {
                        problems.add("malformed RECORD hash for " + path);
                    }
                }
                for (String p : byPath.keySet()) {
                    if (!listed.contains(p) && !p.equals(record) && !p.endsWith(".dist-info/RECORD.jws")
                            && !p.endsWith(".dist-info/RECORD.p7s")) {
                        problems.add("not in RECORD: " + p);
                    }
                }
            }
            checkMetadata(release, metadata.get(), bytes.get(metadata.get()), problems);
        } else if (artifact.kind() == ArtifactKind.SDIST) {
            Optional<String> pkgInfo = files.stream().map(f -> f.path()).filter(p -> TOP_PKG_INFO.matcher(p).matches()).findFirst();
            if (pkgInfo.isPresent()) {
                checkMetadata(release, pkgInfo.get(), extractor.apply(java.util.Set.of(pkgInfo.get())).get(pkgInfo.get()),
                        problems);
            }
        }
        return problems.size() > 20 ? List.of(String.join("; ", problems.subList(0, 20)) + "; ... "
                + (problems.size() - 20) + " more") : problems;
    }

    private static void checkMetadata(dev.divergence.model.Release release, String path, byte[] bytes,
                                      List<String> problems) {
        if (bytes == null) {
            problems.add(path + " missing or unreadable");
            return;
        }
        PythonProject.MetadataHeaders headers = PythonProject.rfc822(new String(bytes, StandardCharsets.UTF_8));
        Optional<String> name = headers.first("Name").map(String::strip);
        Optional<String> version = headers.first("Version").map(String::strip);
        if (name.isEmpty() || version.isEmpty()) {
            problems.add("malformed " + path + ": no Name or Version");
            return;
        }
        String n = name.get().toLowerCase().replaceAll("[-_.]+", "-");
        if (!n.equals(release.pkg().name())) {
            problems.add(path + " names package " + name.get());
        }
        if (!dev.divergence.source.VersionSpelling.same(version.get(), release.version())
                && !version.get().equals(release.version())) {
            problems.add(path + " says version " + version.get());
        }
    }

    @Override
    public List<ContentRule> contentRules() {
        return List.of(new BuildConfig(), new RequirementsFiles(), new CargoFiles(), new SetupCfgEggInfo(), new SetupCfgRoundTrip(), new ScmVersionFile(), new DeclaredDependencies(),
                new DeclaredEntryPoints(), new ScriptShebang(), new VersioneerFile(), new SymlinkFollowed());
    }

    /**
     * versioneer replaces the repository's {@code _version.py} (its long template) with a short one in every sdist
     * and wheel it builds: exactly versioneer's SHORT_VERSION_PY around a JSON object
     * (https://github.com/python-versioneer/python-versioneer, {@code write_to_version_file}). The JSON must hold
     * exactly versioneer's keys with values of their shape, and {@code version} must be this release.
     */
    static final class VersioneerFile implements ContentRule {
        private static final Pattern SHORT = Pattern.compile("\\A\\n?# This file was generated by 'versioneer\\.py' "
                + "\\([0-9][0-9A-Za-z.+]*\\) from\\n# revision-control system data, or from the parent directory name of an\\n"
                + "# unpacked source archive\\. Distribution tarballs contain a pre-generated copy\\n# of this file\\.\\n\\n"
                + "import json\\n\\nversion_json = '''\\n(\\{[^']*\\})\\n'''  # END VERSION_JSON\\n\\n\\n"
                + "def get_versions\\(\\):\\n    return json\\.loads\\(version_json\\)\\n\\z");
        /** versioneer 0.12 to 0.14's short form: two assignments (version, full revision id) and a fixed function. */
        private static final Pattern LEGACY_SHORT = Pattern.compile("\\A\\n?# This file was generated by 'versioneer\\.py' "
                + "\\(0\\.1[2-4]\\) from\\n# revision-control system data, or from the parent directory name of an\\n"
                + "# unpacked source archive\\. Distribution tarballs contain a pre-generated copy\\n# of this file\\.\\n\\n"
                + "version_version = '([0-9A-Za-z.+_-]+)'\\nversion_full = '[0-9a-f]{40}(?:-dirty)?'\\n"
                + "def get_versions\\(default=\\{\\}, verbose=False\\):\\n"
                + "    return \\{'version': version_version, 'full': version_full\\}\\n\\n?\\z");
        private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

        @Override
        public String id() {
            return VERSIONEER_FILE;
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version) {
            if (!path.endsWith("_version.py") || source.isEmpty() || bytes.length > 4096
                    || !new String(source.get(), StandardCharsets.UTF_8).contains("versioneer")) {
                return Optional.empty();
            }
            String text = new String(bytes, StandardCharsets.UTF_8).replace("\r\n", "\n");
            java.util.regex.Matcher legacy = LEGACY_SHORT.matcher(text);
            if (legacy.matches()) {
                return legacy.group(1).equals(version) || dev.divergence.source.VersionSpelling.same(legacy.group(1), version)
                        ? Optional.of(Decision.of(FileStatus.GENERATED, id())) : Optional.empty();
            }
            java.util.regex.Matcher m = SHORT.matcher(text);
            if (!m.matches()) {
                return Optional.empty();
            }
            try {
                JsonNode j = JSON.readTree(m.group(1));
                java.util.Set<String> keys = new java.util.TreeSet<>();
                j.fieldNames().forEachRemaining(keys::add);
                // "date" since versioneer 0.18; 0.15 to 0.17 write the other four keys
                boolean ok = (keys.equals(java.util.Set.of("date", "dirty", "error", "full-revisionid", "version"))
                            || keys.equals(java.util.Set.of("dirty", "error", "full-revisionid", "version")))
                        && (!j.has("date") || j.get("date").isNull() || j.get("date").asText().matches(
                                "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[+-]\\d{4}"))
                        && (j.get("dirty").isBoolean() || j.get("dirty").isNull()) && j.get("error").isNull()
                        && (j.get("full-revisionid").isNull() || j.get("full-revisionid").asText().matches("[0-9a-f]{40}"))
                        && j.get("version").isTextual()
                        && (j.get("version").asText().equals(version)
                            || dev.divergence.source.VersionSpelling.same(j.get("version").asText(), version));
                return ok ? Optional.of(Decision.of(FileStatus.GENERATED, id())) : Optional.empty();
            } catch (java.io.IOException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * setuptools builds sdists and wheels by copying files, and a copy follows a symbolic link: where the repository
     * holds a link ({@code 120000} mode, its blob the target path), the archive holds the target's bytes. Explained only
     * when the link, resolved from its own folder (links to links followed, at most 8), names a file of the same
     * commit inside the repository whose bytes are exactly the published ones: nothing may differ.
     */
    static final class SymlinkFollowed implements ContentRule {
        private static final int GIT_SYMLINK = 0120000;

        @Override
        public String id() {
            return SYMLINK_FOLLOWED;
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version, SourceView view) {
            Optional<dev.divergence.source.SourceTree.SourceFile> link = view.alignment().sourcePath(path)
                    .flatMap(view.tree()::get);
            for (int hops = 0; hops < 8 && link.isPresent() && link.get().mode() == GIT_SYMLINK; hops++) {
                String linkPath = link.get().path();
                Optional<String> target = view.sourceText(linkPath).flatMap(t -> resolve(linkPath, t));
                if (target.isEmpty()) {
                    return Optional.empty();
                }
                link = view.tree().get(target.get());
                if (link.isPresent() && link.get().mode() != GIT_SYMLINK) {
                    Optional<byte[]> content = view.sourceBytes(link.get().path());
                    String followed = link.get().path();
                    return content.filter(c -> java.util.Arrays.equals(c, bytes))
                            .map(c -> new Decision(FileStatus.MATCH_NORMALIZED, id(), Set.of(),
                                    Optional.of("symbolic link in the repository to " + followed)));
                }
            }
            return Optional.empty();
        }

        /** The link's target from its folder, normalised; empty when absolute or leaving the repository. */
        static Optional<String> resolve(String linkPath, String target) {
            if (target.isEmpty() || target.startsWith("/") || target.contains("\0") || target.contains("\n")) {
                return Optional.empty();
            }
            java.util.Deque<String> parts = new java.util.ArrayDeque<>();
            String dir = linkPath.contains("/") ? linkPath.substring(0, linkPath.lastIndexOf('/')) : "";
            for (String seg : (dir.isEmpty() ? target : dir + "/" + target).split("/")) {
                if (seg.isEmpty() || seg.equals(".")) {
                    continue;
                }
                if (seg.equals("..")) {
                    if (parts.isEmpty()) {
                        return Optional.empty();
                    }
                    parts.removeLast();
                } else {
                    parts.addLast(seg);
                }
            }
            return parts.isEmpty() ? Optional.empty() : Optional.of(String.join("/", parts));
        }
    }

    /**
     * A wheel's {@code *.data/scripts/NAME} is the repository's script of that name with its Python shebang
     * replaced by {@code #!python} (or {@code #!pythonw}), which the wheel spec has installers rewrite to the
     * environment's interpreter (https://packaging.python.org/en/latest/specifications/binary-distribution-format/
     * "Recommended installer features"). Only that first line may differ.
     */
    static final class ScriptShebang implements ContentRule {
        private static final Pattern SCRIPT = Pattern.compile("[^/]+\\.data/scripts/([^/]+)");
        private static final Pattern PYTHON_SHEBANG = Pattern.compile(
                "#!\\s*(?:/usr/bin/env\\s+)?(?:/[A-Za-z0-9_./-]*/)?python[0-9.]*w?(?:\\s+-[A-Za-z]+)?\\s*");

        @Override
        public String id() {
            return SCRIPT_SHEBANG;
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version, SourceView view) {
            java.util.regex.Matcher m = SCRIPT.matcher(path);
            if (artifact.kind() != ArtifactKind.WHEEL || !m.matches() || source.isPresent()) {
                return Optional.empty();
            }
            String a = new String(bytes, StandardCharsets.UTF_8);
            int nl = a.indexOf('\n');
            // installers rewrite the line up to LF; a CR may only end it (CRLF), one inside would end a Python line
            if (nl < 0 || !a.substring(0, nl).matches("#!pythonw?\r?")) {
                return Optional.empty();
            }
            // a script installed under a common command's name shadows it on PATH whatever it holds (red team round 7:
            // the repository's fake git of tests/fakes/ shipped as .data/scripts/git): never explained
            if (dev.divergence.registry.CommonCommands.shadows(m.group(1))) {
                return Optional.empty();
            }
            int tried = 0;
            for (String p : view.tree().files().keySet()) {
                if (!(p.equals(m.group(1)) || p.endsWith("/" + m.group(1))) || ++tried > 20) {
                    continue;
                }
                // a test double, fixture or example of that name is no script of the package
                if (dev.divergence.registry.SourceFolders.notPackageSource(p.substring(0, p.lastIndexOf('/') + 1))) {
                    continue;
                }
                Optional<String> s = view.sourceText(p);
                int snl = s.map(x -> x.indexOf('\n')).orElse(-1);
                if (snl > 0 && PYTHON_SHEBANG.matcher(s.get().substring(0, snl).replace("\r", "")).matches()
                        && s.get().substring(snl).equals(a.substring(nl))) {
                    return Optional.of(new Decision(FileStatus.MATCH_NORMALIZED, SCRIPT_SHEBANG, Set.of(),
                            Optional.of("script " + p + " with its shebang rewritten to #!python")));
                }
            }
            return Optional.empty();
        }
    }

    // compiled once: asked for every file of every artifact
    private static final java.util.regex.Pattern WHEEL_RECORD = java.util.regex.Pattern.compile("[^/]+\\.dist-info/RECORD");
    private static final java.util.regex.Pattern TOP_PKG_INFO = java.util.regex.Pattern.compile("[^/]+/PKG-INFO");
    private static final java.util.regex.Pattern SITE_IMPORTED = java.util.regex.Pattern.compile(
            "(?:site|user)customize(?:\\.[^/]+|/__init__\\.[^/]+)");
    // case-insensitive: Windows installs Lib/site-packages, and macOS's default file system folds case
    private static final java.util.regex.Pattern PREFIX_DATA = java.util.regex.Pattern.compile(
            "(?i)(bin|Scripts|etc|lib|lib64|share/fish/vendor_conf\\.d)/.*");
    /** What site imports or reads at start-up wherever it lands under the prefix: customize modules and .pth files. */
    private static final java.util.regex.Pattern SITE_STARTUP_ANYWHERE = java.util.regex.Pattern.compile(
            "(?i)(?:.*/)?(?:(?:site|user)customize(?:\\.[^/]+|/__init__\\.[^/]+)|[^/]+\\.pth)");

    /**
     * What runs without being named. Wheel: {@code *.data/scripts/*} (installed onto PATH, where a script called
     * {@code pip} shadows pip), {@code *.data/data/} under {@code bin/}, {@code Scripts/}, {@code etc/} or
     * {@code lib/} (lands in the environment's prefix), and {@code sitecustomize.py}/{@code usercustomize.py} at an
     * import root (imported by site at start-up). Sdist: the in-tree build backend ({@code [build-system]
     * backend-path}) and the build hooks the published pyproject.toml names (hatch custom hooks, poetry's build
     * script, pdm's build script) and Cargo's build scripts ({@link #cargoBuildScripts}) — the installer runs them —,
     * and Cargo's configuration ({@code .cargo/config.toml}: wrappers, linkers, patches, source replacement).
     * {@code .pth} files and {@code setup.py} are flagged by name wherever they are.
     */
    @Override
    public ExecutionRelevance executionRelevance(Artifact artifact, SourceView view) {
        if (artifact.kind() == ArtifactKind.WHEEL) {
            return path -> {
                String[] parts = path.split("/", 3);
                boolean data = parts[0].endsWith(".data") && parts.length == 3;
                if (data && parts[1].equals("scripts")) {
                    return Optional.of("installed onto PATH");
                }
                if (data && parts[1].equals("data") && (PREFIX_DATA.matcher(parts[2]).matches()
                        || SITE_STARTUP_ANYWHERE.matcher(parts[2]).matches())) {
                    return Optional.of("installed into the environment prefix");
                }
                String importPath = data && (parts[1].equals("purelib") || parts[1].equals("platlib")) ? parts[2] : path;
                // any module form site imports: .py, .pyc, an extension module, a package's __init__
                return SITE_IMPORTED.matcher(importPath).matches()
                        ? Optional.of("imported by site at interpreter start") : Optional.empty();
            };
        }
        if (artifact.kind() != ArtifactKind.SDIST || sdistRoot(artifact).isEmpty()) {
            return path -> Optional.empty();
        }
        String root = sdistRoot(artifact).get();
        List<String> prefixes = new ArrayList<>();
        List<String> files = new ArrayList<>(List.of(root + "sitecustomize.py", root + "usercustomize.py",
                root + "src/sitecustomize.py", root + "src/usercustomize.py"));
        Optional<JsonNode> pyproject = PythonProject.toml(view.artifactBytes(root + "pyproject.toml")
                .map(b -> new String(b, StandardCharsets.UTF_8)));
        pyproject.ifPresent(p -> {
            JsonNode bs = p.path("build-system");
            String backend = bs.path("build-backend").asText("").replaceFirst(":.*$", "");
            String module = backend.replace('.', '/');
            String top = module.contains("/") ? module.substring(0, module.indexOf('/')) : module;
            for (JsonNode d : bs.path("backend-path")) {
                String dir = root + clean(d.asText());
                if (!dir.equals(root)) {
                    prefixes.add(dir); // a folder of its own: everything in it is the backend's
                }
                if (!module.isEmpty()) {
                    files.add(dir + module + ".py");
                    prefixes.add(dir + top + "/"); // the backend's package
                }
            }
            JsonNode hatch = p.path("tool").path("hatch");
            List<JsonNode> hooks = new ArrayList<>(List.of(hatch.path("build").path("hooks").path("custom"),
                    hatch.path("metadata").path("hooks").path("custom")));
            hatch.path("build").path("targets").forEach(t -> hooks.add(t.path("hooks").path("custom")));
            for (JsonNode h : hooks) {
                if (!h.isMissingNode()) {
                    files.add(root + clean(h.path("path").asText("hatch_build.py")));
                }
            }
            JsonNode poetryBuild = p.path("tool").path("poetry").path("build");
            if (poetryBuild.isTextual()) {
                files.add(root + clean(poetryBuild.asText()));
            } else if (poetryBuild.has("script")) {
                files.add(root + clean(poetryBuild.path("script").asText()));
            }
            JsonNode pdm = p.path("tool").path("pdm").path("build");
            if (pdm.has("setup-script")) {
                files.add(root + clean(pdm.path("setup-script").asText()));
            }
            if (bs.path("build-backend").asText("").startsWith("pdm.backend")) {
                files.add(root + "pdm_build.py");
            }
        });
        files.addAll(cargoBuildScripts(root, view));
        // what setup.py itself opens and runs for its metadata (exec(open("pkg/__about__.py").read()), runpy, a
        // path joined from literals): a Python file named by a string literal of setup.py, by its path or its name
        Set<String> setupNamed = new java.util.HashSet<>();
        view.artifactBytes(root + "setup.py").map(b -> new String(b, StandardCharsets.UTF_8)).ifPresent(text -> {
            java.util.regex.Matcher lit = PY_FILE_LITERAL.matcher(text);
            while (lit.find()) {
                setupNamed.add(clean(lit.group(2)));
            }
        });
        if (!setupNamed.isEmpty()) {
            for (dev.divergence.model.ArtifactFile f : view.artifactFiles()) {
                String rel = f.path().startsWith(root) ? f.path().substring(root.length()) : f.path();
                String name = rel.substring(rel.lastIndexOf('/') + 1);
                if (!rel.equals("setup.py") && (setupNamed.contains(rel) || setupNamed.contains(name))) {
                    files.add(f.path());
                }
            }
        }
        // the sdist's modules that setup.py imports, and those setuptools imports for cmdclass and attr: values
        files.addAll(BuildImports.files(root, view, pyproject));
        // build systems other backends drive: what they read is run at install (CMake's execute_process, file(DOWNLOAD)
        // and include; meson's run_command)
        String backendName = pyproject.map(p -> p.path("build-system").path("build-backend").asText("")).orElse("");
        Optional<Pattern> buildFiles = backendName.startsWith("scikit_build_core") || backendName.startsWith("skbuild")
                || backendName.startsWith("cmake_build_extension") || backendName.startsWith("py_build_cmake")
                ? Optional.of(CMAKE_FILES) : backendName.startsWith("mesonpy") ? Optional.of(MESON_FILES)
                : Optional.empty();
        Set<String> fileSet = new java.util.HashSet<>(files);
        return path -> {
            if (fileSet.contains(path)) {
                return Optional.of("run by the build at install time");
            }
            if (path.startsWith(root) && buildFiles.isPresent()
                    && buildFiles.get().matcher(path.substring(root.length())).matches()) {
                return Optional.of("read by the build system " + backendName + " drives at install time");
            }
            if (path.startsWith(root) && CargoFiles.CONFIG.matcher(path).matches()) {
                return Optional.of("Cargo's configuration for the build at install time");
            }
            for (String pre : prefixes) {
                if (path.startsWith(pre)) {
                    return Optional.of("in-tree build backend (backend-path)");
                }
            }
            return Optional.empty();
        };
    }

    /** A string literal naming a Python file ({@code "pkg/__about__.py"}, {@code '__version__.py'}). */
    private static final Pattern PY_FILE_LITERAL = Pattern.compile("(['\"])([A-Za-z0-9_./-]+\\.py)\\1");
    private static final Pattern CMAKE_FILES = Pattern.compile("(?:.*/)?(?:CMakeLists\\.txt|[^/]+\\.cmake|CMakePresets\\.json)");
    private static final Pattern MESON_FILES = Pattern.compile("(?:.*/)?(?:meson\\.build|meson\\.options|meson_options\\.txt)");

    /** How many Cargo manifests of one sdist are read for their build scripts. */
    private static final int MAX_CARGO_MANIFESTS = 64;

    /**
     * The build scripts Cargo compiles and runs before compiling each crate of the sdist (maturin and setuptools-rust
     * run Cargo when pip builds it): {@code [package] build = "path"}, else {@code build.rs} beside the
     * {@code Cargo.toml}; none with {@code build = false} (https://doc.rust-lang.org/cargo/reference/build-scripts.html).
     * Like setup.py, it runs on the installing machine.
     */
    static List<String> cargoBuildScripts(String root, SourceView view) {
        List<dev.divergence.model.ArtifactFile> manifests = new ArrayList<>();
        for (dev.divergence.model.ArtifactFile f : view.artifactFiles()) {
            if (f.path().startsWith(root) && (f.path().equals(root + "Cargo.toml") || f.path().endsWith("/Cargo.toml"))
                    && manifests.size() < MAX_CARGO_MANIFESTS) {
                manifests.add(f);
            }
        }
        if (manifests.isEmpty()) {
            return List.of();
        }
        Map<String, byte[]> bytes = view.artifactReader().apply(manifests);
        List<String> out = new ArrayList<>();
        for (dev.divergence.model.ArtifactFile f : manifests) {
            String dir = f.path().substring(0, f.path().length() - "Cargo.toml".length());
            Optional<JsonNode> cargo = PythonProject.toml(Optional.ofNullable(bytes.get(f.sha256()))
                    .map(b -> new String(b, StandardCharsets.UTF_8)));
            JsonNode build = cargo.map(c -> c.path("package").path("build"))
                    .orElse(com.fasterxml.jackson.databind.node.MissingNode.getInstance());
            if (build.isTextual()) {
                String script = dir + build.asText().replace('\\', '/');
                try {
                    script = java.nio.file.Path.of(script).normalize().toString().replace('\\', '/');
                } catch (java.nio.file.InvalidPathException unusual) {
                    // kept as written: matches no entry, and Cargo would refuse it too
                }
                out.add(script);
            } else if (!build.isBoolean() || build.asBoolean()) {
                out.add(dir + "build.rs"); // also when the manifest is unreadable here: Cargo's default
            }
        }
        return out;
    }

    private static String clean(String rel) {
        String r = rel.replace('\\', '/').replaceFirst("^(\\./)+", "");
        return r.equals(".") ? "" : r.endsWith("/") || r.endsWith(".py") ? r : r + "/";
    }

    /**
     * setuptools appends exactly {@code [egg_info] tag_build = ... tag_date = 0} to setup.cfg in every sdist it
     * builds; the rest of the file must be the source's, and the block's values only a build tag and 0/1.
     */
    static final class SetupCfgEggInfo implements ContentRule {
        private static final Pattern BLOCK = Pattern.compile(
                "(?md)^\\[egg_info\\]\\n(?:tag_build = [A-Za-z0-9.+_-]*\\n|tag_date = [01]\\n|tag_svn_revision = [01]\\n)+\\n*\\z");

        @Override
        public String id() {
            return SDIST_SETUP_CFG_EGG_INFO;
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version) {
            Optional<String> root = sdistRoot(artifact);
            if (root.isEmpty() || !path.equals(root.get() + "setup.cfg") || source.isEmpty()) {
                return Optional.empty();
            }
            String a = new String(bytes, StandardCharsets.UTF_8).replace("\r\n", "\n");
            String s = new String(source.get(), StandardCharsets.UTF_8).replace("\r\n", "\n");
            java.util.regex.Matcher m = BLOCK.matcher(a);
            if (!m.find()) {
                return Optional.empty();
            }
            String rest = a.substring(0, m.start());
            return rest.strip().equals(s.strip()) ? Optional.of(Decision.of(FileStatus.GENERATED, id())) : Optional.empty();
        }
    }

    /**
     * setuptools' sdist rewrites setup.cfg through {@code edit_config} ({@code save_version_info}: {@code [egg_info]}
     * {@code tag_build = TAG}, {@code tag_date = 0}; setuptools before 10 also {@code tag_svn_revision = 0}): the
     * repository's file read and written by configparser, which drops comments, writes {@code key = value}, indents
     * continuation lines with a tab and adds the {@code [egg_info]} options. Explained only when the published file is,
     * byte for byte, what that round trip makes of the repository's file ({@link SetupCfg}) with the published
     * {@code [egg_info]} values, each of the shape setuptools writes (a build tag of version characters, 0): any other
     * value, option, line or section is a difference. Without a setup.cfg in the repository the file must be that
     * block alone (GENERATED).
     */
    static final class SetupCfgRoundTrip implements ContentRule {
        private static final Map<String, Pattern> EGG_INFO_VALUES = Map.of(
                "tag_build", Pattern.compile("[A-Za-z0-9.+_-]*"), "tag_date", Pattern.compile("0"),
                "tag_svn_revision", Pattern.compile("0"));

        @Override
        public String id() {
            return SDIST_SETUP_CFG_ROUNDTRIP;
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version, SourceView view) {
            Optional<String> root = sdistRoot(artifact);
            if (root.isEmpty() || !path.equals(root.get() + "setup.cfg") || bytes.length > 1 << 20
                    || (source.isEmpty() && view.alignment().sourcePath(path).flatMap(view.tree()::get).isPresent())) {
                return Optional.empty();
            }
            String published = new String(bytes, StandardCharsets.UTF_8);
            if (published.contains("\r\n")) {
                published = published.replace("\r\n", "\n"); // written in text mode on Windows
            }
            Optional<SetupCfg.Data> written = SetupCfg.read(published);
            Optional<SetupCfg.Data> repository = source.isEmpty()
                    ? Optional.of(new SetupCfg.Data(Map.of(), Map.of()))
                    : SetupCfg.read(new String(source.get(), StandardCharsets.UTF_8));
            if (written.isEmpty() || repository.isEmpty() || !written.get().sections().containsKey("egg_info")) {
                return Optional.empty();
            }
            Map<String, String> eggInfo = new java.util.LinkedHashMap<>();
            written.get().sections().get("egg_info").forEach((k, v) -> {
                if (EGG_INFO_VALUES.containsKey(k) && EGG_INFO_VALUES.get(k).matcher(v).matches()) {
                    eggInfo.put(k, v);
                }
            });
            if (!eggInfo.containsKey("tag_build") || !eggInfo.containsKey("tag_date")) {
                return Optional.empty();
            }
            String expected = SetupCfg.write(SetupCfg.set(repository.get(), "egg_info", eggInfo));
            if (!expected.equals(published)) {
                return Optional.empty();
            }
            return Optional.of(source.isEmpty() ? Decision.of(FileStatus.GENERATED, SDIST_SETUP_CFG_EGG_INFO)
                    : Decision.of(FileStatus.MATCH_NORMALIZED, id()));
        }
    }

    /**
     * A version file written at build time and absent from Git (it is ignored there): setuptools-scm's
     * {@code write_to}/{@code version_file} template in each of its forms (7.x: two assignments; 7.1/8.0: a
     * {@code TYPE_CHECKING} block and typed declarations; 8.2+: {@code __all__}, one typing import a line,
     * {@code __commit_id__ = commit_id}; later: {@code tuple[int | str, ...]}, {@code str | None}), hatch-vcs (which
     * writes setuptools-scm's template) and hatchling's version build hook ({@code __version__ = VERSION = ...}). Read
     * as Python without running it: every statement must be one of the templates' forms — an assignment of a literal,
     * an annotation, a type alias made of names, subscripts and {@code |}, {@code __all__} as a list of names,
     * {@code TYPE_CHECKING}, imports from {@code __future__}/{@code typing} — with no call, attribute access or other
     * import, so a payload cannot be written in it. And every slot holds what the tool writes there: a string is the
     * release's version (a commit id for {@code commit_id}), a tuple is exactly setuptools-scm's
     * {@code _version_as_tuple} of that version (release numbers, {@code 'devN'}, the local label), a type alias or
     * annotation holds no string.
     */
    static final class ScmVersionFile implements ContentRule {
        private static final Pattern NAME = Pattern.compile("(^|.*/)(_version|version|__version__|_scm_version)\\.py");
        private static final String ID = "[A-Za-z_][A-Za-z0-9_]*";
        private static final String STR = "(?:'[A-Za-z0-9.+_-]*'|\"[A-Za-z0-9.+_-]*\")";
        private static final String SCALAR = "(?:" + STR + "|\\d+|None)";
        private static final String ONE_TYPE = ID + "(?:\\[[A-Za-z0-9_\\[\\], .|]*\\])?";
        private static final String TYPE = ONE_TYPE + "(?:\\s*\\|\\s*" + ONE_TYPE + ")*";
        private static final String TUPLE = "\\(\\s*(?:" + SCALAR + "\\s*(?:,\\s*" + SCALAR + "\\s*)*,?)?\\s*\\)";
        private static final Pattern ASSIGNMENT = Pattern.compile("((?:" + ID + "\\s*(?::\\s*" + TYPE + "\\s*)?=\\s*)+)("
                + SCALAR + "|" + TUPLE + ")");
        private static final Pattern ALL = Pattern.compile("__all__\\s*=\\s*\\[\\s*(?:" + STR + "\\s*(?:,\\s*" + STR
                + "\\s*)*,?)?\\s*\\]");
        private static final List<Pattern> FORMS = List.of(
                Pattern.compile("from __future__ import annotations"),
                Pattern.compile("from typing import (?:Tuple|Union|Optional|TYPE_CHECKING)(?:\\s*,\\s*(?:Tuple|Union|Optional|TYPE_CHECKING))*"),
                Pattern.compile("if TYPE_CHECKING:|else:|TYPE_CHECKING = False"),
                Pattern.compile(ID + "\\s*:\\s*" + TYPE),
                Pattern.compile(ID + "\\s*=\\s*" + TYPE),
                ASSIGNMENT, ALL);
        private static final Pattern STRING = Pattern.compile("'([^']*)'|\"([^\"]*)\"");
        /** What setuptools-scm writes for a commit: {@code ScmVersion.node}, 'g' and the abbreviated hash. */
        private static final Pattern COMMIT = Pattern.compile("g?[0-9a-f]{7,40}");
        /** PEP 440 (https://packaging.python.org/en/latest/specifications/version-specifiers/), as packaging parses it. */
        private static final Pattern PEP440 = Pattern.compile("v?(?:\\d+!)?(\\d+(?:\\.\\d+)*)"
                + "(?:[-_.]?(?:alpha|a|beta|b|preview|pre|c|rc)[-_.]?\\d*)?"
                + "(?:-\\d+|[-_.]?(?:post|rev|r)[-_.]?\\d*)?"
                + "(?:[-_.]?dev[-_.]?(\\d*))?"
                + "(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?", Pattern.CASE_INSENSITIVE);

        @Override
        public String id() {
            return SCM_VERSION_FILE;
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version) {
            if (source.isPresent() || !NAME.matcher(path).matches() || bytes.length > 4096) {
                return Optional.empty();
            }
            return literalVersionModule(new String(bytes, StandardCharsets.UTF_8), version)
                    ? Optional.of(Decision.of(FileStatus.GENERATED, id())) : Optional.empty();
        }

        static boolean literalVersionModule(String text, String version) {
            if (!text.chars().allMatch(c -> c == '\n' || c == '\r' || (c >= 0x20 && c < 0x7f))) {
                return false; // no tabs, form feeds, escapes of other alphabets, or invisible characters
            }
            if (PythonText.otherEncoding(text).isPresent()) {
                return false; // decoded with another codec (UTF-7: "+AAo-" in a comment is a newline), not as read here
            }
            boolean names = false;
            for (String statement : statements(text)) {
                if (FORMS.stream().noneMatch(f -> f.matcher(statement).matches())) {
                    return false;
                }
                java.util.regex.Matcher all = ALL.matcher(statement);
                java.util.regex.Matcher assignment = ASSIGNMENT.matcher(statement);
                if (all.matches()) {
                    if (!strings(statement).stream().allMatch(s -> s.matches(ID))) {
                        return false;
                    }
                } else if (assignment.matches()) {
                    Optional<Boolean> slot = slot(assignment.group(1), assignment.group(2), version);
                    if (slot.isEmpty()) {
                        return false;
                    }
                    names |= slot.get();
                } else if (!strings(statement).isEmpty()) {
                    return false; // a type alias or annotation has no string in these templates
                }
            }
            return names;
        }

        /**
         * Whether the assigned literal is what the template writes there: empty when it is not, true when it spells
         * the release version, false for other legitimate values (None, a commit id, a number).
         */
        private static Optional<Boolean> slot(String targets, String value, String version) {
            boolean commit = Pattern.compile("(?<![A-Za-z0-9_])(?:__commit_id__|commit_id)\\b").matcher(targets).find();
            if (value.startsWith("(")) {
                Optional<List<Object>> expected = versionTuple(version);
                return expected.isPresent() && !commit && tuple(value).equals(expected.get())
                        ? Optional.of(false) : Optional.empty();
            }
            if (!value.startsWith("'") && !value.startsWith("\"")) {
                return Optional.of(false); // None or an int
            }
            String literal = value.substring(1, value.length() - 1);
            if (commit) {
                return COMMIT.matcher(literal).matches() ? Optional.of(false) : Optional.empty();
            }
            return spellsRelease(literal, version) ? Optional.of(true) : Optional.empty();
        }

        /** The version itself, or another PEP 440 spelling of it with the same local label. */
        private static boolean spellsRelease(String literal, String version) {
            if (literal.equals(version)) {
                return true;
            }
            java.util.regex.Matcher a = PEP440.matcher(literal);
            java.util.regex.Matcher b = PEP440.matcher(version);
            return dev.divergence.source.VersionSpelling.same(literal, version) && a.matches() && b.matches()
                    && java.util.Objects.equals(local(a.group(3)), local(b.group(3)));
        }

        /**
         * setuptools-scm's {@code _version_as_tuple}: {@code Version(v).release}, then {@code 'dev' + N} when a dev
         * release, then the local label as packaging normalises it (lower case, {@code -_} as {@code .}, numeric parts
         * without leading zeros). Empty when the version is not PEP 440.
         */
        static Optional<List<Object>> versionTuple(String version) {
            java.util.regex.Matcher m = PEP440.matcher(version.strip());
            if (!m.matches()) {
                return Optional.empty();
            }
            List<Object> out = new ArrayList<>();
            for (String part : m.group(1).split("\\.")) {
                if (part.length() > 18) {
                    return Optional.empty();
                }
                out.add(Long.parseLong(part));
            }
            if (m.group(2) != null) {
                out.add("dev" + (m.group(2).isEmpty() ? 0 : Long.parseLong(m.group(2))));
            }
            if (m.group(3) != null) {
                out.add(local(m.group(3)));
            }
            return Optional.of(out);
        }

        private static String local(String label) {
            if (label == null) {
                return null;
            }
            List<String> parts = new ArrayList<>();
            for (String p : label.toLowerCase(java.util.Locale.ROOT).split("[-_.]")) {
                parts.add(p.matches("\\d{1,18}") ? Long.toString(Long.parseLong(p)) : p);
            }
            return String.join(".", parts);
        }

        /** The elements of a tuple literal of ints, strings and None. */
        private static List<Object> tuple(String literal) {
            List<Object> out = new ArrayList<>();
            java.util.regex.Matcher m = Pattern.compile(STR + "|\\d+|None").matcher(literal);
            while (m.find()) {
                String e = m.group();
                out.add(e.startsWith("'") || e.startsWith("\"") ? e.substring(1, e.length() - 1)
                        : e.equals("None") ? "None" : e.length() > 18 ? e : (Object) Long.parseLong(e));
            }
            return out;
        }

        private static List<String> strings(String statement) {
            List<String> out = new ArrayList<>();
            java.util.regex.Matcher m = STRING.matcher(statement);
            while (m.find()) {
                out.add(m.group(1) != null ? m.group(1) : m.group(2));
            }
            return out;
        }

        /**
         * Logical lines: comments and blank lines dropped, bracketed continuations joined, indentation removed. A
         * comment runs to the end of its physical line as Python's tokenizer reads it ({@link PythonText#physicalLines}:
         * a lone CR ends it too, so {@code # comment\rimport os} is a comment and then an import).
         */
        private static List<String> statements(String text) {
            List<String> out = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            int depth = 0;
            for (String line : PythonText.physicalLines(text)) {
                String l = line.strip();
                if (l.startsWith("#") || (l.isEmpty() && depth == 0)) {
                    continue;
                }
                for (char c : l.toCharArray()) {
                    depth += c == '[' || c == '(' ? 1 : c == ']' || c == ')' ? -1 : 0;
                }
                current.append(current.length() == 0 ? "" : " ").append(l);
                if (depth <= 0) {
                    out.add(current.toString());
                    current.setLength(0);
                    depth = 0;
                }
            }
            if (current.length() > 0) {
                out.add(current.toString()); // unbalanced: matches no form
            }
            return out;
        }
    }

    /**
     * A wheel's METADATA {@code Requires-Dist}, an sdist's {@code PKG-INFO} (at its root, which uv reads instead of
     * building the sdist when its Metadata-Version is 2.2 or later, and in its egg-info) and its
     * {@code egg-info/requires.txt} against the dependencies the source declares, compared as PEP 508 data
     * ({@link Pep508}: name, extras, specifier set, direct URL, marker and the extra that requires it): a requirement the
     * source does not declare, or declares with another spec, URL, marker or extra, is a new dependency (HIGH_RISK, as
     * for npm). When the source's dependencies cannot be read statically the file is kept visible (PHANTOM,
     * {@value #METADATA_UNVERIFIED}) instead of explained; so is one the source gives only in a form not modelled
     * (a poetry union).
     */
    static final class DeclaredDependencies implements ContentRule {
        @Override
        public String id() {
            return NEW_DEPENDENCY;
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version, SourceView view) {
            boolean wheelMetadata = distInfoFile(artifact, path).filter("METADATA"::equals).isPresent();
            Optional<String> root = sdistRoot(artifact);
            boolean rootPkgInfo = artifact.kind() == ArtifactKind.SDIST && root.isPresent()
                    && path.equals(root.get() + "PKG-INFO");
            boolean eggPkgInfo = eggInfoFile(artifact, path).filter("PKG-INFO"::equals).isPresent();
            boolean requires = eggInfoFile(artifact, path).filter("requires.txt"::equals).isPresent();
            if (!wheelMetadata && !rootPkgInfo && !eggPkgInfo && !requires) {
                return Optional.empty();
            }
            String generatedRule = wheelMetadata ? WHEEL_DIST_INFO : rootPkgInfo ? SDIST_PKG_INFO : SDIST_EGG_INFO;
            List<Pep508.Requirement> published = new ArrayList<>();
            List<String> unattributed = new ArrayList<>();
            List<String> unreadable = new ArrayList<>();
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (!requires) {
                // email.parser's view: case-insensitive names, folded values, defects kept as unattributed lines
                PythonProject.MetadataHeaders headers = PythonProject.rfc822(text);
                unattributed.addAll(headers.unattributed());
                for (String value : headers.all("Requires-Dist")) {
                    String v = value.replaceAll("\\s+", " ").strip();
                    Optional<Pep508.Requirement> r = PythonProject.requirement(v);
                    if (r.isPresent()) {
                        published.add(r.get());
                    } else {
                        unreadable.add("Requires-Dist " + v);
                    }
                    if (PythonText.hasLineBoundary(value) || value.contains(" #") || value.contains("\\")) {
                        // pkg_resources (pip's metadata backend before Python 3.11) reads each value with
                        // parse_strings: a folded value or one holding a form feed is several requirements there
                        for (String line : RequirementsFiles.setuptoolsLines(value)) {
                            PythonProject.requirement(line).ifPresent(published::add);
                        }
                    }
                }
            } else {
                // pkg_resources.split_sections and importlib.metadata's Sectioned.read: str.splitlines() (a form
                // feed ends a line too), lines stripped, '#' comments, [extra] or [extra:marker] sections (setuptools
                // moves a requirement's marker into its section's name), the rest requirements
                int n = 0;
                String group = "";
                String marker = "";
                for (String raw : PythonText.splitlines(text)) {
                    n++;
                    String line = PythonText.strip(raw);
                    if (line.isEmpty() || line.startsWith("#")) {
                        continue;
                    }
                    if (line.startsWith("[") && line.endsWith("]")) {
                        String section = line.substring(1, line.length() - 1).strip();
                        int colon = section.indexOf(':');
                        group = Pep508.normalize(colon < 0 ? section : section.substring(0, colon).strip());
                        marker = colon < 0 ? "" : section.substring(colon + 1).strip();
                        continue;
                    }
                    Optional<Pep508.Requirement> r = PythonProject.requirement(
                            marker.isEmpty() || line.contains(";") ? line : line + " ; " + marker);
                    if (r.isPresent() && r.get().group().isEmpty()) {
                        published.add(r.get().inGroup(group));
                    } else {
                        unattributed.add("line " + n + ": " + line);
                    }
                }
            }
            if (!unreadable.isEmpty()) {
                // the installer's reader (packaging, pkg_resources) may read what Pep508 refuses: unknown dependencies
                return Optional.of(new Decision(FileStatus.PHANTOM, MANIFEST_UNREADABLE, Set.of(RiskFlag.UNREADABLE_MANIFEST),
                        Optional.of("requirements this tool cannot parse as PEP 508 " + unreadable.subList(0,
                                Math.min(3, unreadable.size())) + (unreadable.size() > 3 ? " ..." : ""))));
            }
            if (published.isEmpty() && unattributed.isEmpty()) {
                return Optional.of(Decision.of(FileStatus.GENERATED, generatedRule));
            }
            Optional<List<Pep508.Requirement>> declared = PythonProject.dependencies(view);
            if (declared.isEmpty()) {
                return Optional.of(new Decision(FileStatus.PHANTOM, METADATA_UNVERIFIED, Set.of(),
                        Optional.of("the source's dependencies cannot be read statically; requires "
                                + published.stream().map(Pep508.Requirement::name).distinct().toList())));
            }
            java.util.Set<String> added = new java.util.TreeSet<>();
            java.util.Set<String> unverified = new java.util.TreeSet<>();
            for (Pep508.Requirement r : published) {
                switch (Pep508.match(r, declared.get())) {
                    case DECLARED -> { }
                    case UNVERIFIED -> unverified.add(r.toString());
                    default -> added.add(describe(r, Pep508.match(r, declared.get()), declared.get()));
                }
            }
            if (!added.isEmpty()) {
                return Optional.of(new Decision(FileStatus.PHANTOM, NEW_DEPENDENCY, Set.of(RiskFlag.NEW_DEPENDENCY),
                        Optional.of("new dependencies " + added)));
            }
            if (!unattributed.isEmpty()) {
                return Optional.of(unattributed(unattributed));
            }
            if (!unverified.isEmpty()) {
                return Optional.of(new Decision(FileStatus.PHANTOM, METADATA_UNVERIFIED, Set.of(),
                        Optional.of("the source gives these requirements in a form not modelled " + unverified)));
            }
            return Optional.of(Decision.of(FileStatus.GENERATED, generatedRule));
        }
    }

    /**
     * A requirement the source does not declare: its name (and URL) when the source declares nothing of that name,
     * else the published requirement beside what the source declares under the name.
     */
    static String describe(Pep508.Requirement r, Pep508.Match match, List<Pep508.Requirement> declared) {
        if (match == Pep508.Match.NEW) {
            return r.name() + r.url().map(u -> " @ " + u).orElse("");
        }
        return r + " (source: " + String.join(" | ", declared.stream().filter(d -> d.name().equals(r.name()))
                .map(Object::toString).toList()) + ")";
    }

    /**
     * A wheel's or an egg-info's {@code entry_points.txt} against the entry points the source declares: a console
     * script or plugin (pytest11, ...) the source does not declare, or one pointing elsewhere, runs code under a
     * name the user trusts (HIGH_RISK). Unknown source entry points keep the file visible.
     */
    static final class DeclaredEntryPoints implements ContentRule {
        @Override
        public String id() {
            return NEW_ENTRY_POINT;
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version, SourceView view) {
            boolean wheel = distInfoFile(artifact, path).filter("entry_points.txt"::equals).isPresent();
            boolean egg = eggInfoFile(artifact, path).filter("entry_points.txt"::equals).isPresent();
            if (!wheel && !egg) {
                return Optional.empty();
            }
            String generatedRule = wheel ? WHEEL_DIST_INFO : SDIST_EGG_INFO;
            PythonProject.EntryPointsFile published = PythonProject.entryPointsTxt(new String(bytes, StandardCharsets.UTF_8));
            if (published.entries().isEmpty() && published.unattributed().isEmpty()) {
                return Optional.of(Decision.of(FileStatus.GENERATED, generatedRule));
            }
            Optional<java.util.Map<String, java.util.Map<String, String>>> declared = PythonProject.entryPoints(view);
            if (declared.isEmpty()) {
                return Optional.of(new Decision(FileStatus.PHANTOM, METADATA_UNVERIFIED, Set.of(),
                        Optional.of("the source's entry points cannot be read statically")));
            }
            java.util.Set<String> added = new java.util.TreeSet<>();
            for (PythonProject.EntryPoint e : published.entries()) {
                String want = declared.get().getOrDefault(e.group(), java.util.Map.of()).get(e.name());
                if (want == null || !want.equals(PythonProject.squash(e.value()))) {
                    added.add(e.group() + ":" + e.name() + " = " + e.value());
                }
            }
            if (added.isEmpty() && !published.unattributed().isEmpty()) {
                return Optional.of(unattributed(published.unattributed()));
            }
            if (added.isEmpty()) {
                return Optional.of(Decision.of(FileStatus.GENERATED, generatedRule));
            }
            return Optional.of(new Decision(FileStatus.PHANTOM, NEW_ENTRY_POINT, Set.of(RiskFlag.ENTRY_POINT),
                    Optional.of("entry points the source does not declare " + added)));
        }
    }

    /**
     * Generated metadata holding lines its installer's parser does not attribute (a header-block defect, a line
     * outside any section): no packaging tool writes them, and what some other reader makes of them is unknown.
     */
    private static Decision unattributed(List<String> lines) {
        String shown = String.join("; ", lines.subList(0, Math.min(3, lines.size())))
                + (lines.size() > 3 ? "; ... " + (lines.size() - 3) + " more" : "");
        return new Decision(FileStatus.PHANTOM, METADATA_UNVERIFIED, Set.of(),
                Optional.of("lines the installer's parser does not attribute: " + shown));
    }

    /**
     * An sdist's build configuration against the source's at the same path: pip builds the sdist from it, so what it
     * declares is what gets installed and run.
     * <ul>
     * <li>{@code pyproject.toml} {@code [build-system]}: pip installs every {@code requires} entry and runs
     * {@code build-backend} (from {@code backend-path}) to build the sdist (PEP 517/518): a requirement the source does
     * not list (or lists with another spec) is a new dependency run at install time, another backend is code run at
     * install time ({@value #BUILD_SYSTEM}).</li>
     * <li>{@code pyproject.toml} {@code [project]} (PEP 621) and {@code [tool.poetry]} dependencies, optional
     * dependencies, scripts and entry points; {@code setup.cfg} {@code [options]} {@code install_requires},
     * {@code [options.extras_require]} and {@code [options.entry_points]}; the literal {@code install_requires},
     * {@code setup_requires}, {@code extras_require} and {@code entry_points} of a {@code setup.py}: what the built
     * wheel's METADATA and entry_points.txt will say. A requirement (as PEP 508 data) or an entry point the source's
     * file does not declare is {@value #NEW_DEPENDENCY} / {@value #NEW_ENTRY_POINT}, HIGH_RISK.</li>
     * <li>{@code pyproject.toml}'s requirements files ({@link RequirementsFiles#fileSpecs}): another file is another
     * set of dependencies ({@value #NEW_DEPENDENCY}); the files themselves are compared by {@link RequirementsFiles}.</li>
     * </ul>
     * When the declarations are the source's, pyproject.toml and setup.cfg (compared as data, see
     * {@link PypiGeneratedFiles#comparedAsData}) get the shared normalisations any file gets; otherwise other rules judge the file.
     */
    static final class BuildConfig implements ContentRule {
        @Override
        public String id() {
            return BUILD_SYSTEM;
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version, SourceView view) {
            Optional<String> root = sdistRoot(artifact);
            boolean sdistRoot = artifact.kind() == ArtifactKind.SDIST && root.isPresent() && path.startsWith(root.get())
                    && path.indexOf('/', root.get().length()) < 0;
            String name = path.substring(path.lastIndexOf('/') + 1);
            Optional<Decision> finding = !sdistRoot ? Optional.empty() : switch (name) {
                case "pyproject.toml" -> pyproject(bytes, source, view);
                case "setup.cfg" -> setupCfg(bytes, source, view);
                case "setup.py" -> setupPy(bytes, source);
                default -> Optional.empty();
            };
            if (finding.isPresent() || !BUILD_CONFIG.matcher(path).matches() || source.isEmpty()) {
                return finding;
            }
            return dev.divergence.compare.Normalizations.explain(bytes, source.get(), version)
                    .map(e -> Decision.of(e.status(), e.ruleId()));
        }

        private static Optional<Decision> pyproject(byte[] bytes, Optional<byte[]> source, SourceView view) {
            Optional<JsonNode> published = PythonProject.toml(Optional.of(new String(bytes, StandardCharsets.UTF_8)));
            if (published.isEmpty()) {
                return Optional.of(unreadable(source, "pyproject.toml", "a TOML parser"));
            }
            Optional<JsonNode> theirs = source.flatMap(b -> PythonProject.toml(Optional.of(new String(b, StandardCharsets.UTF_8))));
            Findings f = new Findings();
            JsonNode mine = published.get().path("build-system");
            JsonNode theirBuild = theirs.map(t -> t.path("build-system"))
                    .orElse(com.fasterxml.jackson.databind.node.MissingNode.getInstance());
            Map<String, String> mineRequires = new java.util.TreeMap<>(buildRequirements(mine));
            mineRequires.keySet().removeAll(buildRequirements(theirBuild).keySet());
            java.util.Set<String> added = new java.util.TreeSet<>(mineRequires.values());
            Set<RiskFlag> buildFlags = java.util.EnumSet.noneOf(RiskFlag.class);
            List<String> buildDetails = new ArrayList<>();
            if (!added.isEmpty()) {
                buildFlags.add(RiskFlag.NEW_DEPENDENCY);
                buildDetails.add("build requirements the source does not declare " + added);
            }
            for (String key : List.of("build-backend", "backend-path")) {
                String a = mine.path(key).isMissingNode() ? "(none)" : mine.path(key).toString();
                String b = theirBuild.path(key).isMissingNode() ? "(none)" : theirBuild.path(key).toString();
                if (!a.equals(b)) {
                    buildFlags.add(RiskFlag.AUTO_EXEC);
                    buildDetails.add(key + " " + a + " where the source has " + b);
                }
            }
            if (!buildFlags.isEmpty()) {
                f.add(BUILD_SYSTEM, buildFlags, String.join("; ", buildDetails)
                        + " (pip installs and runs them to build this sdist)");
            }
            Optional<List<Pep508.Requirement>> declared = theirs.isPresent()
                    ? Optional.of(PythonProject.pyprojectDependencies(theirs.get())) : PythonProject.dependencies(view);
            Optional<Map<String, Map<String, String>>> entries = theirs.isPresent()
                    ? Optional.of(PythonProject.pyprojectEntryPoints(theirs.get())) : PythonProject.entryPoints(view);
            JsonNode files = RequirementsFiles.fileSpecs(published.get());
            if (theirs.isPresent() && !files.equals(RequirementsFiles.fileSpecs(theirs.get()))) {
                f.add(NEW_DEPENDENCY, RiskFlag.NEW_DEPENDENCY, "dependencies read from " + files + " where the source has "
                        + RequirementsFiles.fileSpecs(theirs.get()) + " (a build of this sdist installs them)");
            }
            f.requirements(PythonProject.pyprojectDependencies(published.get()), declared);
            f.entryPoints(PythonProject.pyprojectEntryPoints(published.get()), entries);
            return f.decision(source.isPresent());
        }

        private static Optional<Decision> setupCfg(byte[] bytes, Optional<byte[]> source, SourceView view) {
            Optional<Map<String, Map<String, String>>> published = PythonProject.cfg(new String(bytes, StandardCharsets.UTF_8));
            if (published.isEmpty()) {
                return Optional.of(unreadable(source, "setup.cfg", "configparser as setuptools reads it"));
            }
            Optional<Map<String, Map<String, String>>> theirs = source.flatMap(
                    b -> PythonProject.cfg(new String(b, StandardCharsets.UTF_8)));
            Findings f = new Findings();
            f.requirements(PythonProject.setupCfgDependencies(published.get()), theirs.isPresent()
                    ? Optional.of(PythonProject.setupCfgDependencies(theirs.get())) : PythonProject.dependencies(view));
            f.entryPoints(PythonProject.setupCfgEntryPoints(published.get()), theirs.isPresent()
                    ? Optional.of(PythonProject.setupCfgEntryPoints(theirs.get())) : PythonProject.entryPoints(view));
            return f.decision(source.isPresent());
        }

        /** Only when both sides give the keyword as a literal: anything computed is left to the other rules. */
        private static Optional<Decision> setupPy(byte[] bytes, Optional<byte[]> source) {
            if (source.isEmpty()) {
                return Optional.empty();
            }
            String mine = new String(bytes, StandardCharsets.UTF_8);
            String theirs = new String(source.get(), StandardCharsets.UTF_8);
            Findings f = new Findings();
            for (String kw : List.of("install_requires", "setup_requires", "extras_require", "entry_points")) {
                Optional<List<String>> a = mine.contains(kw) ? PythonProject.literalArgument(mine, kw) : Optional.of(List.of());
                Optional<List<String>> b = theirs.contains(kw) ? PythonProject.literalArgument(theirs, kw) : Optional.of(List.of());
                if (a.isEmpty() || b.isEmpty()) {
                    continue;
                }
                java.util.Set<String> added = new java.util.TreeSet<>();
                java.util.Set<String> declared = new java.util.HashSet<>();
                b.get().forEach(x -> declared.add(literalKey(kw, x)));
                a.get().stream().filter(x -> !declared.contains(literalKey(kw, x))).forEach(added::add);
                if (!added.isEmpty()) {
                    boolean entry = kw.equals("entry_points");
                    f.add(entry ? NEW_ENTRY_POINT : NEW_DEPENDENCY, entry ? RiskFlag.ENTRY_POINT : RiskFlag.NEW_DEPENDENCY,
                            "setup.py " + kw + " the source does not declare " + added);
                }
            }
            return f.decision(true);
        }

        /** A requirement literal as PEP 508 data, any other (an extra's name, an entry point) without blanks. */
        private static String literalKey(String keyword, String literal) {
            return keyword.endsWith("_requires") || keyword.equals("extras_require")
                    ? PythonProject.requirement(literal).map(Object::toString).orElse(PythonProject.squash(literal))
                    : PythonProject.squash(literal);
        }

        /** Each build requirement as canonical PEP 508 data (a changed spec is a new requirement), to its text. */
        private static Map<String, String> buildRequirements(JsonNode buildSystem) {
            Map<String, String> out = new java.util.TreeMap<>();
            for (JsonNode r : buildSystem.path("requires")) {
                out.put(PythonProject.requirement(r.asText()).map(Object::toString)
                        .orElse(PythonProject.squash(r.asText())), PythonProject.squash(r.asText()));
            }
            return out;
        }
    }

    /**
     * A published manifest this tool's reader (modelled on the installer's) refuses: the installer's own reader may
     * still accept it (another parser's limits, a construct not modelled), and nothing it declares can be compared.
     */
    static Decision unreadable(Optional<byte[]> source, String file, String reader) {
        return new Decision(source.isPresent() ? FileStatus.MODIFIED : FileStatus.PHANTOM, MANIFEST_UNREADABLE,
                Set.of(RiskFlag.UNREADABLE_MANIFEST), Optional.of("the published " + file + " cannot be read by "
                + reader + " here, so the dependencies, entry points and build steps it declares cannot be compared"
                + " with the source's"));
    }

    /** What a build-configuration file declares beyond the source's: the rule, flags and sentences to report. */
    private static final class Findings {
        private final List<String> rules = new ArrayList<>();
        private final Set<RiskFlag> flags = java.util.EnumSet.noneOf(RiskFlag.class);
        private final List<String> details = new ArrayList<>();

        void add(String rule, RiskFlag flag, String detail) {
            add(rule, Set.of(flag), detail);
        }

        void add(String rule, Set<RiskFlag> flag, String detail) {
            rules.add(rule);
            flags.addAll(flag);
            details.add(detail);
        }

        /** Published requirements none of the declared ones equals; nothing to say when the source's are unknown. */
        void requirements(List<Pep508.Requirement> published, Optional<List<Pep508.Requirement>> declared) {
            if (declared.isEmpty()) {
                return;
            }
            List<String> changed = new ArrayList<>();
            for (Pep508.Requirement r : published) {
                Pep508.Match m = Pep508.match(r, declared.get());
                if (m == Pep508.Match.CHANGED || m == Pep508.Match.NEW) {
                    changed.add(describe(r, m, declared.get()));
                }
            }
            if (!changed.isEmpty()) {
                add(NEW_DEPENDENCY, RiskFlag.NEW_DEPENDENCY, "dependencies the source does not declare " + changed
                        + " (a build of this sdist installs them)");
            }
        }

        void entryPoints(Map<String, Map<String, String>> published, Optional<Map<String, Map<String, String>>> declared) {
            if (declared.isEmpty()) {
                return;
            }
            java.util.Set<String> added = new java.util.TreeSet<>();
            published.forEach((group, entries) -> entries.forEach((name, target) -> {
                String want = declared.get().getOrDefault(group, Map.of()).get(name);
                if (want == null || !want.equals(target)) {
                    added.add(group + ":" + name + " = " + target);
                }
            }));
            if (!added.isEmpty()) {
                add(NEW_ENTRY_POINT, RiskFlag.ENTRY_POINT, "entry points the source does not declare " + added);
            }
        }

        /** The first finding's rule (build system, then dependencies, then entry points, as they were found). */
        Optional<Decision> decision(boolean sourceExists) {
            if (rules.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Decision(sourceExists ? FileStatus.MODIFIED : FileStatus.PHANTOM, rules.get(0),
                    flags, Optional.of(String.join("; ", details))));
        }
    }

    /** A RECORD path as written by csv writers: quoted when it contains a comma or a quote. */
    private static String unquote(String field) {
        int from = field.startsWith("\"") ? 1 : 0;
        int to = field.length() > from && field.endsWith("\"") ? field.length() - 1 : field.length();
        return field.substring(from, to);
    }
}
