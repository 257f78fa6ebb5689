package dev.divergence.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inverted blob index must give, for any artifact blob set, exactly the per-commit counts a full walk of
 * every commit's tree gives (distinct blobs: the same content at several paths counts once): checked on random histories with branches, merges, times out of topological order,
 * the same content at several paths, files that become directories and back, executable-bit flips, deletions.
 */
class BlobIndexTest {

    @TempDir
    Path dir;

    private static final String[] CONTENTS = {"a\n", "b\n", "c\n", "d\n", "e\n", "f\n", "g\n", "h\n", ""};
    private static final String[] PATHS = {"README.md", "pkg/__init__.py", "pkg/core.py", "pkg/util.py",
        "pkg/sub/deep.py", "tests/test_core.py", "docs/index.md", "pkg", "pkg/sub"};

    @Test
    void scoresEqualAFullTreeWalkOfEveryCommitOnRandomHistories() throws Exception {
        for (int seed = 1; seed <= 6; seed++) {
            Random random = new Random(seed);
            try (Repository repo = new FileRepository(dir.resolve("r" + seed + ".git").toFile())) {
                repo.create(true);
                List<ObjectId> commits = randomHistory(repo, random, 60);
                BlobIndex index = BlobIndex.build(repo);
                assertEquals(commits.size(), index.commitCount());
                for (int q = 0; q < 25; q++) {
                    Set<String> wanted = new HashSet<>();
                    for (String c : CONTENTS) {
                        if (random.nextInt(3) == 0) {
                            wanted.add(blobId(c));
                        }
                    }
                    wanted.add("not a blob id"); // ignored, as an artifact's odd entries are
                    Map<ObjectId, Integer> expected = new HashMap<>();
                    for (ObjectId c : commits) {
                        expected.put(c, walkScore(repo, c, wanted));
                    }
                    Map<ObjectId, Integer> got = index.scores(index.commits(), wanted);
                    assertEquals(expected, got, "seed " + seed + " query " + q);
                    for (ObjectId c : commits.subList(0, 5)) {
                        assertEquals(expected.get(c), index.score(c, wanted));
                    }
                    int best = expected.values().stream().mapToInt(Integer::intValue).max().orElse(0);
                    List<BlobIndex.Overlap> top = index.bestOverlap(wanted, Long.MAX_VALUE, 3);
                    if (best == 0) {
                        assertTrue(top.isEmpty());
                    } else {
                        assertEquals(best, top.get(0).score());
                        assertEquals(best, expected.get(top.get(0).commit()));
                    }
                }
            }
        }
    }

    @Test
    void amongEqualScoresTheLatestCommitBeforePublicationWins() throws Exception {
        try (Repository repo = new FileRepository(dir.resolve("ties.git").toFile())) {
            repo.create(true);
            Map<String, String> files = new TreeMap<>(Map.of("a.py", "a\n", "b.py", "b\n"));
            ObjectId first = commit(repo, files, List.of(), 1_000);
            files.put("notes.txt", "x\n");
            ObjectId second = commit(repo, files, List.of(first), 2_000); // same artifact blobs, later
            files.put("notes.txt", "y\n");
            ObjectId third = commit(repo, files, List.of(second), 3_000); // after publication
            setRef(repo, "refs/heads/main", third);
            BlobIndex index = BlobIndex.build(repo);
            Set<String> artifact = Set.of(blobId("a\n"), blobId("b\n"));
            List<BlobIndex.Overlap> top = index.bestOverlap(artifact, 2_500, 3);
            assertEquals(List.of(second, first, third), top.stream().map(BlobIndex.Overlap::commit).toList());
            assertEquals(List.of(2, 2, 2), top.stream().map(BlobIndex.Overlap::score).toList());
        }
    }

