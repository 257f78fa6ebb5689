package dev.divergence.registry.pypi;

import static dev.divergence.fixtures.ScanWorld.artifact;
import static dev.divergence.fixtures.ScanWorld.row;
import static dev.divergence.fixtures.Trees.flatProject;
import static dev.divergence.fixtures.Trees.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.compare.Classifier;
import dev.divergence.compare.Normalizations;
import dev.divergence.demo.PypiIndexWriter;
import dev.divergence.demo.PythonDistributions;
import dev.divergence.fixtures.ScanWorld;
import dev.divergence.model.ArtifactReport;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileStatus;
import dev.divergence.model.RiskFlag;
import dev.divergence.model.Verdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a build or an installer reads from an sdist's or a wheel's metadata is compared with what the source declares:
 * an sdist's PKG-INFO (uv installs its Requires-Dist without building), a requirement's spec and URL (not only its
 * name), and the declarations of the sdist's pyproject.toml, setup.cfg and setup.py (pip builds from them). The forms
 * setuptools, flit, hatchling and poetry-core write for the source's declarations stay explained.
 */
class PypiDeclaredMetadataTest {

    @TempDir
    Path dir;

    private static final String PYPROJECT = "[build-system]\nrequires = [\"setuptools>=61\"]\n"
            + "build-backend = \"setuptools.build_meta\"\n\n[project]\nname = \"demo\"\nversion = \"1.0.0\"\n"
            + "dependencies = [\"httpx>=0.27\", \"PySocks>=1.5.6, !=1.5.7\", "
            + "\"importlib_metadata; python_version<'3.8'\"]\n\n[project.optional-dependencies]\n"
            + "cli = [\"click>=8\", \"tomli; python_version<'3.11'\"]\n\n[project.scripts]\ndemo = \"demo.core:main\"\n";

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static SortedMap<String, byte[]> project(String pyproject) {
        return with(flatProject("1.0.0"), "pyproject.toml", pyproject);
    }

    private static String pkgInfo(String metadataVersion, String... requires) {
        StringBuilder sb = new StringBuilder("Metadata-Version: " + metadataVersion + "\nName: demo\nVersion: 1.0.0\n");
        for (String r : requires) {
            sb.append("Requires-Dist: ").append(r).append('\n');
        }
        return sb.append("\ndescription\n").toString();
    }

    /** The source tagged v1.0.0, and an sdist of exactly {@code entries} (paths inside {@code demo-1.0.0/}). */
    private ArtifactReport scanSdist(String name, SortedMap<String, byte[]> tree, SortedMap<String, byte[]> entries)
            throws Exception {
        try (ScanWorld w = new ScanWorld(dir.resolve(name), "demo")) {
            w.commit(tree, "1.0.0");
            w.tag("v1.0.0");
            SortedMap<String, byte[]> rooted = new TreeMap<>();
            entries.forEach((k, v) -> rooted.put("demo-1.0.0/" + k, v));
            w.pypi.index().add(new PypiIndexWriter.Upload("1.0.0", "demo-1.0.0.tar.gz", PythonDistributions.tarGz(rooted),
                    w.pypi.clock().plusSeconds(60)));
            return artifact(w.scan("1.0.0"), ".tar.gz");
        }
    }

    private static SortedMap<String, byte[]> sdistOf(SortedMap<String, byte[]> tree, String... extra) {
        SortedMap<String, byte[]> m = new TreeMap<>(tree);
        m.remove(".github/workflows/ci.yml");
        for (int i = 0; i < extra.length; i += 2) {
            m.put(extra[i], utf8(extra[i + 1]));
        }
        return m;
    }

    private static void assertRow(ArtifactReport a, String path, FileStatus status, String rule, boolean highRisk) {
        FileDivergence f = row(a, path);
        assertEquals(status, f.status(), path + " " + f.detail());
        assertEquals(rule, f.ruleId(), path + " " + f.detail());
        assertEquals(highRisk, f.highRisk(), path + " " + f.riskFlags());
    }

