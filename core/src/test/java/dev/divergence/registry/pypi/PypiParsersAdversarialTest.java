package dev.divergence.registry.pypi;

import static dev.divergence.fixtures.ScanWorld.artifact;
import static dev.divergence.fixtures.ScanWorld.row;
import static dev.divergence.fixtures.Trees.flatProject;
import static dev.divergence.fixtures.Trees.with;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.divergence.fixtures.ScanWorld;
import dev.divergence.fixtures.Trees;
import dev.divergence.model.ArtifactReport;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileStatus;
import dev.divergence.model.ReleaseReport;
import dev.divergence.model.RiskFlag;
import dev.divergence.model.Verdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated metadata is read as the installer's parser reads it (email.parser for METADATA, importlib.metadata for
 * entry_points.txt, pkg_resources for requires.txt, configparser for setup.cfg): a dependency or entry point hidden
 * in the dialect's corners is still seen, and a line the parser attributes to nothing keeps the file visible.
 */
class PypiParsersAdversarialTest {

    @TempDir
    Path dir;

    private static final String PYPROJECT = "[project]\nname = \"demo\"\nversion = \"1.0.0\"\n"
            + "dependencies = [\"httpx>=0.27\"]\n\n[project.scripts]\ndemo = \"demo.core:main\"\n";

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static SortedMap<String, byte[]> project() {
        return with(flatProject("1.0.0"), "pyproject.toml", PYPROJECT);
    }

    private static SortedMap<String, byte[]> wheelFiles(SortedMap<String, byte[]> tree) {
        return Trees.under(with(new java.util.TreeMap<>(), "x/demo/__init__.py", new String(tree.get("demo/__init__.py"),
                StandardCharsets.UTF_8), "x/demo/core.py", new String(tree.get("demo/core.py"), StandardCharsets.UTF_8),
                "x/demo/util.py", new String(tree.get("demo/util.py"), StandardCharsets.UTF_8)), "x/");
    }

    private ScanWorld world(SortedMap<String, byte[]> tree) throws Exception {
        ScanWorld w = new ScanWorld(dir, "demo");
        w.commit(tree, "1.0.0");
        w.tag("v1.0.0");
        return w;
    }

    private static void assertRow(ArtifactReport a, String path, FileStatus status, String rule, boolean highRisk,
                                  String detail) {
        FileDivergence f = row(a, path);
        assertEquals(status, f.status(), path);
        assertEquals(rule, f.ruleId(), path);
        assertEquals(highRisk, f.highRisk(), path + " " + f.riskFlags());
        assertEquals(Optional.ofNullable(detail), f.detail(), path);
    }

