package dev.divergence.archive;

import dev.divergence.model.ArtifactFile;
import java.io.IOException;
import java.io.InputStream;

/** Receives the entries of an archive in order; readers call it, listings and extractions implement it. */
interface EntryVisitor {

    /** A regular file; {@code content} must be consumed (or abandoned) before returning. */
    void file(String rawName, int mode, InputStream content, long declaredSize) throws IOException;

    /**
     * As {@link #file(String, int, InputStream, long)}, for formats that know the entry's compressed size (zip): the
     * per-entry compression-ratio limit is sized by it. Abandoning {@code content} is allowed.
     */
    default void file(String rawName, int mode, InputStream content, long declaredSize, long compressedSize)
            throws IOException {
        file(rawName, mode, content, declaredSize);
    }

    /** A link or special entry: recorded, never followed. */
    void special(String rawName, int mode, ArtifactFile.EntryType type, String target) throws IOException;

    /**
     * Whether the content of this regular file is wanted at all: a visitor that extracts a few entries says no
     * to the rest, and zip readers then never open (inflate) them.
     */
    default boolean wants(String rawName) {
        return true;
    }

    /** A flag for the next entry named {@code rawName}, found by the reader before it visits that entry. */
    default void flag(String rawName, dev.divergence.model.RiskFlag flag) {
    }

    /** Entries this visitor will take: readers that parse a whole index first refuse a larger one up front. */
    default long maxEntries() {
        return Long.MAX_VALUE - 1;
    }

    /** Something wrong with the archive as a whole that did not stop the reading. */
    default void warning(String message) {
    }
}