    @Test
    void aCommitHoldingTheTreeCopiedThreeTimesScoresAtMostTheFileTotal() throws Exception {
        try (Repository repo = new FileRepository(dir.resolve("copies.git").toFile())) {
            repo.create(true);
            Map<String, String> tree = Map.of("pkg/a.py", "a\n", "pkg/b.py", "b\n", "pkg/c.py", "c\n");
            ObjectId honest = commit(repo, tree, List.of(), 1_000);
            Map<String, String> copies = new TreeMap<>();
            for (String prefix : List.of("", "copy1/", "copy2/")) {
                tree.forEach((p, c) -> copies.put(prefix + p, c));
            }
            ObjectId inflated = commit(repo, copies, List.of(honest), 2_000);
            setRef(repo, "refs/heads/main", inflated);
            BlobIndex index = BlobIndex.build(repo);
            Set<String> artifact = Set.of(blobId("a\n"), blobId("b\n"), blobId("c\n"));
            assertEquals(3, index.score(inflated, artifact));
            assertEquals(Map.of(honest, 3, inflated, 3), index.scores(index.commits(), artifact));
            List<BlobIndex.Overlap> top = index.bestOverlap(artifact, Long.MAX_VALUE, 3);
            assertEquals(List.of(3, 3), top.stream().map(BlobIndex.Overlap::score).toList());
        }
    }

    @Test
    void onlyBranchesAndTagsAreIndexedOtherRefsAreEvidence() throws Exception {
        for (String untrusted : List.of("refs/pull/1/head", "refs/remotes/origin/feature", "refs/original/refs/heads/main",
                "refs/notes/commits", "refs/changes/01/1/1")) {
            String name = untrusted.replaceAll("[^a-z0-9]", "_");
            try (Repository repo = new FileRepository(dir.resolve(name + ".git").toFile())) {
                repo.create(true);
                ObjectId base = commit(repo, Map.of("pkg/core.py", "clean\n"), List.of(), 1_000);
                ObjectId tagged = commit(repo, Map.of("pkg/core.py", "clean\n", "README.md", "r\n"), List.of(base), 2_000);
                ObjectId payload = commit(repo, Map.of("pkg/core.py", "payload\n", "README.md", "r\n"), List.of(tagged), 3_000);
                setRef(repo, "refs/heads/main", tagged);
                setRef(repo, "refs/tags/v1.0.0", base);
                setRef(repo, untrusted, payload);
                BlobIndex index = BlobIndex.build(repo);
                assertEquals(2, index.commitCount(), untrusted);
                assertTrue(index.containsCommit(tagged));
                assertFalse(index.containsCommit(payload), untrusted);
                assertEquals(java.util.Optional.of(untrusted), index.untrustedRefOfCommit(payload));
                assertFalse(index.containsBlob(blobId("payload\n")), untrusted);
                assertEquals(java.util.Optional.of(untrusted + ":pkg/core.py"), index.untrustedRefOf(blobId("payload\n")));
                // content a branch also holds is trusted, wherever else it is
                assertTrue(index.containsBlob(blobId("r\n")));
                assertEquals(java.util.Optional.empty(), index.untrustedRefOf(blobId("r\n")));
                List<BlobIndex.Overlap> top = index.bestOverlap(Set.of(blobId("payload\n"), blobId("r\n")),
                        Long.MAX_VALUE, 3);
                assertEquals(List.of(tagged), top.stream().map(BlobIndex.Overlap::commit).toList(), untrusted);
            }
        }
    }

