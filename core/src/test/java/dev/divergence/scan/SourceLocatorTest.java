package dev.divergence.scan;

import static dev.divergence.fixtures.Trees.flatProject;
import static dev.divergence.fixtures.Trees.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.fixtures.ScanWorld;
import dev.divergence.fixtures.Trees;
import dev.divergence.model.RefMethod;
import dev.divergence.model.ReleaseReport;
import dev.divergence.model.SourceRef;
import java.nio.file.Path;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceLocatorTest {

    @TempDir
    Path dir;

    private static SortedMap<String, byte[]> wheelOf(SortedMap<String, byte[]> tree) {
        SortedMap<String, byte[]> w = new java.util.TreeMap<>();
        tree.forEach((k, v) -> {
            if (k.startsWith("demo/")) {
                w.put(k, v);
            }
        });
        return w;
    }

    @Test
    void untaggedVersionIsComparedAgainstTheCommitHoldingMostOfItsFiles() throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            SortedMap<String, byte[]> v1 = flatProject("1.0.0");
            w.commit(v1, "1.0.0");
            w.tag("v1.0.0");
            SortedMap<String, byte[]> v11 = with(flatProject("1.0.0"), "demo/core.py", "def add(a, b):\n    return b + a\n");
            String base = w.commit(v11, "work after 1.0.0");
            SortedMap<String, byte[]> later = with(v11, "demo/util.py", "def twice(x):\n    return x + x\n");
            w.commit(later, "more work");
            // Published from "base" with a version bump that was never committed: no tag, no manifest declares it.
            SortedMap<String, byte[]> published = with(v11, "pyproject.toml", "[project]\nname = \"demo\"\nversion = \"1.1.0\"\n",
                    "demo/__init__.py", "__version__ = \"1.1.0\"\n");
            w.publish("1.0.0", v1, wheelOf(v1)).publish("1.1.0", published, wheelOf(published));

            ReleaseReport r = w.scan("1.1.0");
            SourceRef ref = r.ref();
            assertEquals(RefMethod.BLOB_OVERLAP, ref.method());
            assertEquals(base, ref.commit().orElseThrow());
            assertTrue(ref.tag().isEmpty());
            assertTrue(ref.candidates().get(0).startsWith("overlap:" + base + ":"), ref.candidates().toString());
            assertTrue(ref.note().orElseThrow().startsWith("no tag names this version; closest commit by blob overlap"));
            assertEquals("1.0.0", ref.manifestVersion().orElseThrow());
            assertTrue(ref.agreement().isEmpty(), "a single signal cannot agree or disagree");
        }
    }

    @Test
    void untaggedVersionBumpedInGitIsFoundByManifestHistoryAndOverlapAgrees() throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            w.commit(flatProject("1.0.0"), "1.0.0");
            w.tag("v1.0.0");
            SortedMap<String, byte[]> v11 = with(flatProject("1.1.0"), "demo/core.py", "def add(a, b):\n    return b + a\n");
            String bump = w.commit(v11, "1.1.0, never tagged");
            w.commit(with(v11, "README.md", "# demo\n\nmore\n"), "docs after 1.1.0");
            w.publish("1.1.0", v11, wheelOf(v11));
            SourceRef ref = w.scan("1.1.0").ref();
            assertEquals(RefMethod.MANIFEST_HISTORY, ref.method());
            assertEquals(bump, ref.commit().orElseThrow());
            assertEquals(Boolean.TRUE, ref.agreement().orElseThrow());
            assertTrue(ref.candidates().contains("manifest:" + bump));
        }
    }

    @Test
    void tagIsValidatedByTheManifestVersionAtItsCommit() throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            SortedMap<String, byte[]> v1 = flatProject("1.0.0");
            String c1 = w.commit(v1, "1.0.0");
            w.tag("1.0.0");
            w.publish("1.0.0", v1, wheelOf(v1));
            SourceRef ref = w.scan("1.0.0").ref();
            assertEquals(RefMethod.TAG, ref.method());
            assertEquals(c1, ref.commit().orElseThrow());
            assertEquals("1.0.0", ref.tag().orElseThrow());
            assertEquals(Boolean.TRUE, ref.agreement().orElseThrow());
            assertTrue(ref.candidates().contains("tag:1.0.0=" + c1));
        }
    }

    @Test
    void tagOneCommitBeforeTheReleaseIsReportedAsDisagreement() throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            SortedMap<String, byte[]> before = flatProject("1.0.0");
            String tagged = w.commit(before, "prepare 1.0.0");
            w.tag("v1.0.0");
            SortedMap<String, byte[]> released = with(before, "README.md", "# demo\n\nfinal words\n");
            String real = w.commit(released, "the commit really released");
            w.publish("1.0.0", released, wheelOf(released));
            ReleaseReport r = w.scan("1.0.0");
            SourceRef ref = r.ref();
            // The commit holding every artifact file is what was released: compared with it, tag kept.
            assertEquals(RefMethod.BLOB_OVERLAP, ref.method());
            assertEquals(real, ref.commit().orElseThrow());
            assertEquals("v1.0.0", ref.tag().orElseThrow());
            assertTrue(ref.candidates().contains("tag:v1.0.0=" + tagged));
            assertFalse(ref.agreement().orElseThrow());
            assertTrue(ref.note().orElseThrow().contains("commit " + real.substring(0, 12) + " holds more"),
                    ref.note().orElseThrow());
            // The replacement is recorded with both scores, raw and after line-ending normalisation.
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("compared with " + real.substring(0, 12)
                    + ", which holds every artifact file found in the history: tag commit " + tagged.substring(0, 12)
                    + " (\\d+)/(\\d+) \\((\\d+)/\\2 after line-ending normalisation\\), " + real.substring(0, 12)
                    + " (\\d+)/\\2 \\((\\d+)/\\2\\)").matcher(ref.note().orElseThrow());
            assertTrue(m.find(), ref.note().orElseThrow());
            assertEquals(Integer.parseInt(m.group(1)) + 1, Integer.parseInt(m.group(4)), "README.md is the one more file");
            assertEquals(m.group(1), m.group(3));
            assertEquals(m.group(4), m.group(5));
            assertEquals(dev.divergence.model.Verdict.EXPLAINED, r.verdict());
        }
    }

    @Test
    void tagWhoseManifestDeclaresAnotherVersionIsNotATagMatch() throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            String wrong = w.commit(flatProject("1.0.0"), "1.0.0");
            w.tag("v1.1.0"); // names 1.1.0, but the manifest at its commit still declares 1.0.0
            SortedMap<String, byte[]> v11 = flatProject("1.1.0");
            String bump = w.commit(v11, "1.1.0");
            w.publish("1.1.0", v11, wheelOf(v11));
            ReleaseReport r = w.scan("1.1.0");
            SourceRef ref = r.ref();
            assertEquals(RefMethod.MANIFEST_HISTORY, ref.method());
            assertEquals(bump, ref.commit().orElseThrow());
            assertEquals("v1.1.0", ref.tag().orElseThrow(), "recorded, not used");
            assertTrue(ref.candidates().contains("tag:v1.1.0=" + wrong));
            assertEquals(Boolean.FALSE, ref.agreement().orElseThrow());
            assertTrue(ref.note().orElseThrow().contains("tag v1.1.0 (" + wrong.substring(0, 12)
                    + ") is not a match: its manifest declares 1.0.0"), ref.note().orElseThrow());
            assertEquals(dev.divergence.model.Verdict.EXPLAINED, r.verdict());
        }
    }

    @Test
    void tagTheMetadataNamesIsNotATagMatchWhenItsManifestDeclaresAnotherVersion() throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            SortedMap<String, byte[]> v1 = flatProject("1.0.0");
            String c1 = w.commit(v1, "1.0.0");
            w.tag("demo-parent-1.0.0"); // what a POM's <scm><tag> would name: no version-spelling match needed
            SortedMap<String, byte[]> v11 = flatProject("1.1.0");
            String c2 = w.commit(v11, "1.1.0");
            w.publish("1.1.0", v11, wheelOf(v11));
            dev.divergence.model.Release listed = w.release("1.1.0");
            dev.divergence.model.Release release = new dev.divergence.model.Release(listed.pkg(), listed.version(),
                    listed.artifacts(), listed.published(), listed.yanked(), listed.yankedReason(),
                    new dev.divergence.model.SourceHints(listed.hints().repositoryUrls(), java.util.Optional.empty(),
                            java.util.Optional.empty(), java.util.Optional.empty(),
                            java.util.Optional.of("demo-parent-1.0.0")));
            SourceRef ref = w.scanner().scan(release, java.util.Optional.of(w.git.dir().toString())).ref();
            assertEquals(RefMethod.MANIFEST_HISTORY, ref.method());
            assertEquals(c2, ref.commit().orElseThrow());
            assertTrue(ref.note().orElseThrow().contains("tag demo-parent-1.0.0 (" + c1.substring(0, 12)
                    + ") is not a match: its manifest declares 1.0.0"), ref.note().orElseThrow());
        }
    }

    @Test
    void tagIsKeptWhenTheOverlapCommitDiffersFromItOnlyInLineEndings() throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            SortedMap<String, byte[]> lf = flatProject("1.0.0");
            SortedMap<String, byte[]> crlf = with(lf, "demo/core.py", "def add(a, b):\r\n    return a + b\r\n",
                    "demo/util.py", "def twice(x):\r\n    return 2 * x\r\n");
            String tagged = w.commit(crlf, "1.0.0 from a Windows machine");
            w.tag("v1.0.0");
            String normalised = w.commit(lf, "normalise line endings");
            w.publish("1.0.0", lf, wheelOf(lf));
            ReleaseReport r = w.scan("1.0.0");
            SourceRef ref = r.ref();
            assertEquals(RefMethod.TAG, ref.method());
            assertEquals(tagged, ref.commit().orElseThrow());
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("kept tag commit: it explains as many files "
                    + "after normalisation: tag commit " + tagged.substring(0, 12)
                    + " (\\d+)/(\\d+) \\((\\d+)/\\2 after line-ending normalisation\\), " + normalised.substring(0, 12)
                    + " (\\d+)/\\2 \\((\\d+)/\\2\\)").matcher(ref.note().orElseThrow());
            assertTrue(m.find(), ref.note().orElseThrow());
            assertEquals(Integer.parseInt(m.group(1)) + 2, Integer.parseInt(m.group(3)), "core.py and util.py");
            assertEquals(m.group(3), m.group(4));
            assertEquals(dev.divergence.model.FileStatus.MATCH_NORMALIZED,
                    ScanWorld.row(ScanWorld.artifact(r, ".whl"), "demo/core.py").status());
            assertEquals(dev.divergence.model.Verdict.EXPLAINED, r.verdict());
        }
    }

    @Test
    void noRepositoryIsNoSourceNotDivergence() throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            w.commit(Trees.files("x", "y"), "unrelated");
            w.publish("1.0.0", flatProject("1.0.0"), wheelOf(flatProject("1.0.0")));
            ReleaseReport r = w.scanner().scan(w.release("1.0.0"), java.util.Optional.of(dir.resolve("nope").toString()));
            assertEquals(dev.divergence.model.Verdict.NO_SOURCE, r.verdict());
            assertTrue(r.ref().note().orElseThrow().startsWith("repository unavailable: repository path does not exist"));
            assertEquals(dev.divergence.model.FileStatus.UNCOMPARED, r.artifacts().get(0).files().get(0).status());
        }
    }
    /** A project whose version lives only in pyproject.toml (not in the wheel), so commits can share every wheel file. */
    private static SortedMap<String, byte[]> unversionedCode(String version) {
        return with(flatProject(version), "demo/__init__.py", "");
    }

    /** Publishes a wheel alone (no sdist) of {@code tree}'s demo/ files. */
    private static void publishWheel(ScanWorld w, String version, SortedMap<String, byte[]> tree, java.time.Instant when)
            throws java.io.IOException {
        w.pypi.index().add(new dev.divergence.demo.PypiIndexWriter.Upload(version,
                dev.divergence.demo.PythonDistributions.wheelFilename("demo", version),
                dev.divergence.demo.PythonDistributions.wheel("demo", version, wheelOf(tree), java.util.List.of("demo")),
                when));
    }

    @Test
    void aCommitAfterTheNextReleasesTagNeverReplacesTheVersionsOwnTag() throws Exception {
        // nanoid 3.3.4: a 2025 commit on the 3.x branch, after the 3.3.10 tag, committed a generated file that the
        // 2022 artifact also holds; on overlap alone it replaced the 3.3.4 tag. An artifact shaped after a later
        // commit must not be able to choose it either.
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            SortedMap<String, byte[]> v1 = unversionedCode("1.0.0");
            String own = w.commit(v1, "1.0.0");
            w.tag("v1.0.0");
            w.commit(with(unversionedCode("1.1.0"), "README.md", "# demo 1.1\n"), "1.1.0");
            w.tag("v1.1.0");
            SortedMap<String, byte[]> generated = with(unversionedCode("1.1.0"), "README.md", "# demo 1.1\n",
                    "demo/_generated.py", "TABLE = [1, 2, 3]\n");
            String later = w.commit(generated, "commit the generated file");
            publishWheel(w, "1.0.0", with(v1, "demo/_generated.py", "TABLE = [1, 2, 3]\n"),
                    java.time.Instant.parse("2026-01-02T00:00:00Z"));

            ReleaseReport r = w.scan("1.0.0");
            SourceRef ref = r.ref();
            assertTrue(ref.candidates().get(1).startsWith("overlap:" + later + ":"), ref.candidates().toString());
            assertEquals(RefMethod.TAG, ref.method(), ref.note().orElse(""));
            assertEquals(own, ref.commit().orElseThrow());
            assertFalse(ref.agreement().orElseThrow());
            assertTrue(ref.note().orElseThrow().contains("kept tag commit: " + later.substring(0, 12)
                    + " comes after tag v1.1.0"), ref.note().orElseThrow());
            // The generated file is compared with the version's own commit, which lacks it: found later, not explained.
            assertEquals(dev.divergence.model.FileStatus.IN_HISTORY,
                    ScanWorld.row(ScanWorld.artifact(r, ".whl"), "demo/_generated.py").status());
        }
    }

    @Test
    void aTagOneCommitTooEarlyIsStillReplacedByTheReleaseCommitBeforeTheNextTag() throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            // A higher version tagged on an ancestor of the own tag (a pre-release of the next line, or tags out of
            // order) bounds nothing: the own commit reaches it too.
            w.commit(unversionedCode("2.0.0a1"), "a preview of 2.0");
            w.tag("v2.0.0a1");
            SortedMap<String, byte[]> v1 = unversionedCode("1.0.0");
            w.commit(v1, "prepare 1.0.0");
            w.tag("v1.0.0");
            SortedMap<String, byte[]> released = with(v1, "demo/_generated.py", "TABLE = [1, 2, 3]\n");
            String real = w.commit(released, "the commit really released");
            w.commit(with(unversionedCode("1.1.0"), "demo/_generated.py", "TABLE = [1, 2, 3]\n", "demo/core.py",
                    "def add(a, b):\n    return b + a\n"), "1.1.0");
            w.tag("v1.1.0");
            publishWheel(w, "1.0.0", released, java.time.Instant.parse("2026-01-02T00:00:00Z"));

            SourceRef ref = w.scan("1.0.0").ref();
            assertEquals(RefMethod.BLOB_OVERLAP, ref.method(), ref.note().orElse(""));
            assertEquals(real, ref.commit().orElseThrow(), "the earliest commit holding every file, before v1.1.0");
            assertEquals("v1.0.0", ref.tag().orElseThrow());
        }
    }
    @Test
    void aLaterCommitHoldingMostOfTheArtifactIsStillWhatWasPublished() throws Exception {
        // nanoid 3.3.8-3.3.10: published from a working tree that was committed only after the 3.3.10 tag; that commit
        // holds 22 of 23 files. When the later commit is most of the artifact, it is the published tree, committed late.
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            SortedMap<String, byte[]> v1 = with(unversionedCode("1.0.0"), "demo/a.py", "A = 1\n", "demo/b.py", "B = 2\n",
                    "demo/c.py", "C = 3\n", "demo/d.py", "D = 4\n");
            w.commit(v1, "1.0.0");
            w.tag("v1.0.0");
            SortedMap<String, byte[]> v11 = with(v1, "pyproject.toml", "[project]\nname = \"demo\"\nversion = \"1.1.0\"\n");
            w.commit(v11, "1.1.0");
            w.tag("v1.1.0");
            SortedMap<String, byte[]> generated = with(v11, "demo/_generated.py", "TABLE = [1, 2, 3]\n");
            String later = w.commit(generated, "commit the working tree the releases were built from");
            publishWheel(w, "1.0.0", with(v1, "demo/_generated.py", "TABLE = [1, 2, 3]\n"),
                    java.time.Instant.parse("2026-01-02T00:00:00Z"));

            SourceRef ref = w.scan("1.0.0").ref();
            assertEquals(RefMethod.BLOB_OVERLAP, ref.method(), ref.note().orElse("") + ref.candidates());
            assertEquals(later, ref.commit().orElseThrow());
            assertFalse(ref.agreement().orElseThrow(), "the tag's disagreement stays recorded");
        }
    }
    @Test
    void aRetryTagWhoseManifestDeclaresTheSameVersionIsNoLaterRelease() throws Exception {
        // jsoup-1.9.1a: the release plugin's run was rolled back and prepared again under another tag name; the POM at
        // that tag still declares 1.9.1, so it bounds nothing.
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            SortedMap<String, byte[]> v1 = unversionedCode("1.0.0");
            w.commit(v1, "prepare 1.0.0");
            w.tag("v1.0.0");
            w.commit(with(v1, "README.md", "# demo, again\n"), "prepare 1.0.0 again");
            w.tag("v1.0.0.post1");
            SortedMap<String, byte[]> released = with(v1, "README.md", "# demo, again\n", "demo/_generated.py",
                    "TABLE = [1, 2, 3]\n");
            String real = w.commit(released, "the commit really released");
            publishWheel(w, "1.0.0", released, java.time.Instant.parse("2026-01-02T00:00:00Z"));

            SourceRef ref = w.scan("1.0.0").ref();
            assertEquals(RefMethod.BLOB_OVERLAP, ref.method(), ref.note().orElse(""));
            assertEquals(real, ref.commit().orElseThrow());
        }
    }
}
