package dev.divergence.source;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * One Git repository opened for comparison: its tags (peeled to commits), its {@link BlobIndex}, trees of
 * commits, and blob contents with their SHA-256 cached by blob id (consecutive versions share most blobs).
 * Thread-safe for reads; one instance per repository per JVM (see {@link RepositoryCache}).
 */
public final class SourceRepository implements AutoCloseable {

    private final String location;
    private final Repository repo;
    private final Map<String, ObjectId> tags;
    /** Built on first use: a nightly run that only checks whether tags moved never needs it. */
    private volatile BlobIndex index;
    private final Map<String, String> sha256ByBlob = new ConcurrentHashMap<>();
    private final Map<String, SourceTree> treeCache = new ConcurrentHashMap<>();
    private final Map<String, TagMatcher.Index> tagIndexes = new ConcurrentHashMap<>();

    /** Where {@link #index} is saved between runs ({@link BlobIndex#cached}); empty: built in memory only. */
    private final Optional<java.nio.file.Path> indexCache;

    SourceRepository(String location, Repository repo) throws IOException {
        this(location, repo, Optional.empty());
    }

    SourceRepository(String location, Repository repo, Optional<java.nio.file.Path> indexCache) throws IOException {
        this.location = location;
        this.repo = repo;
        this.tags = readTags(repo);
        this.indexCache = indexCache;
    }

