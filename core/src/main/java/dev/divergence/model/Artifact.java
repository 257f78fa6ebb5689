package dev.divergence.model;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One published file of a release, as the registry describes it.
 *
 * @param digests registry-recorded digests, algorithm name (lowercase, e.g. {@code sha256}) to lowercase hex
 */
public record Artifact(
        String filename,
        String url,
        ArtifactKind kind,
        long size,
        Map<String, String> digests,
        Optional<Instant> uploaded,
        boolean yanked) {

    public Artifact {
        digests = Map.copyOf(digests);
    }

    public Optional<String> sha256() {
        return Optional.ofNullable(digests.get("sha256"));
    }
}
