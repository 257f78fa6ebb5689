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
        long scanMillis,
        java.util.Map<String, Long> stageNanos) {

    public ReleaseReport {
        artifacts = List.copyOf(artifacts);
        stageNanos = java.util.Map.copyOf(stageNanos);
    }

    /** Stages timed per version, for the benchmark's breakdown. */
    public static final List<String> STAGES = List.of("fetch", "read", "open", "locate", "classify");
}
