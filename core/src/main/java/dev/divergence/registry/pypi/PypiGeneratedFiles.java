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
}