    /**
     * A saved index answers as the built one does, and only for the refs it was built from: a moved branch, a new tag,
     * an untrusted ref or a damaged file each make the next run build it again.
     */
    @Test
    void aSavedIndexIsReadBackOnlyForTheSameRefs() throws Exception {
        Path cache = dir.resolve("index-cache");
        try (Repository repo = new FileRepository(dir.resolve("saved.git").toFile())) {
            repo.create(true);
            List<ObjectId> commits = randomHistory(repo, new Random(7), 40);
            ObjectId side = commit(repo, Map.of("pkg/core.py", "side\n"), List.of(commits.get(3)), 5_000);
            setRef(repo, "refs/heads/zz-wip", side);
            RefUpdate head = repo.updateRef(Constants.HEAD);
            head.link("refs/heads/b0"); // the default branch, by which a side branch's own commits are told
            setRef(repo, "refs/pull/9/head", commit(repo, Map.of("pkg/core.py", "pr\n"), List.of(side), 6_000));
            BlobIndex built = BlobIndex.build(repo);
            BlobIndex first = BlobIndex.cached(repo, cache);
            try (var files = java.nio.file.Files.list(cache)) {
                assertEquals(List.of(BlobIndex.cacheKey(repo) + ".idx"),
                        files.map(f -> f.getFileName().toString()).toList());
            }
            BlobIndex read = BlobIndex.cached(repo, cache);
            for (BlobIndex index : List.of(first, read)) {
                assertSameAnswers(built, index, commits);
            }
            assertEquals(java.util.Optional.of("zz-wip"), read.branchOnlyRefOf(side));
            assertEquals(java.util.Optional.of("refs/pull/9/head:pkg/core.py"), read.untrustedRefOf(blobId("pr\n")));

            // a new commit on the branch: another key, and the new commit is in the index read for it
            ObjectId next = commit(repo, Map.of("pkg/core.py", "next\n"), List.of(side), 7_000);
            setRef(repo, "refs/heads/zz-wip", next);
            BlobIndex moved = BlobIndex.cached(repo, cache);
            assertTrue(moved.containsCommit(next));
            assertTrue(moved.containsBlob(blobId("next\n")));
            assertFalse(read.containsCommit(next));
            // an untrusted ref changes the key too: it is evidence the index carries
            ObjectId pr = commit(repo, Map.of("pkg/core.py", "pr2\n"), List.of(next), 8_000);
            setRef(repo, "refs/pull/10/head", pr);
            BlobIndex withPr = BlobIndex.cached(repo, cache);
            assertEquals(java.util.Optional.of("refs/pull/10/head"), withPr.untrustedRefOfCommit(pr));
            assertFalse(withPr.containsCommit(pr));

            // a damaged file is rebuilt, not trusted
            Path saved = cache.resolve(BlobIndex.cacheKey(repo) + ".idx");
            byte[] bytes = java.nio.file.Files.readAllBytes(saved);
            java.nio.file.Files.write(saved, java.util.Arrays.copyOf(bytes, bytes.length / 2));
            BlobIndex rebuilt = BlobIndex.cached(repo, cache);
            assertSameAnswers(BlobIndex.build(repo), rebuilt, commits);
            assertEquals(bytes.length, java.nio.file.Files.size(saved));
        }
    }

    private static void assertSameAnswers(BlobIndex expected, BlobIndex got, List<ObjectId> commits) {
        assertEquals(expected.commits(), got.commits());
        assertEquals(expected.blobCount(), got.blobCount());
        Set<String> all = new HashSet<>();
        for (String c : CONTENTS) {
            all.add(blobId(c));
        }
        assertEquals(expected.scores(expected.commits(), all), got.scores(got.commits(), all));
        assertEquals(expected.bestOverlap(all, Long.MAX_VALUE, 5), got.bestOverlap(all, Long.MAX_VALUE, 5));
        for (String blob : all) {
            assertEquals(expected.commitsHolding(blob, 10), got.commitsHolding(blob, 10));
            assertEquals(expected.containsBlob(blob), got.containsBlob(blob));
            assertEquals(expected.untrustedRefOf(blob), got.untrustedRefOf(blob));
        }
        for (ObjectId c : commits) {
            assertEquals(expected.branchOnlyRefOf(c), got.branchOnlyRefOf(c));
            assertEquals(expected.untrustedRefOfCommit(c), got.untrustedRefOfCommit(c));
        }
    }

