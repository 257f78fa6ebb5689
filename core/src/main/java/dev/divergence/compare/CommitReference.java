package dev.divergence.compare;

import dev.divergence.source.SourceRepository;
import dev.divergence.source.SourceTree;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fetch mode's reference: the tree of one commit (path, blob id, mode from Git tree objects, no content read) and the
 * repository's history around it (which commits hold a blob, whether they are ancestors of this one).
 */
public record CommitReference(SourceTree tree, SourceRepository repo) implements Reference {

    @Override
    public Mode mode() {
        return Mode.FETCH;
    }

    @Override
    public String describe() {
        return "commit " + tree.commit();
    }

    public String commit() {
        return tree.commit();
    }

    @Override
    public Map<String, SourceTree.SourceFile> files() {
        return tree.files();
    }

    @Override
    public Optional<SourceTree.SourceFile> get(String path) {
        return tree.get(path);
    }

    @Override
    public Optional<SourceTree.SourceFile> getIgnoreCase(String path) {
        return tree.getIgnoreCase(path);
    }

    @Override
    public Optional<SourceTree.SourceFile> findBlob(String blobId) {
        return tree.findBlob(blobId);
    }

    @Override
    public java.util.List<SourceTree.SourceFile> findBlobs(String blobId) {
        return tree.filesWithBlob(blobId);
    }

    @Override
    public Optional<byte[]> read(SourceTree.SourceFile entry, long max) throws IOException {
        return readBlob(entry.blobId(), max);
    }

    @Override
    public String sha256(SourceTree.SourceFile entry) throws IOException {
        return repo.sha256(entry.blobId());
    }

    @Override
    public long size(SourceTree.SourceFile entry) throws IOException {
        return repo.size(entry.blobId());
    }

    @Override
    public boolean inHistory(String blobId) {
        return repo.index().containsBlob(blobId);
    }

    /** Any blob of the repository, when it holds at most {@code max} bytes. */
    public Optional<byte[]> readBlob(String blobId, long max) throws IOException {
        return repo.size(blobId) <= max ? repo.read(blobId, max) : Optional.empty();
    }

    /** The path a blob of the history was first seen at. */
    public String historyPathOf(String blobId) {
        return repo.index().pathOf(blobId);
    }

    /** A pull-request (or other untrusted) ref that alone holds the blob. */
    public Optional<String> untrustedRefOf(String blobId) {
        return repo.index().untrustedRefOf(blobId);
    }

    /**
     * Whether a commit holding the blob is an ancestor of (or is) this commit: an earlier state of this release line,
     * not a branch that never reached it (anyone with push access can make a branch).
     */
    public boolean heldBefore(String blobId) {
        String baseline = tree.commit();
        for (String c : repo.index().commitsHolding(blobId, 16)) {
            try {
                if (c.equals(baseline) || repo.isAncestor(c, baseline)) {
                    return true;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * Whether a tagged commit that is this commit or an ancestor of it held the blob at {@code path}: the content an
     * earlier release of this line shipped there, not merely a passing state of the branch (a commit reverted before
     * the tag is no release). Tags are read peeled to their commits; at most {@code MAX_TAGS} of them are tried.
     */
    public boolean heldByEarlierRelease(String blobId, String path) {
        String baseline = tree.commit();
        int tried = 0;
        for (org.eclipse.jgit.lib.ObjectId tag : new java.util.LinkedHashSet<>(repo.tags().values())) {
            if (tried++ >= MAX_TAGS) {
                return false;
            }
            try {
                String commit = tag.name();
                if (!repo.blobAt(repo.treeOf(commit), path).filter(blobId::equals).isPresent()) {
                    continue;
                }
                if (commit.equals(baseline) || repo.isAncestor(commit, baseline)) {
                    return true;
                }
            } catch (IOException | RuntimeException e) {
                // a tag of a tree or blob, or an unreadable commit: no release of this line
            }
        }
        return false;
    }

    private static final int MAX_TAGS = 2000;

    /** At most {@code maxVersions} past contents of a path this commit's ancestors held, each at most {@code max} bytes. */
    public List<byte[]> pastContents(String path, int maxVersions, long max) {
        List<byte[]> out = new ArrayList<>();
        for (String blob : repo.index().blobsAt(path, maxVersions)) {
            if (!heldBefore(blob)) {
                continue; // a side branch's version is not this release line's history
            }
            try {
                readBlob(blob, max).ifPresent(out::add);
            } catch (IOException e) {
                // an unreadable past version answers nothing; the rule keeps the difference visible
            }
        }
        return out;
    }
}
