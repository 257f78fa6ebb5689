package dev.divergence.model;

import java.util.Optional;
import java.util.Set;

/**
 * One file on either side of an artifact/source comparison.
 *
 * @param artifactFilename the published file this row belongs to
 * @param artifactPath path inside the artifact (empty for SOURCE_ONLY)
 * @param sourcePath the aligned path in the repository (empty when the file maps nowhere)
 * @param ruleId the rule that produced the status (e.g. {@code pypi.sdist.pkg-info}, {@code compare.blob-equal})
 * @param riskFlags flags of the file; only those of unexplained files count toward HIGH_RISK
 * @param highRisk whether this file alone makes the artifact HIGH_RISK
 */
public record FileDivergence(
        String artifactFilename,
        Optional<String> artifactPath,
        Optional<String> sourcePath,
        FileStatus status,
        String ruleId,
        Optional<String> artifactSha256,
        Optional<String> sourceSha256,
        Optional<String> artifactBlobId,
        Optional<String> sourceBlobId,
        long artifactSize,
        long sourceSize,
        Set<RiskFlag> riskFlags,
        boolean highRisk,
        Optional<String> detail) {

    public FileDivergence {
        riskFlags = Flags.of(riskFlags);
    }

    /** The path a reader knows this file by: the artifact's, else the source's. */
    public String displayPath() {
        return artifactPath.or(() -> sourcePath).orElse("");
    }
}
