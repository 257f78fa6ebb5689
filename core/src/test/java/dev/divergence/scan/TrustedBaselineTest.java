package dev.divergence.scan;

import static dev.divergence.fixtures.ScanWorld.artifact;
import static dev.divergence.fixtures.ScanWorld.row;
import static dev.divergence.fixtures.Trees.flatProject;
import static dev.divergence.fixtures.Trees.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.fixtures.ScanWorld;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileStatus;
import dev.divergence.model.RefMethod;
import dev.divergence.model.Release;
import dev.divergence.model.ReleaseReport;
import dev.divergence.model.RiskFlag;
import dev.divergence.model.SourceHints;
import dev.divergence.model.Verdict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The baseline and every explanation come from branches and tags only. An attacker who can publish a release can
 * also open a pull request holding the same files: GitHub then serves them under {@code refs/pull/N/head}, and
 * mirrors (and local clones, under {@code refs/remotes/}) carry them.
 */
class TrustedBaselineTest {

    @TempDir
    Path dir;

    private static final String PAYLOAD = "import base64\nexec(base64.b64decode('"
            + Base64.getEncoder().encodeToString(new byte[900]) + "'))\ndef add(a, b):\n    return a + b\n";

    private static SortedMap<String, byte[]> wheelOf(SortedMap<String, byte[]> tree) {
        SortedMap<String, byte[]> w = new TreeMap<>();
        tree.forEach((k, v) -> {
            if (k.startsWith("demo/")) {
                w.put(k, v);
            }
        });
        return w;
    }

    /** Commits {@code files} on main, points {@code ref} at that commit, and moves main back to where it was. */
    private static String commitOnlyUnder(ScanWorld w, SortedMap<String, byte[]> files, String ref) throws IOException {
        String mainBefore;
        try (Repository repo = open(w)) {
            mainBefore = repo.resolve("refs/heads/main").name();
        }
        String c = w.commit(files, "pull request");
        try (Repository repo = open(w)) {
            set(repo, ref, c);
            set(repo, "refs/heads/main", mainBefore);
        }
        return c;
    }

    private static Repository open(ScanWorld w) throws IOException {
        return new FileRepositoryBuilder().setGitDir(w.git.dir().resolve(".git").toFile()).setMustExist(true).build();
    }

    private static void set(Repository repo, String ref, String commit) throws IOException {
        RefUpdate u = repo.updateRef(ref);
        u.setNewObjectId(ObjectId.fromString(commit));
        u.forceUpdate();
    }

    @ParameterizedTest
    @ValueSource(strings = {"refs/pull/1/head", "refs/remotes/origin/feature"})
    void payloadReachableOnlyFromAnUntrustedRefStaysHighRisk(String untrusted) throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            w.commit(flatProject("1.0.0"), "1.0.0");
            w.tag("v1.0.0");
            SortedMap<String, byte[]> base = flatProject("1.1.0");
            String trusted = w.commit(base, "1.1.0, never tagged");
            // The attacker's pull request holds exactly what was published, payload included.
            SortedMap<String, byte[]> published = with(base, "demo/core.py", PAYLOAD);
            String pr = commitOnlyUnder(w, published, untrusted);
            w.publish("1.1.0", published, wheelOf(published));

