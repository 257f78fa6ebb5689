package dev.divergence.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One published version of a package with all its files. */
public record Release(
        PackageId pkg,
        String version,
        List<Artifact> artifacts,
        Optional<Instant> published,
        boolean yanked,
        Optional<String> yankedReason,
        SourceHints hints) {

    public Release {
        artifacts = List.copyOf(artifacts);
    }
}
