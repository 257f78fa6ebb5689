package dev.divergence.scan;

import static dev.divergence.fixtures.ScanWorld.artifact;
import static dev.divergence.fixtures.ScanWorld.row;
import static dev.divergence.fixtures.Trees.files;
import static dev.divergence.fixtures.Trees.flatProject;
import static dev.divergence.fixtures.Trees.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.demo.GitHistoryBuilder;
import dev.divergence.fixtures.LocalNpm;
import dev.divergence.fixtures.ScanWorld;
import dev.divergence.fixtures.Trees;
import dev.divergence.model.FileStatus;
import dev.divergence.model.PackageId;
import dev.divergence.model.RefMethod;
import dev.divergence.model.Release;
import dev.divergence.model.ReleaseReport;
import dev.divergence.model.Verdict;
import dev.divergence.registry.npm.NpmSupport;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new version whose content is an older release's code: the version's own tag stays the baseline. */
class RollbackTest {

    @TempDir
    Path dir;

    @Test
    void aTaggedVersionShippingAnOlderReleasesCodeIsComparedWithItsOwnTag() throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            SortedMap<String, byte[]> v1 = flatProject("1.0.0");
            String c1 = w.commit(v1, "1.0.0");
            w.tag("v1.0.0");
            SortedMap<String, byte[]> v11 = with(flatProject("1.1.0"), "demo/core.py",
                    "def add(a, b):\n    return int(a) + int(b)\n");
            String c2 = w.commit(v11, "1.1.0: fix");
            w.tag("v1.1.0");
            // 1.1.0 as published holds 1.0.0's code (e.g. the fix withdrawn): c1 holds every artifact file.
            w.publish("1.1.0", v1, Trees.under(v1, ""));
            ReleaseReport r = w.scan("1.1.0");
            assertEquals(RefMethod.TAG, r.ref().method());
            assertEquals(c2, r.ref().commit().orElseThrow());
            assertTrue(r.ref().note().orElseThrow().contains("the artifact's content is that of v1.0.0 ("
                    + c1.substring(0, 12) + "): kept tag v1.1.0"), r.ref().note().orElseThrow());
            assertEquals(FileStatus.IN_HISTORY, row(artifact(r, ".whl"), "demo/core.py").status());
            assertEquals(Verdict.DIVERGENT, r.verdict());
        }
    }

    @Test
    void anUntaggedVersionWhoseBaselineIsOlderThanALowerReleasesIsDivergent() throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            SortedMap<String, byte[]> v1 = flatProject("1.0.0");
            String c1 = w.commit(v1, "1.0.0");
            w.tag("v1.0.0");
            SortedMap<String, byte[]> v11 = with(flatProject("1.1.0"), "demo/core.py",
                    "def add(a, b):\n    return int(a) + int(b)\n");
            String c2 = w.commit(v11, "1.1.0: fix");
            w.tag("v1.1.0");
            SortedMap<String, byte[]> v12 = with(v11, "README.md", "# demo 1.2\n");
            w.commit(v12, "after 1.1.0");
            w.publish("1.0.0", v1, Trees.under(v1, ""));
            w.publish("1.1.0", v11, Trees.under(v11, ""));
            // Untagged, published by a stolen token: 1.0.0's code under a new number (only version strings differ).
            SortedMap<String, byte[]> old = flatProject("1.2.3");
            w.publish("1.2.3", old, Trees.under(old, ""));
            // Untagged too, but from the branch's head: a late tag, not a roll-back.
            w.publish("1.2.0", with(v12, "demo/__init__.py", "__version__ = \"1.2.0\"\n",
                    "pyproject.toml", "[project]\nname = \"demo\"\nversion = \"1.2.0\"\n"),
                    Trees.under(with(v12, "demo/__init__.py", "__version__ = \"1.2.0\"\n"), ""));
            ReleaseReport r = w.scan("1.2.3");
            assertEquals(RefMethod.BLOB_OVERLAP, r.ref().method());
            assertEquals(c1, r.ref().commit().orElseThrow());
            String finding = "baseline older than a previous release: " + c1.substring(0, 12)
                    + " (BLOB_OVERLAP) is an ancestor of v1.1.0 (" + c2.substring(0, 12)
                    + "), which 1.1.0 was released from: this version rolls back to older code";
            assertTrue(r.ref().note().orElseThrow().endsWith(finding), r.ref().note().orElseThrow());
            assertEquals(Verdict.DIVERGENT, r.verdict());
            assertTrue(artifact(r, ".whl").reason().orElseThrow().startsWith(finding));
            ReleaseReport head = w.scan("1.2.0");
            assertFalse(head.ref().note().orElse("").contains("baseline older"), head.ref().note().orElse(""));
            assertEquals(Verdict.EXPLAINED, head.verdict(), head.reason().toString());
        }
    }

    @Test
    void aLowerVersionTaggedAfterThisOneWasPublishedIsNoPreviousRelease() throws Exception {
        // jackson's 2.9.0.pr1 (Maven's order puts it above 2.9.0): published months before 2.9.0 was tagged
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            SortedMap<String, byte[]> v1 = flatProject("1.0.0");
            String c1 = w.commit(v1, "1.0.0");
            w.tag("v1.0.0");
            SortedMap<String, byte[]> old = flatProject("1.5.0");
            w.publish("1.5.0", old, Trees.under(old, "")); // untagged: its baseline is c1 by overlap
            SortedMap<String, byte[]> v14 = with(flatProject("1.4.0"), "demo/core.py",
                    "def add(a, b):\n    return int(a) + int(b)\n");
            w.git.commit(v14, "1.4.0", java.time.Instant.parse("2027-01-01T00:00:00Z")); // long after 1.5.0
            w.tag("v1.4.0");
            ReleaseReport r = w.scan("1.5.0");
            assertEquals(c1, r.ref().commit().orElseThrow());
            assertFalse(r.ref().note().orElse("").contains("baseline older"), r.ref().note().orElse(""));
            assertEquals(Verdict.EXPLAINED, r.verdict(), r.reason().toString());
        }
    }

    @Test
    void aPatchOnAnOlderLineAfterANewerReleaseIsNotARollBack() throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            SortedMap<String, byte[]> v1 = flatProject("1.0.0");
            String c1 = w.commit(v1, "1.0.0");
            w.tag("v1.0.0");
            w.commit(with(flatProject("1.1.0"), "demo/core.py", "def add(a, b):\n    return int(a) + int(b)\n"),
                    "1.1.0");
            w.tag("v1.1.0");
            // 1.0.1 after 1.1.0, from the 1.0 line: only lower versions (1.0.0) are checked, and c1 is 1.0.0's own.
            SortedMap<String, byte[]> patch = flatProject("1.0.1");
            w.publish("1.0.1", patch, Trees.under(patch, ""));
            ReleaseReport r = w.scan("1.0.1");
            assertEquals(c1, r.ref().commit().orElseThrow());
            assertFalse(r.ref().note().orElse("").contains("baseline older"), r.ref().note().orElse(""));
            assertEquals(Verdict.EXPLAINED, r.verdict(), r.reason().toString());
        }
    }

    @Test
    void aGitHeadNamingAnOlderReleasesCommitForAnUntaggedVersionIsDivergent() throws Exception {
        GitHistoryBuilder git = GitHistoryBuilder.init(dir.resolve("repo"));
        String c1 = git.commit(files("package.json", "{\"name\": \"widget\", \"version\": \"1.0.0\"}\n",
                "index.js", "module.exports = 1;\n"), "1.0.0", Instant.parse("2026-01-01T00:00:00Z"));
        git.tag("v1.0.0", true);
        git.commit(files("package.json", "{\"name\": \"widget\", \"version\": \"1.1.0\"}\n",
                "index.js", "module.exports = 2;\n"), "1.1.0", Instant.parse("2026-01-02T00:00:00Z"));
        git.tag("v1.1.0", true);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "widget")) {
            npm.publish("1.1.3", files("package.json", "{\"name\": \"widget\", \"version\": \"1.1.3\"}\n",
                    "index.js", "module.exports = 1;\n")).put("gitHead", c1);
            npm.write();
            NpmSupport support = new NpmSupport(npm.baseUrl(), ScanWorld.fetcher());
            Release release = support.registry().releases(PackageId.parse("pkg:npm/widget")).get(0);
            ReleaseReport r = ScanWorld.scanner(support, dir).scan(release, Optional.of(git.dir().toString()));
            assertEquals(RefMethod.REGISTRY_COMMIT, r.ref().method());
            assertEquals(c1, r.ref().commit().orElseThrow());
            assertTrue(r.ref().note().orElseThrow().contains("(REGISTRY_COMMIT) is an ancestor of v1.1.0"),
                    r.ref().note().orElseThrow());
            assertEquals(Verdict.DIVERGENT, r.verdict());
        } finally {
            git.close();
        }
    }

    @Test
    void higherPreReleasesAreNotLowerVersionsInTheEcosystemsOrder() throws Exception {
        // npm order: 3.0.0-canary.1 is above 0.1.0 (PEP 440 would call it invalid and sort it first)
        GitHistoryBuilder git = GitHistoryBuilder.init(dir.resolve("repo"));
        String c1 = git.commit(files("package.json", "{\"name\": \"widget\", \"version\": \"0.0.9\"}\n",
                "index.js", "module.exports = 1;\n"), "0.0.9", Instant.parse("2026-01-01T00:00:00Z"));
        git.commit(files("package.json", "{\"name\": \"widget\", \"version\": \"3.0.0-canary.1\"}\n",
                "index.js", "module.exports = 3;\n"), "3.0.0-canary.1", Instant.parse("2026-01-02T00:00:00Z"));
        git.tag("3.0.0-canary.1", true);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "widget")) {
            npm.publish("0.1.0", files("package.json", "{\"name\": \"widget\", \"version\": \"0.1.0\"}\n",
                    "index.js", "module.exports = 1;\n")).put("gitHead", c1);
            npm.write();
            NpmSupport support = new NpmSupport(npm.baseUrl(), ScanWorld.fetcher());
            Release release = support.registry().releases(PackageId.parse("pkg:npm/widget")).get(0);
            ReleaseReport r = ScanWorld.scanner(support, dir).scan(release, Optional.of(git.dir().toString()));
            assertEquals(c1, r.ref().commit().orElseThrow());
            assertTrue(r.ref().note().map(n -> !n.contains("baseline older than a previous release")).orElse(true),
                    r.ref().note().toString());
        } finally {
            git.close();
        }
    }

    @Test
    void aGitHeadNamingAnOlderReleasesCommitDoesNotOverrideTheVersionsTag() throws Exception {
        GitHistoryBuilder git = GitHistoryBuilder.init(dir.resolve("repo"));
        SortedMap<String, byte[]> v1 = files("package.json", "{\"name\": \"widget\", \"version\": \"1.0.0\"}\n",
                "index.js", "module.exports = 1;\n");
        String c1 = git.commit(v1, "1.0.0", Instant.parse("2026-01-01T00:00:00Z"));
        git.tag("v1.0.0", true);
        String c2 = git.commit(files("package.json", "{\"name\": \"widget\", \"version\": \"1.1.0\"}\n",
                "index.js", "module.exports = 2;\n"), "1.1.0", Instant.parse("2026-01-02T00:00:00Z"));
        git.tag("v1.1.0", true);
        try (LocalNpm npm = new LocalNpm(dir.resolve("npm"), "widget")) {
            npm.publish("1.1.0", files("package.json", "{\"name\": \"widget\", \"version\": \"1.1.0\"}\n",
                    "index.js", "module.exports = 1;\n")).put("gitHead", c1);
            npm.write();
            NpmSupport support = new NpmSupport(npm.baseUrl(), ScanWorld.fetcher());
            Release release = support.registry().releases(PackageId.parse("pkg:npm/widget")).get(0);
            ReleaseReport r = ScanWorld.scanner(support, dir).scan(release, Optional.of(git.dir().toString()));
            assertEquals(RefMethod.TAG, r.ref().method());
            assertEquals(c2, r.ref().commit().orElseThrow());
            assertFalse(r.ref().agreement().orElseThrow());
            assertTrue(r.ref().note().orElseThrow().startsWith("registry-recorded commit " + c1.substring(0, 12)
                    + " is the publisher's claim; compared with tag v1.1.0 " + c2.substring(0, 12) + " instead"),
                    r.ref().note().orElseThrow());
            assertEquals(FileStatus.IN_HISTORY, row(r.artifacts().get(0), "package/index.js").status());
            assertEquals(Verdict.DIVERGENT, r.verdict());
        } finally {
            git.close();
        }
    }
}
