package dev.divergence.registry.pypi;

import dev.divergence.model.Artifact;
import dev.divergence.model.ArtifactKind;
import dev.divergence.model.FileStatus;
import dev.divergence.registry.GeneratedFiles;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
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
    public static final String WHEEL_DIST_INFO = "pypi.wheel.dist-info";
    public static final String SCM_VERSION_FILE = "pypi.scm-version-file";

    private static final Pattern EGG_INFO_DIR = Pattern.compile("(^|.*/)[^/]+\\.egg-info/.*");

    @Override
    public Optional<String> pathRule(Artifact artifact, String path) {
        String inner = artifact.kind() == ArtifactKind.SDIST && path.contains("/") ? path.substring(path.indexOf('/') + 1)
                : path;
        if (artifact.kind() == ArtifactKind.WHEEL) {
            String top = path.contains("/") ? path.substring(0, path.indexOf('/')) : "";
            // The wheel's own metadata: METADATA, WHEEL, RECORD, entry_points.txt, top_level.txt, licenses/.
            if (top.endsWith(".dist-info")) {
                return Optional.of(WHEEL_DIST_INFO);
            }
            return Optional.empty();
        }
        if (inner.equals("PKG-INFO")) {
            return Optional.of(SDIST_PKG_INFO);
        }
        if (EGG_INFO_DIR.matcher(inner).matches()) {
            return Optional.of(SDIST_EGG_INFO);
        }
        return Optional.empty();
    }

    private static final java.util.regex.Pattern METADATA_ENTRY = java.util.regex.Pattern.compile(
            "[^/]+\\.dist-info/(RECORD|METADATA)|[^/]+/PKG-INFO");

    @Override
    public boolean metadataEntry(String path) {
        return (path.endsWith("RECORD") || path.endsWith("METADATA") || path.endsWith("PKG-INFO"))
                && METADATA_ENTRY.matcher(path).matches();
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
            Optional<String> distInfo = files.stream().map(f -> f.path()).filter(p -> p.matches("[^/]+\\.dist-info/RECORD"))
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
            Optional<String> pkgInfo = files.stream().map(f -> f.path()).filter(p -> p.matches("[^/]+/PKG-INFO")).findFirst();
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
        String text = new String(bytes, StandardCharsets.UTF_8);
        java.util.regex.Matcher name = Pattern.compile("(?m)^Name:\\s*(\\S+)").matcher(text);
        java.util.regex.Matcher version = Pattern.compile("(?m)^Version:\\s*(\\S+)").matcher(text);
        if (!name.find() || !version.find()) {
            problems.add("malformed " + path + ": no Name or Version");
            return;
        }
        String n = name.group(1).toLowerCase().replaceAll("[-_.]+", "-");
        if (!n.equals(release.pkg().name())) {
            problems.add(path + " names package " + name.group(1));
        }
        if (!dev.divergence.source.VersionSpelling.same(version.group(1), release.version())
                && !version.group(1).equals(release.version())) {
            problems.add(path + " says version " + version.group(1));
        }
    }

    @Override
    public List<ContentRule> contentRules() {
        return List.of(new SetupCfgEggInfo(), new ScmVersionFile());
    }

    /** setuptools appends {@code [egg_info] tag_build = / tag_date = 0} to setup.cfg in every sdist it builds. */
    static final class SetupCfgEggInfo implements ContentRule {
        private static final Pattern BLOCK = Pattern.compile("(?ms)^\\[egg_info\\]\\s*\\n(?:[ \\t]*[a-z_]+[ \\t]*=[^\\n]*\\n?)*\\s*");

        @Override
        public String id() {
            return SDIST_SETUP_CFG_EGG_INFO;
        }

        @Override
        public Optional<Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                          String version) {
            if (!path.endsWith("setup.cfg") || source.isEmpty()) {
                return Optional.empty();
            }
            String a = strip(new String(bytes, StandardCharsets.UTF_8));
            String s = strip(new String(source.get(), StandardCharsets.UTF_8));
            return a.equals(s) ? Optional.of(Decision.of(FileStatus.GENERATED, id())) : Optional.empty();
        }

        private static String strip(String text) {
            return BLOCK.matcher(text.replace("\r\n", "\n")).replaceAll("").strip();
        }
    }

    /**
     * A version file written at build time by setuptools-scm, hatch-vcs or versioneer and absent from Git
     * (it is ignored there): short, names the release version, and holds no code beyond assignments.
     */
    static final class ScmVersionFile implements ContentRule {
        private static final Pattern NAME = Pattern.compile("(^|.*/)(_version|version|__version__|_scm_version)\\.py");
        private static final Pattern ALLOWED = Pattern.compile(
                "^\\s*(#.*|from __future__ import .*|from typing import .*|import typing|TYPE_CHECKING\\s*=.*"
                + "|if TYPE_CHECKING:|else:|[A-Za-z_][A-Za-z0-9_]*\\s*(:\\s*[^=]+)?=\\s*[^;]*|__all__.*|[\\]\\)'\",A-Za-z0-9_ .\\[\\(|:-]*|)$");

        private static final Pattern TUPLE = Pattern.compile(
                "^\\s*[A-Za-z_][A-Za-z0-9_]*\\s*(:\\s*[^=]+)?=\\s*\\([0-9A-Za-z_'\", .+]*\\)\\s*$|^\\s*(Tuple|Union|VERSION_TUPLE)\\b.*");

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
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (!text.contains(version)) {
                return Optional.empty();
            }
            boolean onlyAssignments = Arrays.stream(text.split("\n")).allMatch(l -> ALLOWED.matcher(l).matches()
                    && !l.contains("exec") && !l.contains("import os") && !l.contains("subprocess")
                    && (!l.contains("(") || TUPLE.matcher(l).matches()));
            return onlyAssignments ? Optional.of(Decision.of(FileStatus.GENERATED, id())) : Optional.empty();
        }
    }

    /** A RECORD path as written by csv writers: quoted when it contains a comma or a quote. */
    private static String unquote(String field) {
        int from = field.startsWith("\"") ? 1 : 0;
        int to = field.length() > from && field.endsWith("\"") ? field.length() - 1 : field.length();
        return field.substring(from, to);
    }
}
