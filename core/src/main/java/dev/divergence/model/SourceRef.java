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
 */
public record SourceRef(
        Optional<String> commit,
        RefMethod method,
        Optional<String> tag,
        List<String> candidates,
        Optional<Boolean> agreement,
        Optional<String> manifestVersion,
        Optional<String> note) {

    public SourceRef {
        candidates = List.copyOf(candidates);
    }

    /** The same ref with {@code more} appended to its note. */
    public SourceRef withNote(String more) {
        return new SourceRef(commit, method, tag, candidates, agreement, manifestVersion,
                Optional.of(note.map(n -> n + "; " + more).orElse(more)));
    }

    public static SourceRef none(String reason) {
        return new SourceRef(Optional.empty(), RefMethod.NONE, Optional.empty(), List.of(), Optional.empty(),
                Optional.empty(), Optional.of(reason));
    }
}
