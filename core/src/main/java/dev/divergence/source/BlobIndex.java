package dev.divergence.source;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import com.google.common.primitives.ImmutableIntArray;
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
 * Every commit reachable from the repository's own branches and tags ({@code refs/heads/*}, {@code refs/tags/*})
 * and every blob in their trees, built once per repository and reused by every version (LastPyMile's idea: index all history, not just the
 * tag). The index is inverted: for each blob, the runs of commits (in time order) during which some path held
 * it, found by diffing each commit's tree with the previous one's (identical subtrees are skipped). How many of
 * an artifact's blobs each commit holds is then a sum over the artifact's blobs' runs (a difference array over
 * the commits), so a best-overlap query reads neither trees nor commits, whatever the history's size.
 */
public final class BlobIndex {

    /** A commit with its root tree and committer time (seconds since the epoch). */
    public record CommitInfo(ObjectId id, ObjectId tree, long time) {
    }

    /** One candidate of the overlap search: how many artifact blobs the commit's tree holds. */
    public record Overlap(ObjectId commit, long time, int score) {
    }

    private record Entry(String name, ObjectId id, boolean tree) {
    }

    private final List<CommitInfo> commits;
    private final Map<ObjectId, Integer> position = new HashMap<>();
    private final Map<ObjectId, String> blobPaths;
    /** Per blob, pairs (first, last) of commit positions, inclusive: one pair per run of one path holding it. */
    private final Map<ObjectId, int[]> runs;
    /** Blobs reachable only from untrusted refs, with one such ref (and the path) that reaches each. */
    private final Map<ObjectId, String> untrustedOnly;
    /** Commits reachable only from untrusted refs, with one such ref. */
    private final Map<ObjectId, String> untrustedCommits;
    /**
     * Commits of the trusted history that neither the default branch nor any tag reaches, each with the first other
     * branch (in name order) that does: a feature, bot, canary or maintenance branch nobody merged or tagged. Empty
     * when the repository has no default branch to tell the others by.
     */
    private final Map<ObjectId, String> branchOnly;

    private BlobIndex(List<CommitInfo> commits, Map<ObjectId, String> blobPaths, Map<ObjectId, int[]> runs,
                      Map<ObjectId, String> untrustedOnly, Map<ObjectId, String> untrustedCommits,
                      Map<ObjectId, String> branchOnly) {
        this.commits = commits;
        this.blobPaths = blobPaths;
        this.runs = runs;
        this.untrustedOnly = untrustedOnly;
        this.untrustedCommits = untrustedCommits;
        this.branchOnly = branchOnly;
        for (int i = 0; i < commits.size(); i++) {
            position.put(commits.get(i).id(), i);
        }
    }