    @Test
    void aPkgInfoRequiringWhatTheSourceDoesNotDeclareIsHighRisk() throws Exception {
        SortedMap<String, byte[]> tree = project(PYPROJECT);
        String evil = pkgInfo("2.2", "httpx>=0.27", "evil-helper>=0.1");
        ArtifactReport sdist = scanSdist("root", tree, sdistOf(tree, "PKG-INFO", evil,
                "demo.egg-info/PKG-INFO", pkgInfo("2.1", "httpx>=0.27", "urllib3==1.24.1")));
        FileDivergence root = row(sdist, "demo-1.0.0/PKG-INFO");
        assertRow(sdist, "demo-1.0.0/PKG-INFO", FileStatus.PHANTOM, PypiGeneratedFiles.NEW_DEPENDENCY, true);
        assertTrue(root.riskFlags().contains(RiskFlag.NEW_DEPENDENCY));
        assertEquals("new dependencies [evil-helper]", root.detail().orElseThrow());
        assertRow(sdist, "demo-1.0.0/demo.egg-info/PKG-INFO", FileStatus.PHANTOM, PypiGeneratedFiles.NEW_DEPENDENCY, true);
        assertEquals(Verdict.HIGH_RISK, sdist.verdict());
    }

    @Test
    void aPkgInfoWhoseBytesTheRepositoryHoldsElsewhereIsStillCheckedAsMetadata() throws Exception {
        // the evil PKG-INFO committed as a test fixture: the same bytes at tests/fixtures/PKG-INFO must not explain
        // the sdist's PKG-INFO as a relocation (the metadata check would never run)
        String evil = pkgInfo("2.2", "httpx>=0.27", "evil-helper>=0.1");
        SortedMap<String, byte[]> tree = with(project(PYPROJECT), "tests/fixtures/PKG-INFO", evil);
        ArtifactReport sdist = scanSdist("fixture", tree, sdistOf(tree, "PKG-INFO", evil));
        FileDivergence root = row(sdist, "demo-1.0.0/PKG-INFO");
        assertEquals(PypiGeneratedFiles.NEW_DEPENDENCY, root.ruleId(), root.toString());
        assertTrue(root.highRisk(), root.toString());
        assertEquals(Verdict.HIGH_RISK, sdist.verdict());
    }

    @Test
    void aPkgInfoInTheFormsBackendsWriteIsGenerated() throws Exception {
        SortedMap<String, byte[]> tree = project(PYPROJECT);
        // setuptools (packaging's str(Requirement)), then flit's and hatchling's spellings of the same declarations
        String setuptools = pkgInfo("2.2", "httpx>=0.27", "PySocks!=1.5.7,>=1.5.6",
                "importlib_metadata; python_version < \"3.8\"", "click>=8; extra == \"cli\"",
                "tomli; python_version < \"3.11\" and extra == \"cli\"");
        String flit = pkgInfo("2.1", "httpx >=0.27", "PySocks >=1.5.6, !=1.5.7", "importlib_metadata ; python_version<'3.8'",
                "click >=8 ; extra == \"cli\"", "tomli ; extra == \"cli\" and (python_version<'3.11')");
        String hatchling = pkgInfo("2.3", "httpx>=0.27", "pysocks!=1.5.7,>=1.5.6",
                "importlib-metadata; python_version < '3.8'", "click>=8; extra == 'cli'",
                "tomli; (python_version < '3.11') and extra == 'cli'");
        ArtifactReport sdist = scanSdist("forms", tree, sdistOf(tree, "PKG-INFO", setuptools, "demo.egg-info/PKG-INFO", flit,
                "demo.egg-info/requires.txt", "httpx>=0.27\nPySocks!=1.5.7,>=1.5.6\n\n"
                        + "[:python_version < \"3.8\"]\nimportlib_metadata\n\n[cli]\nclick>=8\n\n"
                        + "[cli:python_version < \"3.11\"]\ntomli\n",
                "other/PKG-INFO", hatchling));
        assertRow(sdist, "demo-1.0.0/PKG-INFO", FileStatus.GENERATED, PypiGeneratedFiles.SDIST_PKG_INFO, false);
        assertRow(sdist, "demo-1.0.0/demo.egg-info/PKG-INFO", FileStatus.GENERATED, PypiGeneratedFiles.SDIST_EGG_INFO, false);
        assertRow(sdist, "demo-1.0.0/demo.egg-info/requires.txt", FileStatus.GENERATED, PypiGeneratedFiles.SDIST_EGG_INFO,
                false);
        // a PKG-INFO anywhere else is an ordinary file
        assertRow(sdist, "demo-1.0.0/other/PKG-INFO", FileStatus.PHANTOM, Classifier.UNEXPLAINED, false);
        try (ScanWorld w = new ScanWorld(dir.resolve("wheel"), "demo")) {
            w.commit(tree, "1.0.0");
            w.tag("v1.0.0");
            w.publish("1.0.0", sdistOf(tree), new TreeMap<>(Map.of("demo/__init__.py", tree.get("demo/__init__.py"))),
                    Map.of("METADATA", utf8(hatchling)));
            assertRow(artifact(w.scan("1.0.0"), ".whl"), "demo-1.0.0.dist-info/METADATA", FileStatus.GENERATED,
                    PypiGeneratedFiles.WHEEL_DIST_INFO, false);
        }
    }

