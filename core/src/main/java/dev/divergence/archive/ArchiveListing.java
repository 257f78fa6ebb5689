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
 * @param retained the bytes of small entries, kept from the single reading pass
 */
public record ArchiveListing(String format, List<ArtifactFile> files, Optional<String> error, List<String> warnings,
                             java.util.Map<String, byte[]> retained) {

    public ArchiveListing {
        files = List.copyOf(files);
        warnings = List.copyOf(warnings);
        retained = java.util.Map.copyOf(retained);
    }

    public ArchiveListing(String format, List<ArtifactFile> files, Optional<String> error) {
        this(format, files, error, List.of(), java.util.Map.of());
    }

    /**
     * The bytes of the named entries: from what the reading pass kept (small entries), else by reading the
     * archive again for the rest.
     */
    public java.util.Map<String, byte[]> contents(java.nio.file.Path archive, java.util.Set<String> paths, long maxEach) {
        java.util.Map<String, byte[]> out = new java.util.HashMap<>();
        java.util.Set<String> missing = new java.util.LinkedHashSet<>();
        for (String p : paths) {
            byte[] b = retained.get(p);
            if (b != null) {
                out.put(p, b);
            } else {
                missing.add(p);
            }
        }
        if (!missing.isEmpty()) {
            out.putAll(ArchiveReaders.extract(archive, missing, maxEach));
        }
        return out;
    }

    public boolean complete() {
        return error.isEmpty();
    }
}
