package dev.divergence.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome for one published file.
 *
 * @param sha256 SHA-256 of the bytes downloaded (empty when nothing was downloaded)
 * @param statusCounts number of files per status
 * @param reason why the verdict is what it is, in a sentence (error text, "no commit", files that diverge)
 */
public record ArtifactReport(
        Artifact artifact,
        DigestStatus digestStatus,
        Optional<String> sha256,
        long fileCount,
        Map<FileStatus, Integer> statusCounts,
        List<String> divergentPaths,
        List<String> highRiskPaths,
        Verdict verdict,
        Optional<String> reason,
        List<FileDivergence> files) {

    public ArtifactReport {
        statusCounts = Map.copyOf(statusCounts);
        divergentPaths = List.copyOf(divergentPaths);
        highRiskPaths = List.copyOf(highRiskPaths);
        files = List.copyOf(files);
    }
}