    @Test
    void aRequirementWithAnotherSpecOrUrlThanTheSourceDeclaresIsHighRisk() throws Exception {
        SortedMap<String, byte[]> tree = project(PYPROJECT.replace("\"httpx>=0.27\"",
                "\"httpx>=0.27\", \"vendored @ https://example.org/vendored-1.0.tar.gz\""));
        String[][] cases = {
            {"httpx==0.1", "httpx==0.1 (source: httpx>=0.27)"},
            {"vendored @ https://evil.example/x?https://example.org/vendored-1.0.tar.gz",
                "vendored @ https://evil.example/x?https://example.org/vendored-1.0.tar.gz "
                        + "(source: vendored @ https://example.org/vendored-1.0.tar.gz)"},
            {"click>=8", "click>=8 (source: click>=8; extra == \"cli\")"}};
        for (int i = 0; i < cases.length; i++) {
            try (ScanWorld w = new ScanWorld(dir.resolve("spec" + i), "demo")) {
                w.commit(tree, "1.0.0");
                w.tag("v1.0.0");
                w.publish("1.0.0", sdistOf(tree), new TreeMap<>(Map.of("demo/__init__.py", tree.get("demo/__init__.py"))),
                        Map.of("METADATA", utf8(pkgInfo("2.1", "vendored @ https://example.org/vendored-1.0.tar.gz",
                                cases[i][0]))));
                ArtifactReport wheel = artifact(w.scan("1.0.0"), ".whl");
                FileDivergence meta = row(wheel, "demo-1.0.0.dist-info/METADATA");
                assertRow(wheel, "demo-1.0.0.dist-info/METADATA", FileStatus.PHANTOM, PypiGeneratedFiles.NEW_DEPENDENCY, true);
                assertEquals("new dependencies [" + cases[i][1] + "]", meta.detail().orElseThrow());
                assertEquals(Verdict.HIGH_RISK, wheel.verdict());
            }
        }
    }

    private static final String POETRY = "[build-system]\nrequires = [\"poetry-core>=1.0.0\"]\n"
            + "build-backend = \"poetry.core.masonry.api\"\n\n[tool.poetry]\nname = \"demo\"\nversion = \"1.0.0\"\n"
            + "description = \"\"\nauthors = []\n\n[tool.poetry.dependencies]\npython = \"^3.8\"\nhttpx = \"^0.27\"\n"
            + "requests = \"2.31.0\"\ntomli = {version = \"^2.0\", python = \"<3.11\"}\n"
            + "click = {version = \"~8.1\", optional = true}\nlib = {git = \"https://github.com/example/lib.git\", tag = \"v1.2\"}\n"
            + "six = \"^1 || ^2\"\n\n[tool.poetry.extras]\ncli = [\"click\"]\n\n[tool.poetry.scripts]\ndemo = \"demo.core:main\"\n";

