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
 * @param registryManifest what the registry itself says installing this file means, as JSON text, when it says it
 *     apart from the file (npm: the packument's version document — dependencies, install scripts, bin, main,
 *     exports — which {@code npm install} obeys instead of the tarball's package.json)
 */
public record Artifact(
        String filename,
        String url,
        ArtifactKind kind,
        long size,
        Map<String, String> digests,
        Optional<Instant> uploaded,
        boolean yanked,
        Map<String, String> digestUrls,
        Optional<String> registryManifest) {

    public Artifact {
        digests = Map.copyOf(digests);
        digestUrls = Map.copyOf(digestUrls);
    }

    public Artifact(String filename, String url, ArtifactKind kind, long size, Map<String, String> digests,
                    Optional<Instant> uploaded, boolean yanked, Map<String, String> digestUrls) {
        this(filename, url, kind, size, digests, uploaded, yanked, digestUrls, Optional.empty());
    }

    public Artifact(String filename, String url, ArtifactKind kind, long size, Map<String, String> digests,
                    Optional<Instant> uploaded, boolean yanked) {
        this(filename, url, kind, size, digests, uploaded, yanked, Map.of());
    }

    public Optional<String> sha256() {
        return Optional.ofNullable(digests.get("sha256"));
    }
}
