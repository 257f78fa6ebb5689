package dev.divergence.model;

import java.util.Set;

/**
 * One entry of a published archive, hashed while streaming.
 *
 * @param path normalised path inside the archive (forward slashes, no leading "./")
 * @param rawName the name exactly as stored, kept when it differs from {@code path} (traversal, absolute, odd bytes)
 * @param mode Unix mode bits when the format records them, else 0
 * @param size bytes actually read
 * @param sha256 lowercase hex SHA-256 of the content
 * @param gitBlobId lowercase hex git blob id of the content (SHA-1 of "blob SIZE\0" + content)
 * @param flags what is suspicious about the entry itself or its content
 * @param type regular file, or a link/device that was recorded and not followed
 */
public record ArtifactFile(
        String path,
        String rawName,
        int mode,
        long size,
        String sha256,
        String gitBlobId,
        EntryType type,
        Set<RiskFlag> flags) {

    public ArtifactFile {
        flags = Flags.of(flags);
    }

    public enum EntryType { FILE, SYMLINK, HARDLINK, DEVICE, OTHER }
}
