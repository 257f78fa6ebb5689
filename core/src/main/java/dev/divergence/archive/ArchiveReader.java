package dev.divergence.archive;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Walks every entry of one archive format without extracting anything to disk. Adding a format is one
 * implementation registered in {@link ArchiveReaders}; hashing, limits and extraction are shared.
 */
interface ArchiveReader {

    /** Whether the first bytes of a file identify this format. */
    boolean recognizes(byte[] head);

    /** A short name of the format the head shows ("zip", "tar+gzip"). */
    String format(byte[] head);

    /** Visits the entries in archive order; malformed content surfaces as an exception from here. */
    void walk(Path archive, EntryVisitor visitor) throws IOException;
}