    @Test
    void poetryConstraintsAreComparedAsTheRangesPoetryCorePublishes() throws Exception {
        SortedMap<String, byte[]> tree = project(POETRY);
        String[] common = {"httpx (>=0.27,<0.28)", "requests (==2.31.0)", "tomli (>=2.0,<3.0) ; python_version < \"3.11\"",
            "click (>=8.1,<8.2) ; extra == \"cli\"", "lib @ git+https://github.com/example/lib.git@v1.2"};
        Map<String, String> variants = new java.util.LinkedHashMap<>();
        variants.put("as-published", null);
        variants.put("caret-widened", "httpx (>=0.27,<1.0)");
        variants.put("union-not-modelled", "six (>=1,<3)");
        for (Map.Entry<String, String> v : variants.entrySet()) {
            java.util.List<String> requires = new java.util.ArrayList<>(java.util.List.of(common));
            if (v.getValue() != null) {
                requires.set(0, v.getValue().startsWith("httpx") ? v.getValue() : requires.get(0));
                if (!v.getValue().startsWith("httpx")) {
                    requires.add(v.getValue());
                }
            }
            try (ScanWorld w = new ScanWorld(dir.resolve(v.getKey()), "demo")) {
                w.commit(tree, "1.0.0");
                w.tag("v1.0.0");
                w.publish("1.0.0", sdistOf(tree), new TreeMap<>(Map.of("demo/__init__.py", tree.get("demo/__init__.py"))),
                        Map.of("METADATA", utf8(pkgInfo("2.1", requires.toArray(String[]::new)))));
                ArtifactReport wheel = artifact(w.scan("1.0.0"), ".whl");
                switch (v.getKey()) {
                    case "as-published" -> assertRow(wheel, "demo-1.0.0.dist-info/METADATA", FileStatus.GENERATED,
                            PypiGeneratedFiles.WHEEL_DIST_INFO, false);
                    case "caret-widened" -> assertRow(wheel, "demo-1.0.0.dist-info/METADATA", FileStatus.PHANTOM,
                            PypiGeneratedFiles.NEW_DEPENDENCY, true);
                    default -> assertRow(wheel, "demo-1.0.0.dist-info/METADATA", FileStatus.PHANTOM,
                            PypiGeneratedFiles.METADATA_UNVERIFIED, false);
                }
            }
        }
    }