            ReleaseReport r = w.scan("1.1.0");
            assertEquals(trusted, r.ref().commit().orElseThrow(), "never the pull request's commit");
            assertEquals(RefMethod.MANIFEST_HISTORY, r.ref().method());
            assertFalse(r.ref().candidates().stream().anyMatch(c -> c.contains(pr)), r.ref().candidates().toString());
            assertTrue(r.ref().note().orElseThrow().contains("1 artifact file(s) found only in refs that are not "
                    + "branches or tags (e.g. " + untrusted + ":demo/core.py)"), r.ref().note().orElseThrow());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
            for (String suffix : List.of(".tar.gz", ".whl")) {
                FileDivergence core = row(artifact(r, suffix), suffix.equals(".whl") ? "demo/core.py" : "demo-1.1.0/demo/core.py");
                assertEquals(FileStatus.MODIFIED, core.status());
                assertTrue(core.highRisk());
                assertEquals(Set.of(RiskFlag.CODE, RiskFlag.DYNAMIC_EXEC, RiskFlag.ENCODED_BLOB,
                        RiskFlag.UNTRUSTED_REF_ONLY), core.riskFlags());
                assertTrue(core.detail().orElseThrow().endsWith("content found only in " + untrusted
                        + ":demo/core.py, not in a branch or tag"), core.detail().orElseThrow());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"refs/pull/1/head", "refs/remotes/origin/feature"})
    void newFileReachableOnlyFromAnUntrustedRefIsPhantomNotInHistory(String untrusted) throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            SortedMap<String, byte[]> v1 = flatProject("1.0.0");
            w.commit(v1, "1.0.0");
            w.tag("v1.0.0");
            SortedMap<String, byte[]> published = with(v1, "demo_init.pth", "import os; os.system('id')\n");
            commitOnlyUnder(w, published, untrusted);
            w.publish("1.0.0", published, with(wheelOf(published), "demo_init.pth", "import os; os.system('id')\n"));

            ReleaseReport r = w.scan("1.0.0");
            assertEquals(RefMethod.TAG, r.ref().method());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
            FileDivergence pth = row(artifact(r, ".whl"), "demo_init.pth");
            assertEquals(FileStatus.PHANTOM, pth.status());
            assertTrue(pth.riskFlags().containsAll(Set.of(RiskFlag.PTH_FILE, RiskFlag.UNTRUSTED_REF_ONLY)));
            assertEquals("content exists in no branch or tag; content found only in " + untrusted
                    + ":demo_init.pth, not in a branch or tag", pth.detail().orElseThrow());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"PR_COMMIT", "refs/pull/1/head", "HEAD~1", "main"})
    void registryRecordedCommitOutsideBranchesAndTagsIsRecordedNotUsed(String recorded) throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            SortedMap<String, byte[]> v1 = flatProject("1.0.0");
            String tagged = w.commit(v1, "1.0.0");
            w.tag("v1.0.0");
            SortedMap<String, byte[]> published = with(v1, "demo/core.py", PAYLOAD);
            String pr = commitOnlyUnder(w, published, "refs/pull/1/head");
            w.publish("1.0.0", published, wheelOf(published));
            Release listed = w.release("1.0.0");
            String hint = recorded.equals("PR_COMMIT") ? pr : recorded;
            Release release = new Release(listed.pkg(), listed.version(), listed.artifacts(), listed.published(),
                    listed.yanked(), listed.yankedReason(), new SourceHints(listed.hints().repositoryUrls(),
                    Optional.of(hint), Optional.empty()));

            ReleaseReport r = w.scanner().scan(release, Optional.of(w.git.dir().toString()));
            assertEquals(RefMethod.TAG, r.ref().method());
            assertEquals(tagged, r.ref().commit().orElseThrow());
            assertEquals(Boolean.FALSE, r.ref().agreement().orElseThrow());
            String note = r.ref().note().orElseThrow();
            if (recorded.equals("PR_COMMIT")) {
                assertTrue(note.contains("registry-recorded commit " + pr.substring(0, 12)
                        + " is reachable only from refs/pull/1/head, not from a branch or tag"), note);
                assertTrue(r.ref().candidates().contains("untrusted-registry-recorded:" + pr));
            } else {
                // a revision expression from metadata is never evaluated
                assertTrue(note.contains("registry-recorded commit " + SourceLocator.shortId(recorded)
                        + " is not a full commit id"), note);
            }
            assertEquals(Verdict.HIGH_RISK, r.verdict());
        }
    }

    /** The release as listed, with {@code recorded} as the registry-recorded commit (npm's gitHead). */
    private static Release recording(Release listed, String recorded) {
        return new Release(listed.pkg(), listed.version(), listed.artifacts(), listed.published(), listed.yanked(),
                listed.yankedReason(), new SourceHints(listed.hints().repositoryUrls(), Optional.of(recorded),
                Optional.empty()));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void payloadOnAPushedSideBranchIsComparedButNeverClean(boolean recorded) throws Exception {
        // Anyone who can push a branch (a bot, a contributor, a stolen token) can put the published files, payload
        // included, on it; the registry's gitHead or the content itself then points there.
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            w.commit(flatProject("1.0.0"), "1.0.0");
            w.tag("v1.0.0");
            SortedMap<String, byte[]> published = with(flatProject("1.1.0"), "demo/core.py", PAYLOAD);
            String side = commitOnlyUnder(w, published, "refs/heads/dependabot/pip/requests-2.32.4");
            w.publish("1.1.0", published, wheelOf(published));
            Release release = recorded ? recording(w.release("1.1.0"), side) : w.release("1.1.0");

            ReleaseReport r = w.scanner().scan(release, Optional.of(w.git.dir().toString()));
            assertEquals(side, r.ref().commit().orElseThrow(), "the branch's commit is what was published");
            assertEquals(recorded ? RefMethod.REGISTRY_COMMIT : RefMethod.MANIFEST_HISTORY, r.ref().method());
            assertEquals(Optional.of("dependabot/pip/requests-2.32.4"), r.ref().baselineBranch());
            assertEquals(Boolean.FALSE, r.ref().agreement().orElseThrow());
            assertEquals(Verdict.DIVERGENT, r.verdict(), "every file matches, but nothing merged or tagged it");
            for (var a : r.artifacts()) {
                assertEquals(Verdict.DIVERGENT, a.verdict());
                assertTrue(a.reason().orElseThrow().startsWith("compared with " + side.substring(0, 12)
                        + ", only on dependabot/pip/requests-2.32.4 (neither the default branch nor a tag "
                        + "reaches it)"),
                        a.reason().orElseThrow());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"merged", "tagged"})
    void aBranchCommitTheDefaultBranchReachesOrATagSpellingTheVersionNamesIsABaseline(String how) throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            w.commit(flatProject("1.0.0"), "1.0.0");
            w.tag("v1.0.0");
            SortedMap<String, byte[]> published = flatProject("1.1.0");
            String side = commitOnlyUnder(w, published, "refs/heads/release-1.1");
            try (Repository repo = open(w)) {
                if (how.equals("merged")) {
                    set(repo, "refs/heads/main", side); // fast-forwarded: the default branch reaches it
                } else {
                    set(repo, "refs/tags/v1.1.0", side); // the maintainers' tag on the maintenance branch
                }
            }
            w.publish("1.1.0", published, wheelOf(published));

            ReleaseReport r = w.scanner().scan(recording(w.release("1.1.0"), side), Optional.of(w.git.dir().toString()));
            assertEquals(side, r.ref().commit().orElseThrow());
            assertEquals(Optional.empty(), r.ref().baselineBranch());
            assertTrue(r.verdict() == Verdict.CLEAN || r.verdict() == Verdict.EXPLAINED, r.verdict() + " "
                    + r.reason());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"refs/heads/1.x", "refs/heads/release/v9", "refs/heads/99"})
    void aBranchNameIsNoAnchorNotEvenALineLikeOne(String ref) throws Exception {
        // red team: anyone who can push a branch can name it like a maintenance line; only the default branch and
        // tags vouch for a commit
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            w.commit(flatProject("1.0.0"), "1.0.0");
            w.tag("v1.0.0");
            SortedMap<String, byte[]> published = with(flatProject("1.1.0"), "demo/core.py", PAYLOAD);
            String side = commitOnlyUnder(w, published, ref);
            w.publish("1.1.0", published, wheelOf(published));

            ReleaseReport r = w.scan("1.1.0");
            assertEquals(side, r.ref().commit().orElseThrow());
            String label = ref.substring("refs/heads/".length());
            assertEquals(Optional.of(label), r.ref().baselineBranch());
            assertEquals(Verdict.DIVERGENT, r.verdict());
        }
    }

    @org.junit.jupiter.api.Test
    void aTagIsNeverReplacedByASideBranchCommitHoldingThePayload() throws Exception {
        // The tag names the clean commit; a branch holds every published file, payload included. Replacing the tag
        // by the commit holding most artifact files would compare the payload with itself.
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            w.commit(flatProject("1.0.0"), "1.0.0");
            w.tag("v1.0.0");
            SortedMap<String, byte[]> clean = flatProject("1.1.0");
            String tagged = w.commit(clean, "1.1.0");
            w.tag("v1.1.0");
            SortedMap<String, byte[]> published = with(clean, "demo/core.py", PAYLOAD);
            commitOnlyUnder(w, published, "refs/heads/fix/typo");
            w.publish("1.1.0", published, wheelOf(published));

            ReleaseReport r = w.scan("1.1.0");
            assertEquals(RefMethod.TAG, r.ref().method());
            assertEquals(tagged, r.ref().commit().orElseThrow());
            assertTrue(r.ref().note().orElseThrow().contains("kept tag commit: the other commit is only on fix/typo "
                    + "(neither the default branch nor a tag reaches it)"), r.ref().note().orElseThrow());
            assertEquals(Verdict.HIGH_RISK, r.verdict());
            FileDivergence core = row(artifact(r, ".whl"), "demo/core.py");
            assertTrue(core.highRisk(), core.toString());
        }
    }

    @org.junit.jupiter.api.Test
    void aTagIsNotReplacedByAnEarlierCommitHoldingCodeTheTagNoLongerHas() throws Exception {
        // red team: a pull request whose first commit adds the payload and whose second removes it; reviewed as a
        // net diff and tagged after the merge. The publisher ships the first commit's files.
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            w.commit(flatProject("1.0.0"), "1.0.0");
            w.tag("v1.0.0");
            SortedMap<String, byte[]> published = with(flatProject("1.1.0"), "demo/core.py", PAYLOAD);
            String intermediate = w.commit(published, "bump and payload");
            String tagged = w.commit(flatProject("1.1.0"), "payload removed");
            w.tag("v1.1.0");
            w.publish("1.1.0", published, wheelOf(published));

            ReleaseReport r = w.scan("1.1.0");
            assertEquals(RefMethod.TAG, r.ref().method());
            assertEquals(tagged, r.ref().commit().orElseThrow());
            assertTrue(r.ref().note().orElseThrow().contains("kept tag commit: " + intermediate.substring(0, 12)
                    + ", an ancestor of it, holds code it changed since (demo/core.py)"), r.ref().note().orElseThrow());
            // Visible, and HIGH_RISK: the payload is content of an earlier state of this very file (IN_HISTORY), but
            // of no release — only content a tagged ancestor held is excused as the project's own (red team round 8).
            assertEquals(Verdict.HIGH_RISK, r.verdict());
            assertEquals(FileStatus.IN_HISTORY, row(artifact(r, ".whl"), "demo/core.py").status());
        }
    }

    @org.junit.jupiter.api.Test
    void anUntaggedReleaseIsComparedWithTheNewestCommitDeclaringItNotAnEarlierOneHoldingRevertedCode() throws Exception {
        // red team: no tag at all; the version bump and the payload in one commit on the default branch, the payload
        // reverted in the next (the manifest still declares the version), then the first commit's files published.
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            w.commit(flatProject("1.0.0"), "1.0.0");
            w.tag("v1.0.0");
            SortedMap<String, byte[]> published = with(flatProject("1.1.0"), "demo/core.py", PAYLOAD);
            String intermediate = w.commit(published, "bump and payload");
            String reverted = w.commit(flatProject("1.1.0"), "payload removed");
            w.publish("1.1.0", published, wheelOf(published));

            ReleaseReport r = w.scan("1.1.0");
            assertEquals(RefMethod.MANIFEST_HISTORY, r.ref().method());
            assertEquals(reverted, r.ref().commit().orElseThrow());
            assertTrue(r.ref().note().orElseThrow().contains("manifest-history commit " + intermediate.substring(0, 12)
                    + " holds code that " + reverted.substring(0, 12)), r.ref().note().orElseThrow());
            assertTrue(r.verdict().compareTo(Verdict.DIVERGENT) >= 0, r.verdict().toString());
            FileStatus core = row(artifact(r, ".whl"), "demo/core.py").status();
            assertTrue(core == FileStatus.MODIFIED || core == FileStatus.IN_HISTORY, core.toString());
        }
    }

    @org.junit.jupiter.api.Test
    void anUntaggedReleaseOfTheNewestCommitDeclaringItIsExplainedAndLaterCommitsDoNotCount() throws Exception {
        // the legitimate shape: bump, a fix, publish the fix; work committed after the release does not count.
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            w.commit(flatProject("1.0.0"), "1.0.0");
            w.tag("v1.0.0");
            w.commit(flatProject("1.1.0"), "bump");
            SortedMap<String, byte[]> fixed = with(flatProject("1.1.0"), "demo/core.py", "def add(a, b):\n    return b + a\n");
            String released = w.commit(fixed, "fix");
            w.publish("1.1.0", fixed, wheelOf(fixed));
            ReleaseReport r = w.scan("1.1.0");
            assertEquals(RefMethod.MANIFEST_HISTORY, r.ref().method());
            assertEquals(released, r.ref().commit().orElseThrow());
            assertTrue(r.verdict().compareTo(Verdict.EXPLAINED) <= 0, r.verdict() + " " + r.ref().note());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"branch", "detached"})
    void aWorkTreeCheckedOutOnAnotherBranchDoesNotMakeThatBranchTheDefault(String how) throws Exception {
        // red team: `--repo .` in a work tree checked out on the attacker's branch (or a CI job's detached merge
        // commit), no refs/remotes/origin/HEAD: HEAD is what someone checked out, not the project's default branch.
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            w.commit(flatProject("1.0.0"), "1.0.0");
            w.tag("v1.0.0");
            SortedMap<String, byte[]> published = with(flatProject("1.1.0"), "demo/core.py", PAYLOAD);
            String side = commitOnlyUnder(w, published, "refs/heads/feature");
            try (Repository repo = open(w)) {
                if (how.equals("branch")) {
                    repo.updateRef(org.eclipse.jgit.lib.Constants.HEAD).link("refs/heads/feature");
                } else {
                    RefUpdate u = repo.updateRef(org.eclipse.jgit.lib.Constants.HEAD, true);
                    u.setNewObjectId(ObjectId.fromString(side));
                    u.forceUpdate();
                }
            }
            w.publish("1.1.0", published, wheelOf(published));
            ReleaseReport r = w.scan("1.1.0");
            assertEquals(side, r.ref().commit().orElseThrow());
            assertTrue(r.verdict().compareTo(Verdict.DIVERGENT) >= 0, r.verdict() + " " + r.ref().note());
            assertTrue(r.ref().note().orElseThrow().contains("neither the default branch nor a tag reaches it"),
                    r.ref().note().orElseThrow());
        }
    }
}
