package dev.divergence.compare;

import dev.divergence.source.SourceTree;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a published file is compared with: the files of the commit its release was built from ({@link CommitReference},
 * fetch mode), or the file rebuilt from that commit, read through the same archive readers
 * ({@code rebuild.RebuiltArtifact}, rebuild mode). Rows name the reference side {@code source_*} either way, and say
 * which reference it was ({@code mode}). Entries are {@link SourceTree.SourceFile}s: a path, a Git blob id (the
 * archive readers compute one per entry), a mode.
 */
public interface Reference {

    /** Which reference: the {@code mode} column of every row. */
    enum Mode {
        FETCH, REBUILD;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    Mode mode();

    /** What the reference is, in words ({@code commit 965109705c52}). */
    String describe();

    /** Every entry, by path. */
    Map<String, SourceTree.SourceFile> files();

    default Optional<SourceTree.SourceFile> get(String path) {
        return Optional.ofNullable(files().get(path));
    }

    /** An entry whose path differs only by case. */
    Optional<SourceTree.SourceFile> getIgnoreCase(String path);

    /** An entry with this content, at any path. */
    Optional<SourceTree.SourceFile> findBlob(String blobId);

    /** Every entry with this content, by path (default: the one {@link #findBlob} finds). */
    default List<SourceTree.SourceFile> findBlobs(String blobId) {
        return findBlob(blobId).stream().toList();
    }

    /** The entry's bytes when it holds at most {@code max} bytes, else empty. */
    Optional<byte[]> read(SourceTree.SourceFile entry, long max) throws IOException;

    String sha256(SourceTree.SourceFile entry) throws IOException;

    long size(SourceTree.SourceFile entry) throws IOException;

    /**
     * Whether this content is anywhere in the reference's history: another commit of the repository for a commit; a
     * rebuilt file has no history (false).
     */
    boolean inHistory(String blobId);
}
