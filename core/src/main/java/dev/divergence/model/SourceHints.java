package dev.divergence.model;

import java.util.List;
import java.util.Optional;

/**
 * What the registry says about where a release came from.
 *
 * @param repositoryUrls candidate repository URLs, best first (project URLs, homepage, repository field)
 * @param recordedCommit a commit the registry recorded (npm gitHead, attestation), when any
 * @param directory a sub-directory of a monorepo, when the registry names one
 */
public record SourceHints(List<String> repositoryUrls, Optional<String> recordedCommit, Optional<String> directory) {

    public SourceHints {
        repositoryUrls = List.copyOf(repositoryUrls);
    }

    public static SourceHints none() {
        return new SourceHints(List.of(), Optional.empty(), Optional.empty());
    }
}