    /**
     * The index of {@code repo}, read from {@code dir} when an earlier run saved it for the same refs, else built and
     * saved there. The index is a function of the refs alone — every ref's name and target (objects are addressed by
     * their content), {@code HEAD}'s and the remote {@code HEAD}'s targets (the default branch), whether the
     * repository is bare, and a shallow clone's boundary — so those, with {@link #FORMAT}, make the file's name. A
     * nightly run over an unchanged mirror, in a new JVM, reads the index instead of walking every commit's tree
     * again. A file that cannot be read whole (truncated, another format) is ignored and rebuilt; a save that fails
     * costs only the next run's rebuild.
     */
    public static BlobIndex cached(Repository repo, java.nio.file.Path dir) throws IOException {
        String key = cacheKey(repo);
        java.nio.file.Path file = dir.resolve(key + ".idx");
        if (java.nio.file.Files.isRegularFile(file)) {
            try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(
                    java.nio.file.Files.newInputStream(file), 1 << 16))) {
                return read(in, key);
            } catch (IOException | RuntimeException unreadable) {
                // rebuilt below
            }
        }
        BlobIndex built = build(repo);
        try {
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Path tmp = java.nio.file.Files.createTempFile(dir, key, ".tmp");
            try (java.io.DataOutputStream out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(
                    java.nio.file.Files.newOutputStream(tmp), 1 << 16))) {
                built.write(out, key);
            }
            java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException unsaved) {
            // the next run builds it again
        }
        return built;
    }

    /** The saved form's version: changed whenever what {@link #build} computes or {@link #write} writes changes. */
    static final String FORMAT = "divergence-blob-index-1";

    /** {@link #FORMAT} and the refs, as the SHA-256 hex that names a saved index. */
    static String cacheKey(Repository repo) throws IOException {
        java.util.TreeMap<String, String> refs = new java.util.TreeMap<>();
        for (Ref ref : repo.getRefDatabase().getRefs()) {
            refs.put(ref.getName(), describe(ref));
        }
        for (String name : List.of(Constants.HEAD, "refs/remotes/origin/HEAD")) {
            Ref ref = repo.exactRef(name);
            refs.put(name, ref == null ? "-" : describe(ref));
        }
        StringBuilder text = new StringBuilder(FORMAT).append('\n').append(repo.isBare()).append('\n');
        refs.forEach((name, target) -> text.append(name).append(' ').append(target).append('\n'));
        java.io.File shallow = new java.io.File(repo.getDirectory(), "shallow");
        if (shallow.isFile()) {
            text.append("shallow\n").append(java.nio.file.Files.readString(shallow.toPath(),
                    java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        return com.google.common.hash.Hashing.sha256().hashString(text, java.nio.charset.StandardCharsets.UTF_8)
                .toString();
    }

    private static String describe(Ref ref) {
        if (ref.isSymbolic()) {
            return "-> " + ref.getTarget().getName();
        }
        return ref.getObjectId() == null ? "?" : ref.getObjectId().name();
    }

    private void write(java.io.DataOutputStream out, String key) throws IOException {
        out.writeUTF(FORMAT);
        out.writeUTF(key);
        out.writeInt(commits.size());
        for (CommitInfo c : commits) {
            c.id().copyRawTo(out);
            c.tree().copyRawTo(out);
            out.writeLong(c.time());
        }
        writeStrings(out, blobPaths);
        out.writeInt(runs.size());
        for (Map.Entry<ObjectId, int[]> e : runs.entrySet()) {
            e.getKey().copyRawTo(out);
            out.writeInt(e.getValue().length);
            for (int v : e.getValue()) {
                out.writeInt(v);
            }
        }
        writeStrings(out, untrustedOnly);
        writeStrings(out, untrustedCommits);
        writeStrings(out, branchOnly);
        out.writeUTF("end");
    }

    private static BlobIndex read(java.io.DataInputStream in, String key) throws IOException {
        if (!in.readUTF().equals(FORMAT) || !in.readUTF().equals(key)) {
            throw new IOException("another index");
        }
        int n = in.readInt();
        List<CommitInfo> commits = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            commits.add(new CommitInfo(readId(in), readId(in), in.readLong()));
        }
        Map<ObjectId, String> blobPaths = readStrings(in);
        int r = in.readInt();
        Map<ObjectId, int[]> runs = new HashMap<>(Math.max(16, r * 4 / 3 + 1));
        for (int i = 0; i < r; i++) {
            ObjectId blob = readId(in);
            int[] pairs = new int[in.readInt()];
            for (int j = 0; j < pairs.length; j++) {
                pairs[j] = in.readInt();
                if (pairs[j] < 0 || pairs[j] >= n) {
                    throw new IOException("a run outside the commits");
                }
            }
            runs.put(blob, pairs);
        }
        Map<ObjectId, String> untrustedOnly = readStrings(in);
        Map<ObjectId, String> untrustedCommits = readStrings(in);
        Map<ObjectId, String> branchOnly = readStrings(in);
        if (!in.readUTF().equals("end")) {
            throw new IOException("truncated index");
        }
        return new BlobIndex(List.copyOf(commits), blobPaths, runs, untrustedOnly, untrustedCommits, branchOnly);
    }

    private static void writeStrings(java.io.DataOutputStream out, Map<ObjectId, String> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<ObjectId, String> e : map.entrySet()) {
            e.getKey().copyRawTo(out);
            byte[] text = e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.writeInt(text.length);
            out.write(text);
        }
    }

    private static Map<ObjectId, String> readStrings(java.io.DataInputStream in) throws IOException {
        int n = in.readInt();
        Map<ObjectId, String> out = new HashMap<>(Math.max(16, n * 4 / 3 + 1));
        for (int i = 0; i < n; i++) {
            ObjectId id = readId(in);
            byte[] text = new byte[in.readInt()];
            in.readFully(text);
            out.put(id, new String(text, java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    private static ObjectId readId(java.io.DataInputStream in) throws IOException {
        byte[] raw = new byte[Constants.OBJECT_ID_LENGTH];
        in.readFully(raw);
        return ObjectId.fromRaw(raw);
    }

    /** Whether a ref is the project's own history: a branch or a tag. Everything else is untrusted. */
    public static boolean trusted(String refName) {
        return refName.startsWith(Constants.R_HEADS) || refName.startsWith(Constants.R_TAGS);
    }

    public static BlobIndex build(Repository repo) throws IOException {
        List<CommitInfo> commits = new ArrayList<>();
        Map<ObjectId, List<Entry>> trees = new HashMap<>();
        Map<ObjectId, String> blobPaths = new HashMap<>();
        List<Ref> trustedRefs = new ArrayList<>();
        List<Ref> untrustedRefs = new ArrayList<>();
        for (Ref ref : repo.getRefDatabase().getRefs()) {
            if (ref.isSymbolic()) {
                continue; // HEAD -> refs/heads/main: the target is listed itself
            }
            (trusted(ref.getName()) ? trustedRefs : untrustedRefs).add(ref);
        }
        try (RevWalk walk = new RevWalk(repo); ObjectReader reader = repo.newObjectReader()) {
            for (Ref ref : trustedRefs) {
                markStart(walk, ref);
            }
            for (RevCommit c : walk) {
                commits.add(new CommitInfo(c.copy(), c.getTree().copy(), c.getCommitTime()));
                index(reader, c.getTree(), "", trees, blobPaths);
            }
        }
        commits.sort(Comparator.comparingLong(CommitInfo::time));
        Map<ObjectId, String> untrustedBlobs = new HashMap<>();
        Map<ObjectId, String> untrustedCommits = new HashMap<>();
        Set<ObjectId> trustedCommits = new HashSet<>();
        commits.forEach(c -> trustedCommits.add(c.id()));
        untrusted(repo, untrustedRefs, trustedCommits, trees.keySet(), blobPaths.keySet(), untrustedBlobs,
                untrustedCommits);
        return new BlobIndex(List.copyOf(commits), blobPaths, runs(commits, trees), untrustedBlobs, untrustedCommits,
                branchOnly(repo, trustedRefs));
    }

    /**
     * The commits neither the default branch nor a tag reaches: that history walked once, then each other branch, in
     * name order, down to where it joins it (so each walk stops where the branch
     * joins released or merged history). Anyone who can push a branch (a bot, a contributor, a stolen token) can
     * put a commit there; what only such a branch holds was neither merged nor tagged.
     */
    private static Map<ObjectId, String> branchOnly(Repository repo, List<Ref> trustedRefs) throws IOException {
        Optional<ObjectId> tip = defaultTip(repo);
        if (tip.isEmpty()) {
            return Map.of(); // no default branch to tell the others by: no policy rather than a guess
        }
        String defaultRef = defaultBranch(repo).orElse(null);
        Map<ObjectId, String> out = new HashMap<>();
        try (RevWalk walk = new RevWalk(repo)) {
            // Everything the default branch or a tag reaches, once (the release markers: whoever can push a tag can
            // release, see the README's threat model); each other branch is then walked down to where it joins that.
            Set<ObjectId> merged = new HashSet<>();
            walk.markStart(walk.parseCommit(tip.get()));
            for (Ref ref : trustedRefs) {
                if (ref.getName().startsWith(Constants.R_TAGS)) {
                    markStart(walk, ref);
                }
            }
            for (RevCommit c : walk) {
                merged.add(c.copy());
            }
            List<Ref> sides = new ArrayList<>(trustedRefs);
            sides.removeIf(r -> r.getName().equals(defaultRef) || !r.getName().startsWith(Constants.R_HEADS));
            sides.sort(Comparator.comparing(Ref::getName));
            for (Ref side : sides) {
                RevCommit start = parse(walk, side);
                if (start == null) {
                    continue;
                }
                String label = side.getName().substring(Constants.R_HEADS.length());
                java.util.ArrayDeque<RevCommit> pending = new java.util.ArrayDeque<>();
                pending.push(start);
                while (!pending.isEmpty()) {
                    RevCommit c = pending.pop();
                    if (merged.contains(c) || out.containsKey(c)) {
                        continue;
                    }
                    walk.parseHeaders(c);
                    out.put(c.copy(), label);
                    for (RevCommit parent : c.getParents()) {
                        pending.push(parent);
                    }
                }
            }
        }
        return out;
    }

    /**
     * The default branch's ref name: what a clone's {@code refs/remotes/origin/HEAD} names (a work tree checked out on
     * another branch still knows the remote's default), else what a bare mirror's {@code HEAD} names, else main,
     * master or trunk, else the branch a work tree's {@code HEAD} names.
     */
    private static Optional<String> defaultBranch(Repository repo) throws IOException {
        Ref originHead = repo.exactRef("refs/remotes/origin/HEAD");
        if (originHead != null && originHead.isSymbolic()) {
            String name = Constants.R_HEADS + originHead.getTarget().getName().substring("refs/remotes/origin/".length());
            if (repo.exactRef(name) != null) {
                return Optional.of(name);
            }
        }
        Ref head = repo.exactRef(Constants.HEAD);
        List<String> conventional = new ArrayList<>();
        for (String name : List.of("refs/heads/main", "refs/heads/master", "refs/heads/trunk")) {
            Ref r = repo.exactRef(name);
            if (r != null && r.getObjectId() != null) {
                conventional.add(name);
            }
        }
        boolean onBranch = head != null && head.isSymbolic() && head.getObjectId() != null;
        // A bare mirror's HEAD is the remote's default branch. A work tree's HEAD is only what someone checked out —
        // a pull request's branch, or a detached merge commit in a CI job —: main, master or trunk come first.
        if (onBranch && (repo.isBare() || conventional.isEmpty() || conventional.contains(head.getTarget().getName()))) {
            return Optional.of(head.getTarget().getName());
        }
        if (!conventional.isEmpty()) {
            return Optional.of(conventional.get(0));
        }
        return onBranch ? Optional.of(head.getTarget().getName()) : Optional.empty();
    }

    /** The default branch's tip, or a detached HEAD's commit (a work tree checked out at a commit). */
    private static Optional<ObjectId> defaultTip(Repository repo) throws IOException {
        Optional<String> branch = defaultBranch(repo);
        if (branch.isPresent()) {
            return Optional.ofNullable(repo.exactRef(branch.get()).getObjectId());
        }
        Ref head = repo.exactRef(Constants.HEAD);
        return head == null ? Optional.empty() : Optional.ofNullable(head.getObjectId());
    }

    private static RevCommit parse(RevWalk walk, Ref ref) {
        ObjectId target = ref.getPeeledObjectId() != null ? ref.getPeeledObjectId() : ref.getObjectId();
        try {
            return target == null ? null : walk.parseCommit(target);
        } catch (IOException | RuntimeException notACommit) {
            return null;
        }
    }

    private static RevCommit markStart(RevWalk walk, Ref ref) {
        RevCommit c = parse(walk, ref); // null for a tag of a blob or tree: nothing to index
        if (c != null) {
            try {
                walk.markStart(c);
            } catch (IOException | RuntimeException unreadable) {
                return null;
            }
        }
        return c;
    }

    /**
     * The commits and blobs that only untrusted refs reach, each attributed to the first such ref (in ref name
     * order) that reaches it. The walk from each ref stops at commits of the trusted history and at commits an
     * earlier ref reached, and a tree already indexed is not opened again: the cost is that of the untrusted-only
     * part, however many refs a mirror carries (GitHub has one per pull request ever opened).
     */
    private static void untrusted(Repository repo, List<Ref> untrustedRefs, Set<ObjectId> trustedCommits,
                                  Set<ObjectId> trustedTrees, Set<ObjectId> trustedBlobs,
                                  Map<ObjectId, String> blobsOut, Map<ObjectId, String> commitsOut) throws IOException {
        untrustedRefs.sort(Comparator.comparing(Ref::getName));
        Set<ObjectId> seenTrees = new HashSet<>();
        try (RevWalk walk = new RevWalk(repo); ObjectReader reader = repo.newObjectReader()) {
            for (Ref ref : untrustedRefs) {
                ObjectId target = ref.getPeeledObjectId() != null ? ref.getPeeledObjectId() : ref.getObjectId();
                RevCommit tip;
                try {
                    tip = target == null ? null : walk.parseCommit(target);
                } catch (IOException | RuntimeException notACommit) {
                    tip = null;
                }
                java.util.ArrayDeque<RevCommit> pending = new java.util.ArrayDeque<>();
                if (tip != null) {
                    pending.push(tip);
                }
                while (!pending.isEmpty()) {
                    RevCommit c = pending.pop();
                    if (trustedCommits.contains(c) || commitsOut.containsKey(c)) {
                        continue;
                    }
                    walk.parseHeaders(c);
                    commitsOut.put(c.copy(), ref.getName());
                    for (RevCommit parent : c.getParents()) {
                        pending.push(parent);
                    }
                    java.util.ArrayDeque<Object[]> stack = new java.util.ArrayDeque<>();
                    stack.push(new Object[] {c.getTree().copy(), ""});
                    while (!stack.isEmpty()) {
                        Object[] top = stack.pop();
                        ObjectId tree = (ObjectId) top[0];
                        if (trustedTrees.contains(tree) || !seenTrees.add(tree)) {
                            continue;
                        }
                        CanonicalTreeParser p = new CanonicalTreeParser();
                        p.reset(reader, tree);
                        for (; !p.eof(); p.next()) {
                            FileMode mode = p.getEntryFileMode();
                            String path = top[1] + p.getEntryPathString();
                            if (mode == FileMode.TREE) {
                                stack.push(new Object[] {p.getEntryObjectId(), path + "/"});
                            } else if (mode != FileMode.GITLINK && !trustedBlobs.contains(p.getEntryObjectId())) {
                                blobsOut.putIfAbsent(p.getEntryObjectId(), ref.getName() + ":" + path);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Diffs each commit's tree with the previous commit's in time order, opening and closing runs per path. */
    private static Map<ObjectId, int[]> runs(List<CommitInfo> commits, Map<ObjectId, List<Entry>> trees) {
        record Held(ObjectId blob, int since) {
        }
        Map<ObjectId, ImmutableIntArray.Builder> runs = new HashMap<>();
        Map<String, Held> held = new HashMap<>();
        java.util.function.BiConsumer<String, Integer> close = (path, last) -> {
            Held h = held.remove(path);
            if (h != null && last >= h.since()) { // a malformed tree (duplicate names) may name a path twice
                runs.computeIfAbsent(h.blob(), b -> ImmutableIntArray.builder()).add(h.since()).add(last);
            }
        };
        ObjectId previous = null;
        for (int i = 0; i < commits.size(); i++) {
            int at = i;
            ObjectId tree = commits.get(i).tree();
            diff(previous, tree, trees, path -> close.accept(path, at - 1), (path, blob) -> {
                close.accept(path, at - 1); // normally nothing: a path is removed before it is added again
                held.put(path, new Held(blob, at));
            });
            previous = tree;
        }
        for (String path : new ArrayList<>(held.keySet())) {
            close.accept(path, commits.size() - 1);
        }
        Map<ObjectId, int[]> out = new HashMap<>();
        runs.forEach((blob, b) -> out.put(blob, union(b.build().toArray())));
        return out;
    }

    /**
     * The runs of one blob merged into disjoint ranges: a commit holding the blob at several paths (a tree copied
     * three times) holds it once, so a score counts distinct artifact files and never exceeds their number.
     */
    private static int[] union(int[] pairs) {
        int n = pairs.length / 2;
        if (n <= 1) {
            return pairs;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingInt(i -> pairs[2 * i]));
        ImmutableIntArray.Builder out = ImmutableIntArray.builder();
        int start = pairs[2 * order[0]];
        int end = pairs[2 * order[0] + 1];
        for (int k = 1; k < n; k++) {
            int s = pairs[2 * order[k]];
            int e = pairs[2 * order[k] + 1];
            if (s <= end + 1) {
                end = Math.max(end, e);
            } else {
                out.add(start).add(end);
                start = s;
                end = e;
            }
        }
        return out.add(start).add(end).build().toArray();
    }

    /**
     * The blob-level difference between two trees (either may be null): paths that stop holding a blob, then
     * paths that start holding one. Iterative: hostile repositories can nest trees deeply.
     */
    private static void diff(ObjectId from, ObjectId to, Map<ObjectId, List<Entry>> trees,
                             java.util.function.Consumer<String> removed,
                             java.util.function.BiConsumer<String, ObjectId> added) {
        record Step(ObjectId from, ObjectId to, String prefix) {
        }
        java.util.ArrayDeque<Step> stack = new java.util.ArrayDeque<>();
        stack.push(new Step(from, to, ""));
        while (!stack.isEmpty()) {
            Step s = stack.pop();
            if (s.from() != null && s.from().equals(s.to())) {
                continue;
            }
            Map<String, Entry> before = new HashMap<>();
            if (s.from() != null) {
                for (Entry e : trees.getOrDefault(s.from(), List.of())) {
                    before.put(e.name(), e);
                }
            }
            List<Entry> after = s.to() == null ? List.of() : trees.getOrDefault(s.to(), List.of());
            for (Entry b : after) {
                Entry a = before.remove(b.name());
                String path = s.prefix() + b.name();
                if (a != null && a.id().equals(b.id()) && a.tree() == b.tree()) {
                    continue; // unchanged (a mode change alone does not change what the path holds)
                }
                if (a != null && a.tree() && b.tree()) {
                    stack.push(new Step(a.id(), b.id(), path + "/"));
                    continue;
                }
                if (a != null) {
                    if (a.tree()) {
                        stack.push(new Step(a.id(), null, path + "/"));
                    } else {
                        removed.accept(path);
                    }
                }
                if (b.tree()) {
                    stack.push(new Step(null, b.id(), path + "/"));
                } else {
                    added.accept(path, b.id());
                }
            }
            for (Entry a : before.values()) {
                String path = s.prefix() + a.name();
                if (a.tree()) {
                    stack.push(new Step(a.id(), null, path + "/"));
                } else {
                    removed.accept(path);
                }
            }
        }
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
                String name = p.getEntryPathString();
                if (mode == FileMode.TREE) {
                    entries.add(new Entry(name, eid, true));
                    stack.add(new Object[] {eid, path + "/"});
                } else if (mode != FileMode.GITLINK) {
                    entries.add(new Entry(name, eid, false));
                    blobPaths.putIfAbsent(eid, path);
                }
                p.next();
            }
            trees.put(id, entries);
        }
    }

    /**
     * Blob ids first seen at {@code path} in the trusted history (a branch or tag), at most {@code limit} of them:
     * the versions a file had across the repository's history, for rules that ask "was this ever declared".
     */
    public List<String> blobsAt(String path, int limit) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<ObjectId, String> e : blobPaths.entrySet()) {
            if (e.getValue().equals(path)) { // blobPaths holds trusted history only
                out.add(e.getKey().name());
                if (out.size() >= limit) {
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Commits of the trusted history whose tree holds the blob, at most {@code limit}: the first and last commit of
     * each run of commits (in the index's order) that hold it.
     */
    public List<String> commitsHolding(String blobId, int limit) {
        List<String> out = new ArrayList<>();
        int[] r = ObjectId.isId(blobId) ? runs.get(ObjectId.fromString(blobId)) : null;
        for (int i = 0; r != null && i < r.length && out.size() < limit; i += 2) {
            out.add(commits.get(r[i]).id().name());
            if (r[i + 1] != r[i] && out.size() < limit) {
                out.add(commits.get(r[i + 1]).id().name());
            }
        }
        return out;
    }

    /**
     * Whether a commit the default branch or a tag reaches holds the blob: not only a side branch (a commit there is
     * unreviewed, {@link #branchOnlyRefOf}).
     */
    public boolean heldByReviewedCommit(String blobId) {
        int[] r = ObjectId.isId(blobId) ? runs.get(ObjectId.fromString(blobId)) : null;
        for (int i = 0; r != null && i < r.length; i += 2) {
            for (int k = r[i]; k <= r[i + 1]; k++) {
                if (!branchOnly.containsKey(commits.get(k).id())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Commit time (epoch seconds) of a commit of the trusted history. */
    public Optional<Long> commitTime(String commit) {
        Integer at = ObjectId.isId(commit) ? position.get(ObjectId.fromString(commit)) : null;
        return at == null ? Optional.empty() : Optional.of(commits.get(at).time());
    }

    /** Whether some commit of a branch or tag holds the blob. */
    public boolean containsBlob(String blobId) {
        return ObjectId.isId(blobId) && blobPaths.containsKey(ObjectId.fromString(blobId));
    }

    /**
     * For a blob that no branch or tag holds but an untrusted ref does: that ref and the path, as
     * {@code refs/pull/1/head:path/to/file}. Evidence, never an explanation.
     */
    public Optional<String> untrustedRefOf(String blobId) {
        return ObjectId.isId(blobId) ? Optional.ofNullable(untrustedOnly.get(ObjectId.fromString(blobId)))
                : Optional.empty();
    }

    /** Whether a commit is reachable from a branch or tag. */
    public boolean containsCommit(ObjectId commit) {
        return position.containsKey(commit);
    }

    /**
     * For a commit of the trusted history that only side branches reach (neither the default branch nor a tag):
     * the first such branch, e.g. {@code dependabot/npm_and_yarn/foo-1.2.3}.
     */
    public Optional<String> branchOnlyRefOf(ObjectId commit) {
        return Optional.ofNullable(branchOnly.get(commit));
    }

    /** For a commit that only an untrusted ref reaches: that ref. */
    public Optional<String> untrustedRefOfCommit(ObjectId commit) {
        return Optional.ofNullable(untrustedCommits.get(commit));
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

    /** Number of distinct artifact blobs held by the tree of one commit (each counted once, wherever it is). */
    public int score(ObjectId commit, Set<String> blobIds) {
        Integer at = position.get(commit);
        if (at == null) {
            return 0;
        }
        int score = 0;
        for (ObjectId b : toIds(blobIds)) {
            int[] r = runs.get(b);
            for (int i = 0; r != null && i < r.length; i += 2) {
                if (r[i] <= at && at <= r[i + 1]) {
                    score++;
                }
            }
        }
        return score;
    }

    /** Scores of several commits against one artifact blob set. */
    public Map<ObjectId, Integer> scores(List<CommitInfo> selected, Set<String> blobIds) {
        int[] all = scoreAll(toIds(blobIds));
        Map<ObjectId, Integer> out = new HashMap<>();
        for (CommitInfo c : selected) {
            Integer at = position.get(c.id());
            out.put(c.id(), at == null ? 0 : all[at]);
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
        int[] all = scoreAll(toIds(blobIds));
        List<Overlap> scored = new ArrayList<>();
        for (int i = 0; i < all.length; i++) {
            if (all[i] > 0) {
                CommitInfo c = commits.get(i);
                scored.add(new Overlap(c.id(), c.time(), all[i]));
            }
        }
        Comparator<Overlap> byTime = Comparator.comparingLong(o -> o.time() <= publishedEpochSecond
                ? -o.time() // before publication: latest first
                : Long.MAX_VALUE / 2 + o.time()); // after: earliest first, after all earlier ones
        // Among equal scores, a commit the default branch or a tag reaches comes before one only a side branch holds.
        scored.sort(Comparator.comparingInt(Overlap::score).reversed()
                .thenComparingInt((Overlap o) -> branchOnly.containsKey(o.commit()) ? 1 : 0).thenComparing(byTime));
        return List.copyOf(scored.subList(0, Math.min(limit, scored.size())));
    }

    /** Score of every commit by position: each run of a wanted blob adds one to the commits it spans. */
    private int[] scoreAll(Set<ObjectId> wanted) {
        int[] delta = new int[commits.size() + 1];
        for (ObjectId b : wanted) {
            int[] r = runs.get(b);
            for (int i = 0; r != null && i < r.length; i += 2) {
                delta[r[i]]++;
                delta[r[i + 1] + 1]--;
            }
        }
        int[] score = new int[commits.size()];
        int running = 0;
        for (int i = 0; i < score.length; i++) {
            running += delta[i];
            score[i] = running;
        }
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
