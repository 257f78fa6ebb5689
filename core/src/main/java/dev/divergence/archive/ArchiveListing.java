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
 */
public record ArchiveListing(String format, List<ArtifactFile> files, Optional<String> error, List<String> warnings) {

    public ArchiveListing {
        files = List.copyOf(files);
        warnings = List.copyOf(warnings);
    }

    public ArchiveListing(String format, List<ArtifactFile> files, Optional<String> error) {
        this(format, files, error, List.of());
    }

    public boolean complete() {
        return error.isEmpty();
    }
}
