package dev.divergence.model;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One published file of a release, as the registry describes it.
 *
 * @param digests registry-recorded digests, algorithm name (lowercase: {@code sha256}, {@code sha512}, {@code sha1},
 *     {@code md5}) to lowercase hex
 * @param digestUrls where a digest is published as a file of its own (Maven's {@code .sha1}), fetched on download
 */
public record Artifact(
        String filename,
        String url,
        ArtifactKind kind,
        long size,
        Map<String, String> digests,
        Optional<Instant> uploaded,
        boolean yanked,
        Map<String, String> digestUrls) {

    public Artifact {
        digests = Map.copyOf(digests);
        digestUrls = Map.copyOf(digestUrls);
    }

    public Artifact(String filename, String url, ArtifactKind kind, long size, Map<String, String> digests,
                    Optional<Instant> uploaded, boolean yanked) {
        this(filename, url, kind, size, digests, uploaded, yanked, Map.of());
    }

    public Optional<String> sha256() {
        return Optional.ofNullable(digests.get("sha256"));
    }
}
