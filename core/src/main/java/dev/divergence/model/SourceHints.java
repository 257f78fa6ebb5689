package dev.divergence.model;

import java.util.List;
import java.util.Optional;

/**
 * What the registry says about where a release came from. Each is a locator signal and a cross-check,
 * never a verdict: malware has shipped with valid provenance.
 *
 * @param repositoryUrls candidate repository URLs, best first (project URLs, repository field, POM scm)
 * @param recordedCommit a commit the registry recorded (npm {@code gitHead})
 * @param directory a sub-directory of a monorepo, when the registry names one (npm {@code repository.directory})
 * @param attestedCommit the commit a provenance attestation names (npm provenance, PEP 740)
 * @param recordedTag a tag the package metadata names (Maven POM {@code <scm><tag>})
 * @param publishedVersion the version the published manifest itself declares, when the registry lists the
 *     release under another spelling (commons-validator 1.0's POM says {@code 1.0-dev}): a tag whose manifest
 *     declares that same version agrees with what was published
 */
public record SourceHints(List<String> repositoryUrls, Optional<String> recordedCommit, Optional<String> directory,
                          Optional<String> attestedCommit, Optional<String> recordedTag,
                          Optional<String> publishedVersion) {

    public SourceHints {
        repositoryUrls = List.copyOf(repositoryUrls);
    }

    public SourceHints(List<String> repositoryUrls, Optional<String> recordedCommit, Optional<String> directory,
                       Optional<String> attestedCommit, Optional<String> recordedTag) {
        this(repositoryUrls, recordedCommit, directory, attestedCommit, recordedTag, Optional.empty());
    }

    public SourceHints(List<String> repositoryUrls, Optional<String> recordedCommit, Optional<String> directory) {
        this(repositoryUrls, recordedCommit, directory, Optional.empty(), Optional.empty());
    }

    public static SourceHints none() {
        return new SourceHints(List.of(), Optional.empty(), Optional.empty());
    }
}
