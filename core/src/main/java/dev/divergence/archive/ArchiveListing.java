package dev.divergence.archive;

import dev.divergence.model.ArtifactFile;
import java.util.List;
import java.util.Optional;

/**
 * Every entry read from one archive, plus why reading stopped early, if it did.
 *
 * @param format what the bytes turned out to be ("zip", "tar+gzip", ...), whatever the file name says
 * @param error set when the archive could not be read to its end (corrupt, truncated, a limit hit); the
 *     entries read before that point are still listed
 * @param warnings problems of the archive as a whole that did not stop the reading
 * @param retained the bytes of small entries, kept from the single reading pass, by SHA-256 of the content
 * @param limited a resource limit refused part of the archive: reading stopped ({@code error} says why) or an
 *     entry's content was left unread ({@code LIMIT_EXCEEDED}). Padding a release until the reader gives up is the
 *     publisher's doing, not a failure to tell: such an artifact is at least DIVERGENT.
 */
public record ArchiveListing(String format, List<ArtifactFile> files, Optional<String> error, List<String> warnings,
                             java.util.Map<String, byte[]> retained, boolean limited) {

    public ArchiveListing {
        files = List.copyOf(files);
        warnings = List.copyOf(warnings);
        retained = java.util.Map.copyOf(retained);
    }

    public ArchiveListing(String format, List<ArtifactFile> files, Optional<String> error) {
        this(format, files, error, List.of(), java.util.Map.of(), false);
    }

    public ArchiveListing(String format, List<ArtifactFile> files, Optional<String> error, List<String> warnings,
                          java.util.Map<String, byte[]> retained) {
        this(format, files, error, warnings, retained, false);
    }

    /**
     * The bytes of the named paths as an extractor leaves them: the LAST copy of a duplicated path (Python's
     * tarfile/zipfile and npm's tar write every copy in order). From what the reading pass kept, else by reading
     * the archive again.
     */
    public java.util.Map<String, byte[]> contents(java.nio.file.Path archive, java.util.Set<String> paths, long maxEach) {
        java.util.Map<String, ArtifactFile> last = new java.util.HashMap<>();
        for (ArtifactFile f : files) {
            if (f.type() == ArtifactFile.EntryType.FILE && paths.contains(f.path())) {
                last.put(f.path(), f);
            }
        }
        java.util.Map<String, byte[]> bySha = contentsOf(archive, last.values(), maxEach);
        java.util.Map<String, byte[]> out = new java.util.HashMap<>();
        last.forEach((p, f) -> {
            byte[] b = bySha.get(f.sha256());
            if (b != null) {
                out.put(p, b);
            }
        });
        return out;
    }

    /**
     * The bytes of the given entries, keyed by their SHA-256: every copy of a duplicated path is addressed by its
     * own content. From what the reading pass kept, else by reading the archive again; entries larger than
     * {@code maxEach} are left out.
     */
    public java.util.Map<String, byte[]> contentsOf(java.nio.file.Path archive, java.util.Collection<ArtifactFile> entries,
                                                    long maxEach) {
        java.util.Map<String, byte[]> out = new java.util.HashMap<>();
        java.util.Map<String, java.util.Set<String>> missing = new java.util.HashMap<>();
        for (ArtifactFile f : entries) {
            byte[] b = retained.get(f.sha256());
            if (b != null) {
                out.put(f.sha256(), b);
            } else if (f.size() <= maxEach) {
                missing.computeIfAbsent(f.path(), k -> new java.util.HashSet<>()).add(f.sha256());
            }
        }
        if (!missing.isEmpty()) {
            out.putAll(ArchiveReaders.extractContents(archive, missing, maxEach));
        }
        return out;
    }

    public boolean complete() {
        return error.isEmpty();
    }
}
