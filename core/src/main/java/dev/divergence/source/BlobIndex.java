package dev.divergence.source;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;

/**
 * Every commit reachable from any ref (branches, tags, {@code refs/pull/*}) and every blob in their trees,
 * built once per repository and reused by every version (LastPyMile's idea: index all history, not just the
 * tag). Trees are parsed once each and shared, so the best-overlap search for an untagged version costs one
 * pass over distinct trees rather than a full walk of every commit.
 */
public final class BlobIndex {

    /** A commit with its root tree and committer time (seconds since the epoch). */
    public record CommitInfo(ObjectId id, ObjectId tree, long time) {
    }

    /** One candidate of the overlap search: how many artifact blobs the commit's tree holds. */
    public record Overlap(ObjectId commit, long time, int score) {
    }

    private record Entry(ObjectId id, boolean tree) {
    }

    private final List<CommitInfo> commits;
    private final Map<ObjectId, List<Entry>> trees;
    private final Map<ObjectId, String> blobPaths;
    private final Map<ObjectId, CommitInfo> byId = new HashMap<>();

    private BlobIndex(List<CommitInfo> commits, Map<ObjectId, List<Entry>> trees, Map<ObjectId, String> blobPaths) {
        this.commits = commits;
        this.trees = trees;
        this.blobPaths = blobPaths;
        commits.forEach(c -> byId.put(c.id(), c));
    }

    public static BlobIndex build(Repository repo) throws IOException {
        List<CommitInfo> commits = new ArrayList<>();
        Map<ObjectId, List<Entry>> trees = new HashMap<>();
        Map<ObjectId, String> blobPaths = new HashMap<>();
        try (RevWalk walk = new RevWalk(repo); ObjectReader reader = repo.newObjectReader()) {
            for (Ref ref : repo.getRefDatabase().getRefs()) {
                ObjectId target = ref.getPeeledObjectId() != null ? ref.getPeeledObjectId() : ref.getObjectId();
                if (target == null) {
                    continue;
                }
                try {
                    RevCommit c = walk.parseCommit(target);
                    walk.markStart(c);
                } catch (IOException | RuntimeException notACommit) {
                    // a tag of a blob or tree: nothing to index
                }
            }
            for (RevCommit c : walk) {
                commits.add(new CommitInfo(c.copy(), c.getTree().copy(), c.getCommitTime()));
                index(reader, c.getTree(), "", trees, blobPaths);
            }
        }
        commits.sort(Comparator.comparingLong(CommitInfo::time));
        return new BlobIndex(List.copyOf(commits), trees, blobPaths);
    }

    private static void index(ObjectReader reader, AnyObjectId treeId, String prefix,
                              Map<ObjectId, List<Entry>> trees, Map<ObjectId, String> blobPaths) throws IOException {
        // Iterative over a stack: hostile repositories can nest trees deeply.
        List<Object[]> stack = new ArrayList<>();
        stack.add(new Object[] {treeId.copy(), prefix});
        while (!stack.isEmpty()) {
            Object[] top = stack.remove(stack.size() - 1);
            ObjectId id = (ObjectId) top[0];
            if (trees.containsKey(id)) {
                continue;
            }
            String base = (String) top[1];
            List<Entry> entries = new ArrayList<>();
            CanonicalTreeParser p = new CanonicalTreeParser();
            p.reset(reader, id);
            while (!p.eof()) {
                FileMode mode = p.getEntryFileMode();
                ObjectId eid = p.getEntryObjectId();
                String path = base + p.getEntryPathString();
                if (mode == FileMode.TREE) {
                    entries.add(new Entry(eid, true));
                    stack.add(new Object[] {eid, path + "/"});
                } else if (mode != FileMode.GITLINK) {
                    entries.add(new Entry(eid, false));
                    blobPaths.putIfAbsent(eid, path);
                }
                p.next();
            }
            trees.put(id, entries);
        }
    }

    public boolean containsBlob(String blobId) {
        return blobPaths.containsKey(ObjectId.fromString(blobId));
    }

    /** A path at which the blob was seen in some commit, for drill-down. */
    public String pathOf(String blobId) {
        return blobPaths.get(ObjectId.fromString(blobId));
    }

    /** Every indexed commit, oldest first. */
    public List<CommitInfo> commits() {
        return commits;
    }

    public int commitCount() {
        return commits.size();
    }

    public int blobCount() {
        return blobPaths.size();
    }

    /** Number of artifact blobs held by the tree of one commit. */
    public int score(ObjectId commit, Set<String> blobIds) {
        CommitInfo c = byId.get(commit);
        return c == null ? 0 : treeScore(c.tree(), toIds(blobIds), new HashMap<>());
    }

    /** Scores of several commits against one artifact blob set, sharing the subtree memo. */
    public Map<ObjectId, Integer> scores(List<CommitInfo> selected, Set<String> blobIds) {
        Set<ObjectId> wanted = toIds(blobIds);
        Map<ObjectId, Integer> memo = new HashMap<>();
        Map<ObjectId, Integer> out = new HashMap<>();
        for (CommitInfo c : selected) {
            out.put(c.id(), treeScore(c.tree(), wanted, memo));
        }
        return out;
    }

    /** Time of the newest commit, 0 for an empty repository. */
    public long newestCommitTime() {
        return commits.isEmpty() ? 0 : commits.get(commits.size() - 1).time();
    }

    /**
     * Commits ranked by how many of the artifact's blobs their tree holds, best first. Among equal scores, the
     * latest commit made before the release was published wins (an unpublished tweak of the same tree, or an
     * attacker's base, is the most recent state they could have had); commits after publication come last,
     * earliest first, since a release commit is the first to hold the release's files.
     *
     * @param publishedEpochSecond when the release was published, or {@code Long.MAX_VALUE} when unknown
     */
    public List<Overlap> bestOverlap(Set<String> blobIds, long publishedEpochSecond, int limit) {
        Set<ObjectId> wanted = toIds(blobIds);
        Map<ObjectId, Integer> memo = new HashMap<>();
        List<Overlap> all = new ArrayList<>(commits.size());
        for (CommitInfo c : commits) {
            all.add(new Overlap(c.id(), c.time(), treeScore(c.tree(), wanted, memo)));
        }
        Comparator<Overlap> byTime = Comparator.comparingLong(o -> o.time() <= publishedEpochSecond
                ? -o.time() // before publication: latest first
                : Long.MAX_VALUE / 2 + o.time()); // after: earliest first, after all earlier ones
        all.sort(Comparator.comparingInt(Overlap::score).reversed().thenComparing(byTime));
        return all.subList(0, Math.min(limit, all.size())).stream().filter(o -> o.score() > 0).toList();
    }

    private int treeScore(ObjectId tree, Set<ObjectId> wanted, Map<ObjectId, Integer> memo) {
        Integer known = memo.get(tree);
        if (known != null) {
            return known;
        }
        int score = 0;
        for (Entry e : trees.getOrDefault(tree, List.of())) {
            score += e.tree() ? treeScore(e.id(), wanted, memo) : (wanted.contains(e.id()) ? 1 : 0);
        }
        memo.put(tree, score);
        return score;
    }

    private static Set<ObjectId> toIds(Set<String> blobIds) {
        Set<ObjectId> ids = new HashSet<>();
        for (String b : blobIds) {
            if (ObjectId.isId(b)) {
                ids.add(ObjectId.fromString(b));
            }
        }
        ids.remove(Constants.EMPTY_BLOB_ID); // empty files say nothing about a commit
        return ids;
    }
}