    @Test
    void anSdistBuildConfigurationDeclaringWhatTheSourceDoesNotIsHighRisk() throws Exception {
        SortedMap<String, byte[]> tree = with(project(PYPROJECT), "setup.py",
                "from setuptools import setup\nsetup(install_requires=['httpx>=0.27'], entry_points={'console_scripts': "
                        + "['demo = demo.core:main']})\n");
        Map<String, String[]> variants = new java.util.LinkedHashMap<>();
        variants.put("project-dependency", new String[] {"pyproject.toml",
            PYPROJECT.replace("\"httpx>=0.27\",", "\"httpx>=0.27\", \"evil-helper>=0.1\","), PypiGeneratedFiles.NEW_DEPENDENCY});
        variants.put("project-spec", new String[] {"pyproject.toml",
            PYPROJECT.replace("\"httpx>=0.27\"", "\"httpx==0.1\""), PypiGeneratedFiles.NEW_DEPENDENCY});
        variants.put("project-extra", new String[] {"pyproject.toml",
            PYPROJECT.replace("\"click>=8\"", "\"click>=8\", \"evil-helper\""), PypiGeneratedFiles.NEW_DEPENDENCY});
        variants.put("project-script", new String[] {"pyproject.toml",
            PYPROJECT + "pip = \"demo.evil:main\"\n", PypiGeneratedFiles.NEW_ENTRY_POINT});
        variants.put("poetry-dependency", new String[] {"pyproject.toml",
            PYPROJECT + "\n[tool.poetry.dependencies]\nevil-helper = \"^0.1\"\n", PypiGeneratedFiles.NEW_DEPENDENCY});
        variants.put("setup-py-literal", new String[] {"setup.py", new String(tree.get("setup.py"), StandardCharsets.UTF_8)
                .replace("'httpx>=0.27'", "'httpx>=0.27', 'evil-helper'"), PypiGeneratedFiles.NEW_DEPENDENCY});
        for (Map.Entry<String, String[]> v : variants.entrySet()) {
            ArtifactReport sdist = scanSdist(v.getKey(), tree, sdistOf(tree, v.getValue()[0], v.getValue()[1]));
            FileDivergence f = row(sdist, "demo-1.0.0/" + v.getValue()[0]);
            assertRow(sdist, "demo-1.0.0/" + v.getValue()[0], FileStatus.MODIFIED, v.getValue()[2], true);
            assertTrue(f.riskFlags().contains(v.getValue()[2].equals(PypiGeneratedFiles.NEW_ENTRY_POINT)
                    ? RiskFlag.ENTRY_POINT : RiskFlag.NEW_DEPENDENCY), v.getKey());
            assertEquals(Verdict.HIGH_RISK, sdist.verdict(), v.getKey());
        }
    }

    @Test
    void aDependencysUrlIsNoVersionLineInABuildConfiguration() throws Exception {
        // the shared version-string normalisation would read "@v0.9.0" -> "@v1.0.0" as the release's version
        String declared = PYPROJECT.replace("\"httpx>=0.27\"", "\"lib @ git+https://github.com/example/lib@v0.9.0\"");
        SortedMap<String, byte[]> tree = project(declared);
        ArtifactReport sdist = scanSdist("url", tree, sdistOf(tree, "pyproject.toml", declared.replace("@v0.9.0", "@v1.0.0")));
        assertRow(sdist, "demo-1.0.0/pyproject.toml", FileStatus.MODIFIED, PypiGeneratedFiles.NEW_DEPENDENCY, true);
    }

    @Test
    void anSdistBuildConfigurationDeclaringTheSourcesDataIsNotHighRisk() throws Exception {
        SortedMap<String, byte[]> tree = project(PYPROJECT.replace("version = \"1.0.0\"", "version = \"0.0.0\""));
        // a release tool writing the version, line endings, and the declarations reformatted
        ArtifactReport bumped = scanSdist("bumped", tree, sdistOf(tree, "pyproject.toml", PYPROJECT));
        assertRow(bumped, "demo-1.0.0/pyproject.toml", FileStatus.MATCH_NORMALIZED, Normalizations.VERSION_STRING, false);
        ArtifactReport crlf = scanSdist("crlf", tree, sdistOf(tree, "pyproject.toml",
                new String(tree.get("pyproject.toml"), StandardCharsets.UTF_8).replace("\n", "\r\n")));
        assertRow(crlf, "demo-1.0.0/pyproject.toml", FileStatus.MATCH_NORMALIZED, Normalizations.LINE_ENDINGS, false);
        String reformatted = new String(tree.get("pyproject.toml"), StandardCharsets.UTF_8)
                .replace("\"PySocks>=1.5.6, !=1.5.7\"", "'pysocks !=1.5.7,>=1.5.6'")
                .replace("\"importlib_metadata; python_version<'3.8'\"", "'importlib-metadata ; python_version < \"3.8\"'");
        ArtifactReport reordered = scanSdist("reordered", tree, sdistOf(tree, "pyproject.toml", reformatted));
        assertRow(reordered, "demo-1.0.0/pyproject.toml", FileStatus.MODIFIED, Classifier.UNEXPLAINED, false);
        assertFalse(reordered.verdict() == Verdict.HIGH_RISK);
    }
}