    /** A history over a few branches; some commits merge two branches. Times are random, not topological. */
    private static List<ObjectId> randomHistory(Repository repo, Random random, int n) throws IOException {
        List<ObjectId> all = new ArrayList<>();
        List<Map<String, String>> states = new ArrayList<>();
        List<ObjectId> heads = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            states.add(new TreeMap<>());
            heads.add(null);
        }
        for (int i = 0; i < n; i++) {
            int b = random.nextInt(3);
            Map<String, String> files = states.get(b);
            List<ObjectId> parents = new ArrayList<>();
            if (heads.get(b) != null) {
                parents.add(heads.get(b));
            }
            int other = random.nextInt(3);
            if (other != b && heads.get(other) != null && random.nextInt(5) == 0) {
                parents.add(heads.get(other)); // merge: take the other branch's files over ours
                files.putAll(states.get(other));
                dropConflicts(files);
            }
            for (int m = 0; m < 1 + random.nextInt(3); m++) {
                String path = PATHS[random.nextInt(PATHS.length)];
                if (random.nextInt(4) == 0) {
                    files.remove(path);
                } else {
                    files.put(path, CONTENTS[random.nextInt(CONTENTS.length)]);
                    // a file where a directory was (or the reverse): the other side goes
                    files.keySet().removeIf(p -> p.startsWith(path + "/"));
                    files.keySet().removeIf(p -> path.startsWith(p + "/"));
                }
            }
            ObjectId c = commit(repo, files, parents, 1_000 + random.nextInt(50) * 10L);
            heads.set(b, c);
            all.add(c);
        }
        for (int b = 0; b < 3; b++) {
            if (heads.get(b) != null) {
                setRef(repo, "refs/heads/b" + b, heads.get(b));
            }
        }
        return all;
    }

    private static void dropConflicts(Map<String, String> files) {
        for (String p : new ArrayList<>(files.keySet())) {
            files.keySet().removeIf(q -> q.startsWith(p + "/"));
        }
    }

    private static ObjectId commit(Repository repo, Map<String, String> files, List<ObjectId> parents, long time)
            throws IOException {
        try (ObjectInserter ins = repo.newObjectInserter()) {
            DirCache dc = DirCache.newInCore();
            DirCacheBuilder b = dc.builder();
            for (Map.Entry<String, String> f : new TreeMap<>(files).entrySet()) {
                DirCacheEntry e = new DirCacheEntry(f.getKey());
                // executable bit on some files: a mode change alone must not change what a path holds
                e.setFileMode(f.getKey().endsWith("util.py") && time % 20 == 0 ? FileMode.EXECUTABLE_FILE
                        : FileMode.REGULAR_FILE);
                e.setObjectId(ins.insert(Constants.OBJ_BLOB, f.getValue().getBytes(StandardCharsets.UTF_8)));
                b.add(e);
            }
            b.finish();
            ObjectId tree = dc.writeTree(ins);
            CommitBuilder cb = new CommitBuilder();
            cb.setTreeId(tree);
            cb.setParentIds(parents);
            PersonIdent who = new PersonIdent("t", "t@example.org", time * 1000, 0);
            cb.setAuthor(who);
            cb.setCommitter(who);
            cb.setMessage("c");
            ObjectId id = ins.insert(cb);
            ins.flush();
            return id;
        }
    }

    private static void setRef(Repository repo, String name, ObjectId id) throws IOException {
        RefUpdate u = repo.updateRef(name);
        u.setNewObjectId(id);
        u.forceUpdate();
    }

    /** Distinct wanted blobs in the commit's tree: a blob at several paths counts once. */
    private static int walkScore(Repository repo, ObjectId commit, Set<String> wanted) throws IOException {
        Set<String> held = new HashSet<>();
        try (RevWalk rw = new RevWalk(repo); TreeWalk tw = new TreeWalk(repo)) {
            tw.addTree(rw.parseCommit(commit).getTree());
            tw.setRecursive(true);
            while (tw.next()) {
                String id = tw.getObjectId(0).name();
                if (wanted.contains(id) && !tw.getObjectId(0).equals(Constants.EMPTY_BLOB_ID)) {
                    held.add(id);
                }
            }
        }
        return held.size();
    }

    private static String blobId(String content) {
        try (ObjectInserter.Formatter f = new ObjectInserter.Formatter()) {
            return f.idFor(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8)).name();
        }
    }
}
