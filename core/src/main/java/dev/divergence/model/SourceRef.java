package dev.divergence.model;

import java.util.List;
import java.util.Optional;

/**
 * The commit a release is compared against, and the evidence for it.
 *
 * @param commit the chosen commit id, empty when none was found
 * @param method the signal that chose it
 * @param tag the matching tag name, when a tag matched (also recorded when another signal won)
 * @param candidates every candidate considered, "method:ref=commit[:score]" strings, best first
 * @param agreement whether the independent signals that could be checked agree (tag vs manifest version,
 *     tag vs best overlap); empty when only one signal was available
 * @param manifestVersion the version the manifest declares at the chosen commit, when readable
 * @param note a human-readable reason when something is off (no tag, disagreement, no repository)
 * @param repositoryOlder no attestation, registry commit or tag names a commit, and the repository's newest commit
 *     is older than the release (by more than a day, or than the build time a Maven 1 timestamp version names;
 *     without either: the version is higher than every
 *     tagged version and than the version the newest commit declares): the release's commit is probably missing
 *     from the copy
 * @param baselineBranch when no tag chose the commit and only side branches hold it (neither the default branch
 *     nor any tag reaches it): the first such branch. Code nobody merged or tagged is not a baseline to trust.
 */
public record SourceRef(
        Optional<String> commit,
        RefMethod method,
        Optional<String> tag,
        List<String> candidates,
        Optional<Boolean> agreement,
        Optional<String> manifestVersion,
        Optional<String> note,
        boolean repositoryOlder,
        Optional<String> baselineBranch) {

    public SourceRef {
        candidates = List.copyOf(candidates);
    }

    public SourceRef(Optional<String> commit, RefMethod method, Optional<String> tag, List<String> candidates,
                     Optional<Boolean> agreement, Optional<String> manifestVersion, Optional<String> note) {
        this(commit, method, tag, candidates, agreement, manifestVersion, note, false, Optional.empty());
    }

    /** The same ref with {@code more} appended to its note. */
    public SourceRef withNote(String more) {
        return new SourceRef(commit, method, tag, candidates, agreement, manifestVersion,
                Optional.of(note.map(n -> n + "; " + more).orElse(more)), repositoryOlder, baselineBranch);
    }

    public static SourceRef none(String reason) {
        return new SourceRef(Optional.empty(), RefMethod.NONE, Optional.empty(), List.of(), Optional.empty(),
                Optional.empty(), Optional.of(reason));
    }
}