    @Test
    void aLowerCaseRequiresDistHeaderIsADependency() throws Exception {
        // importlib.metadata.requires() and pip both return evil-telemetry: header names are case-insensitive
        String metadata = "Metadata-Version: 2.1\nName: demo\nVersion: 1.0.0\nRequires-Dist: httpx>=0.27\n"
                + "requires-dist: evil-telemetry>=0.1\n\ndescription\n";
        try (ScanWorld w = world(project())) {
            w.publish("1.0.0", project(), wheelFiles(project()), Map.of("METADATA", utf8(metadata)));
            ReleaseReport r = w.scan("1.0.0");
            ArtifactReport wheel = artifact(r, ".whl");
            assertRow(wheel, "demo-1.0.0.dist-info/METADATA", FileStatus.PHANTOM, PypiGeneratedFiles.NEW_DEPENDENCY,
                    true, "new dependencies [evil-telemetry]");
            assertEquals(List.of("demo-1.0.0.dist-info/METADATA"), wheel.highRiskPaths());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    @Test
    void aFoldedRequiresDistValueIsADependencyAndAHeaderDefectKeepsMetadataVisible() throws Exception {
        // wheel: the value of "Requires-Dist:" is on its continuation line; sdist requires.txt: an option line
        String folded = "Metadata-Version: 2.1\nName: demo\nVersion: 1.0.0\nRequires-Dist: httpx>=0.27\n"
                + "Requires-Dist:\n  evil-two>=1\n\ndescription\n";
        try (ScanWorld w = world(project())) {
            w.publish("1.0.0", with(project(), "demo.egg-info/requires.txt", "httpx>=0.27\n--index-url https://evil.example/\n"),
                    wheelFiles(project()), Map.of("METADATA", utf8(folded)));
            ReleaseReport r = w.scan("1.0.0");
            assertRow(artifact(r, ".whl"), "demo-1.0.0.dist-info/METADATA", FileStatus.PHANTOM,
                    PypiGeneratedFiles.NEW_DEPENDENCY, true, "new dependencies [evil-two]");
            assertRow(artifact(r, ".tar.gz"), "demo-1.0.0/demo.egg-info/requires.txt", FileStatus.PHANTOM,
                    PypiGeneratedFiles.METADATA_UNVERIFIED, false,
                    "lines the installer's parser does not attribute: line 2: --index-url https://evil.example/");
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    @Test
    void metadataWithHeaderLinesTheParserCannotAttributeIsNotGenerated() throws Exception {
        // a continuation before any header, a nameless header, and a body that starts without the empty line
        String defects = " Requires-Dist: evil-three\nMetadata-Version: 2.1\nName: demo\nVersion: 1.0.0\n"
                + "Requires-Dist: httpx>=0.27\n:Requires-Dist: evil-four\nRequires-Dist evil-five\n";
        try (ScanWorld w = world(project())) {
            w.publish("1.0.0", project(), wheelFiles(project()), Map.of("METADATA", utf8(defects)));
            ArtifactReport wheel = artifact(w.scan("1.0.0"), ".whl");
            assertRow(wheel, "demo-1.0.0.dist-info/METADATA", FileStatus.PHANTOM, PypiGeneratedFiles.METADATA_UNVERIFIED,
                    false, "lines the installer's parser does not attribute: line 1 continues no header:  Requires-Dist: "
                            + "evil-three; line 6 has no header name: :Requires-Dist: evil-four; line 7 ends the header "
                            + "block without an empty line: Requires-Dist evil-five");
            assertEquals(Verdict.DIVERGENT, wheel.verdict());
        }
    }

    @Test
    void entryPointsUnderAnIndentedSectionHeaderAreEntryPoints() throws Exception {
        // importlib.metadata strips every line first: " [console_scripts]" is a section and pip installs bin/pip
        String hidden = " [console_scripts]\npip = demo.core:main\n\n [pytest11]\ndemo_plugin = demo.core\n\n"
                + "[console_scripts]\ndemo = demo.core:main\n";
        try (ScanWorld w = world(project())) {
            w.publish("1.0.0", with(project(), "demo.egg-info/entry_points.txt",
                            "demo = demo.core:main\n\n[console_scripts]\ndemo = demo.core:main\n"),
                    wheelFiles(project()), Map.of("entry_points.txt", utf8(hidden)));
            ReleaseReport r = w.scan("1.0.0");
            ArtifactReport wheel = artifact(r, ".whl");
            assertRow(wheel, "demo-1.0.0.dist-info/entry_points.txt", FileStatus.PHANTOM,
                    PypiGeneratedFiles.NEW_ENTRY_POINT, true, "entry points the source does not declare "
                            + "[console_scripts:pip = demo.core:main, pytest11:demo_plugin = demo.core]");
            assertEquals(java.util.Set.of(RiskFlag.ENTRY_POINT), row(wheel, "demo-1.0.0.dist-info/entry_points.txt")
                    .riskFlags());
            // a line before the first section: importlib drops it, no tool writes it
            assertRow(artifact(r, ".tar.gz"), "demo-1.0.0/demo.egg-info/entry_points.txt", FileStatus.PHANTOM,
                    PypiGeneratedFiles.METADATA_UNVERIFIED, false,
                    "lines the installer's parser does not attribute: line 1: demo = demo.core:main");
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    @Test
    void aSemicolonLineInEntryPointsIsAnEntryNotAComment() throws Exception {
        try (ScanWorld w = world(project())) {
            w.publish("1.0.0", project(), wheelFiles(project()), Map.of("entry_points.txt",
                    utf8("[console_scripts]\ndemo = demo.core:main\n;pip = demo.core:main\n")));
            ArtifactReport wheel = artifact(w.scan("1.0.0"), ".whl");
            assertRow(wheel, "demo-1.0.0.dist-info/entry_points.txt", FileStatus.PHANTOM,
                    PypiGeneratedFiles.NEW_ENTRY_POINT, true,
                    "entry points the source does not declare [console_scripts:;pip = demo.core:main]");
        }
    }

    @Test
    void setupCfgIsReadAsConfigparserReadsItAndAnUnreadableOneExplainsNothing() throws Exception {
        String cfg = "[metadata]\nname = demo\n\n[options]\ninstall_requires:\n    httpx>=0.27\n\n"
                + "[options.entry_points]\nconsole_scripts =\n    demo = demo.core:main\n; pip = demo.core:main\n";
        SortedMap<String, byte[]> tree = with(Trees.without(project(), "pyproject.toml"), "setup.cfg", cfg);
        String metadata = "Metadata-Version: 2.1\nName: demo\nVersion: 1.0.0\nRequires-Dist: httpx>=0.27\n\n";
        try (ScanWorld w = world(tree)) {
            w.publish("1.0.0", tree, wheelFiles(tree), Map.of("METADATA", utf8(metadata),
                    "entry_points.txt", utf8("[console_scripts]\ndemo = demo.core:main\n")));
            ArtifactReport wheel = artifact(w.scan("1.0.0"), ".whl");
            assertRow(wheel, "demo-1.0.0.dist-info/METADATA", FileStatus.GENERATED, PypiGeneratedFiles.WHEEL_DIST_INFO,
                    false, null);
            assertRow(wheel, "demo-1.0.0.dist-info/entry_points.txt", FileStatus.GENERATED,
                    PypiGeneratedFiles.WHEEL_DIST_INFO, false, null);
        }
    }

    @Test
    void aSetupCfgConfigparserRejectsDeclaresNothing() throws Exception {
        // configparser raises on a line with no delimiter: setuptools reads none of it, so nothing is declared
        String cfg = "[options]\ninstall_requires =\n    httpx>=0.27\nnot an option\n\n"
                + "[options.entry_points]\nconsole_scripts =\n    demo = demo.core:main\n";
        SortedMap<String, byte[]> tree = with(Trees.without(project(), "pyproject.toml"), "setup.cfg", cfg);
        String metadata = "Metadata-Version: 2.1\nName: demo\nVersion: 1.0.0\nRequires-Dist: httpx>=0.27\n\n";
        try (ScanWorld w = world(tree)) {
            w.publish("1.0.0", tree, wheelFiles(tree), Map.of("METADATA", utf8(metadata),
                    "entry_points.txt", utf8("[console_scripts]\ndemo = demo.core:main\n")));
            ArtifactReport wheel = artifact(w.scan("1.0.0"), ".whl");
            assertEquals(PypiGeneratedFiles.METADATA_UNVERIFIED, row(wheel, "demo-1.0.0.dist-info/METADATA").ruleId());
            assertEquals(PypiGeneratedFiles.METADATA_UNVERIFIED,
                    row(wheel, "demo-1.0.0.dist-info/entry_points.txt").ruleId());
            assertEquals(Verdict.DIVERGENT, wheel.verdict());
        }
    }
}
