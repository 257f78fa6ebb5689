package dev.divergence.model;

import java.util.List;
import java.util.Optional;

/** The outcome for one version: where its source is, each artifact, and the version verdict. */
public record ReleaseReport(
        Release release,
        Optional<String> repository,
        SourceRef ref,
        List<ArtifactReport> artifacts,
        Verdict verdict,
        Optional<String> reason,
        long scanMillis) {

    public ReleaseReport {
        artifacts = List.copyOf(artifacts);
    }
}