    private static Map<String, ObjectId> readTags(Repository repo) throws IOException {
        Map<String, ObjectId> out = new LinkedHashMap<>();
        try (RevWalk walk = new RevWalk(repo)) {
            for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
                try {
                    // Annotated and lightweight tags alike resolve to the commit they name.
                    RevCommit c = walk.parseCommit(ref.getObjectId());
                    out.put(ref.getName().substring(Constants.R_TAGS.length()), c.copy());
                } catch (IOException | RuntimeException notACommit) {
                    // tag of a tree or blob: not a release
                }
            }
        }
        return out;
    }

    public String location() {
        return location;
    }

    public Map<String, ObjectId> tags() {
        return tags;
    }

    /** The tags read for one package name (a monorepo's packages each have theirs), built once. */
    public TagMatcher.Index tagIndex(String packageName) {
        return tagIndexes.computeIfAbsent(packageName, n -> TagMatcher.index(n, name(), tags.keySet()));
    }

    /**
     * The repository's name as its location spells it: the last path segment without {@code .git}
     * ({@code https://github.com/qos-ch/slf4j} → {@code slf4j}, {@code /src/slf4j/.git} → {@code slf4j},
     * {@code https://gitbox.apache.org/repos/asf?p=commons-pool.git} → {@code commons-pool}). Projects name tags
     * after it ({@code SLF4J_1.3.0}).
     */
    public java.util.Optional<String> name() {
        return nameOf(location);
    }

    static java.util.Optional<String> nameOf(String location) {
        String s = location.trim().replace('\\', '/');
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.endsWith("/.git")) {
            s = s.substring(0, s.length() - "/.git".length());
        }
        if (s.endsWith(".git")) {
            s = s.substring(0, s.length() - ".git".length());
        }
        int cut = Math.max(s.lastIndexOf('/'), Math.max(s.lastIndexOf(':'), s.lastIndexOf('=')));
        String name = s.substring(cut + 1);
        return name.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(name);
    }

    /**
     * Every commit and blob of the repository's history, built once per repository on first use (or read back from
     * the cache when an earlier run saved it for the same refs, {@link BlobIndex#cached}).
     *
     * @throws java.io.UncheckedIOException when the repository's objects cannot be read
     */
    public BlobIndex index() {
        BlobIndex built = index;
        if (built == null) {
            synchronized (this) {
                built = index;
                if (built == null) {
                    try {
                        built = indexCache.isPresent() ? BlobIndex.cached(repo, indexCache.get()) : BlobIndex.build(repo);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException("cannot index " + location + ": " + e.getMessage(), e);
                    }
                    index = built;
                }
            }
        }
        return built;
    }

    /**
     * A commit named by registry metadata (npm {@code gitHead}, an attestation), checked: it must be a full
     * 40-hex commit id (never a revision expression such as {@code HEAD~2} or {@code refs/pull/1/head}) and be
     * reachable from a branch or tag. Otherwise {@code problem} says why it is not usable.
     */
    public record Resolution(Optional<String> commit, Optional<String> problem) {
    }

    /** The {@link Resolution#problem} of a well-formed commit id the repository does not have at all. */
    public static final String NOT_IN_REPOSITORY = "is not in the repository";

    public Resolution resolveCommit(String revision) {
        String rev = revision.trim().toLowerCase(java.util.Locale.ROOT);
        if (!rev.matches("[0-9a-f]{40}")) {
            return new Resolution(Optional.empty(), Optional.of("is not a full commit id"));
        }
        ObjectId id = ObjectId.fromString(rev);
        BlobIndex idx = index();
        if (idx.containsCommit(id)) {
            return new Resolution(Optional.of(id.name()), Optional.empty());
        }
        Optional<String> untrusted = idx.untrustedRefOfCommit(id);
        if (untrusted.isPresent()) {
            return new Resolution(Optional.empty(), Optional.of("is reachable only from " + untrusted.get()
                    + ", not from a branch or tag"));
        }
        try {
            if (repo.getObjectDatabase().has(id)) {
                return new Resolution(Optional.empty(), Optional.of("is in the repository but on no branch or tag"));
            }
        } catch (IOException | RuntimeException e) {
            // unreadable object database: say it is not there
        }
        return new Resolution(Optional.empty(), Optional.of(NOT_IN_REPOSITORY));
    }

    /** Whether {@code ancestor} is reachable from {@code descendant} (equal commits count). */
    public boolean isAncestor(String ancestor, String descendant) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            return walk.isMergedInto(walk.parseCommit(ObjectId.fromString(ancestor)),
                    walk.parseCommit(ObjectId.fromString(descendant)));
        }
    }

    /**
     * Which of {@code targets} (commit ids) are reachable from {@code descendant} (itself included) but not from
     * {@code excluded}: one walk over the commits the first has and the second lacks.
     */
    public java.util.Set<String> reachedOnlyFrom(String descendant, String excluded, java.util.Set<String> targets)
            throws IOException {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        if (targets.isEmpty()) {
            return out;
        }
        try (RevWalk walk = new RevWalk(repo)) {
            walk.markStart(walk.parseCommit(ObjectId.fromString(descendant)));
            walk.markUninteresting(walk.parseCommit(ObjectId.fromString(excluded)));
            for (RevCommit c : walk) {
                if (targets.contains(c.name())) {
                    out.add(c.name());
                    if (out.size() == targets.size()) {
                        break;
                    }
                }
            }
        }
        return out;
    }

    /** A commit and its parents' ids. */
    public record Lineage(String id, List<String> parents) {
    }

    /**
     * The commits any ref reaches that descend from {@code commit} (itself excluded), parents before children, with
     * their parents: at most {@code limit} of them, the nearest first ({@code git rev-list --ancestry-path
     * --topo-order --reverse commit..--all}).
     */
    public List<Lineage> descendants(String commit, int limit) throws IOException {
        List<Lineage> out = new java.util.ArrayList<>();
        java.util.Set<ObjectId> line = new java.util.HashSet<>();
        ObjectId start = ObjectId.fromString(commit);
        line.add(start);
        try (RevWalk walk = new RevWalk(repo)) {
            for (Ref ref : repo.getRefDatabase().getRefs()) {
                ObjectId id = ref.getPeeledObjectId() != null ? ref.getPeeledObjectId() : ref.getObjectId();
                if (id == null) {
                    continue;
                }
                try {
                    walk.markStart(walk.parseCommit(id));
                } catch (IOException | RuntimeException notACommit) {
                    // a ref to a tree or blob reaches no commit
                }
            }
            walk.markUninteresting(walk.parseCommit(start));
            walk.sort(org.eclipse.jgit.revwalk.RevSort.TOPO, true);
            walk.sort(org.eclipse.jgit.revwalk.RevSort.REVERSE, true);
            for (RevCommit c : walk) {
                List<String> parents = new java.util.ArrayList<>();
                boolean descends = false;
                for (RevCommit p : c.getParents()) {
                    parents.add(p.name());
                    descends |= line.contains(p);
                }
                if (!descends) {
                    continue;
                }
                line.add(c.copy());
                out.add(new Lineage(c.name(), List.copyOf(parents)));
                if (out.size() >= limit) {
                    break;
                }
            }
        }
        return out;
    }

    /** The tree of a commit. */
    public ObjectId treeOf(String commit) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            return walk.parseCommit(ObjectId.fromString(commit)).getTree().copy();
        }
    }

    /** The trees of a commit's parents (none for a root commit). */
    public List<ObjectId> parentTrees(String commit) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit c = walk.parseCommit(ObjectId.fromString(commit));
            List<ObjectId> out = new java.util.ArrayList<>();
            for (RevCommit p : c.getParents()) {
                out.add(walk.parseCommit(p).getTree().copy());
            }
            return out;
        }
    }

    /** The files of a commit (cached: several artifacts of one version share the tree). */
    public SourceTree tree(String commit) throws IOException {
        SourceTree cached = treeCache.get(commit);
        if (cached != null) {
            return cached;
        }
        Map<String, SourceTree.SourceFile> files = new HashMap<>();
        Map<String, String> gitlinks = new HashMap<>();
        try (RevWalk walk = new RevWalk(repo); TreeWalk tw = new TreeWalk(repo)) {
            RevCommit c = walk.parseCommit(ObjectId.fromString(commit));
            tw.addTree(c.getTree());
            tw.setRecursive(true);
            while (tw.next()) {
                FileMode mode = tw.getFileMode(0);
                if (mode == FileMode.GITLINK) {
                    gitlinks.put(tw.getPathString(), tw.getObjectId(0).name()); // its files are in another repository
                    continue;
                }
                String path = tw.getPathString();
                files.put(path, new SourceTree.SourceFile(path, tw.getObjectId(0).name(), mode.getBits()));
            }
        }
        SourceTree t = new SourceTree(commit, files, gitlinks);
        if (treeCache.size() > 64) {
            treeCache.clear();
        }
        treeCache.put(commit, t);
        return t;
    }

    /** The blob id at {@code path} in a tree, without walking the rest of it. */
    public Optional<String> blobAt(ObjectId tree, String path) {
        try (TreeWalk tw = TreeWalk.forPath(repo, path, tree)) {
            if (tw == null || tw.getFileMode(0) == FileMode.TREE || tw.getFileMode(0) == FileMode.GITLINK) {
                return Optional.empty();
            }
            return Optional.of(tw.getObjectId(0).name());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Content of a blob, refusing blobs larger than {@code maxBytes}. */
    public Optional<byte[]> read(String blobId, long maxBytes) throws IOException {
        try (ObjectReader reader = repo.newObjectReader()) {
            ObjectLoader loader = reader.open(ObjectId.fromString(blobId), Constants.OBJ_BLOB);
            if (loader.getSize() > maxBytes) {
                return Optional.empty();
            }
            return Optional.of(loader.getBytes());
        }
    }

    public long size(String blobId) throws IOException {
        try (ObjectReader reader = repo.newObjectReader()) {
            return reader.getObjectSize(ObjectId.fromString(blobId), Constants.OBJ_BLOB);
        }
    }

    /** SHA-256 of a blob, streamed (never the whole blob in memory), cached by blob id. */
    public String sha256(String blobId) throws IOException {
        String known = sha256ByBlob.get(blobId);
        if (known != null) {
            return known;
        }
        java.security.MessageDigest md;
        try {
            md = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (ObjectReader reader = repo.newObjectReader();
             var in = reader.open(ObjectId.fromString(blobId), Constants.OBJ_BLOB).openStream()) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        String hex = HexFormat.of().formatHex(md.digest());
        sha256ByBlob.put(blobId, hex);
        return hex;
    }

    /** The commits of tags named in {@code names}, for candidate lists. */
    public List<String> tagNames() {
        return new ArrayList<>(tags.keySet());
    }

    @Override
    public void close() {
        repo.close();
    }
}
