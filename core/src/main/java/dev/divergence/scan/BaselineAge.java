package dev.divergence.scan;

import dev.divergence.model.RefMethod;
import dev.divergence.model.Release;
import dev.divergence.model.SourceRef;
import dev.divergence.source.SourceRepository;
import dev.divergence.source.TagMatcher;
import dev.divergence.source.VersionSpelling;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;

/**
 * A roll-back: a version whose baseline — chosen by blob overlap, a gitHead or an attestation, i.e. not by its own
 * tag — is older code than a release with a lower version already had. A stolen token can publish an old, vulnerable
 * release's code under a new number; each file then matches a trusted commit. The finding makes the version at
 * least DIVERGENT. A maintenance release (1.2.5 after 2.0.0) is not one: its baseline descends from the lower
 * versions' tags on its branch, not the other way round.
 *
 * <p>A previous release is a lower version whose tagged commit was made before this version was published.
 * Earlier releases are known by their tags here (a tag spelling a lower version of this package): the scan of one
 * version does not see the baselines other versions were given.
 */
final class BaselineAge {

    /** Tags of lower versions whose ancestry is checked, highest versions first. */
    static final int CHECKED_TAGS = 5;

    private BaselineAge() {
    }

    /** The finding, when the baseline is a strict ancestor of a lower version's tagged commit. */
    /**
     * @param versionTime the build time the version names (Maven 1's {@code 20041127.091804}), read as its publication
     *     time when the registry gives none: such a version sorts above every release, made before or after it
     */
    static Optional<String> rollBack(Release release, SourceRepository repo, SourceRef ref,
                                     Optional<java.time.Instant> versionTime) throws IOException {
        // A manifest-history commit declares this very version in trusted history: no publisher chose it.
        if (ref.commit().isEmpty() || ref.method() == RefMethod.TAG || ref.method() == RefMethod.NONE
                || ref.method() == RefMethod.MANIFEST_HISTORY) {
            return Optional.empty();
        }
        String commit = ref.commit().get();
        TagMatcher.Index index = repo.tagIndex(release.pkg().name());
        record Earlier(String tag, String version, String commit) {
        }
        Comparator<String> order = dev.divergence.source.VersionOrder.of(release.pkg().ecosystem());
        List<Earlier> lower = new ArrayList<>();
        for (Map.Entry<String, ObjectId> t : repo.tags().entrySet()) {
            spelled(index, t.getKey()).filter(v -> order.compare(v, release.version()) < 0)
                    .ifPresent(v -> lower.add(new Earlier(t.getKey(), v, t.getValue().name())));
        }
        // A previous release existed when this one was published: a lower version tagged later (2.9.0 after its
        // pre-release 2.9.0.pr1, which Maven's order puts above it) is no release this one could roll back from.
        long published = release.published().or(() -> versionTime).map(java.time.Instant::getEpochSecond)
                .orElse(Long.MAX_VALUE);
        lower.removeIf(e -> repo.index().commitTime(e.commit()).orElse(Long.MIN_VALUE) > published);
        lower.sort(Comparator.comparing(Earlier::version, order).reversed());
        for (Earlier e : lower.subList(0, Math.min(CHECKED_TAGS, lower.size()))) {
            if (!e.commit().equals(commit) && repo.isAncestor(commit, e.commit())) {
                return Optional.of("baseline older than a previous release: " + SourceLocator.shortId(commit)
                        + " (" + ref.method() + ") is an ancestor of " + e.tag() + " (" + SourceLocator.shortId(e.commit())
                        + "), which " + e.version() + " was released from: this version rolls back to older code");
            }
        }
        return Optional.empty();
    }

    /** The version a tag spells for this package: the first tail starting with a digit that the index matches. */
    static Optional<String> spelled(TagMatcher.Index index, String tag) {
        for (int i = 0; i < tag.length(); i++) {
            if (Character.isDigit(tag.charAt(i)) && (i == 0 || !Character.isLetterOrDigit(tag.charAt(i - 1))
                    || tag.charAt(i - 1) == 'v' || tag.charAt(i - 1) == 'V')) {
                String v = TagMatcher.dotted(tag.substring(i)); // POOL_2_2 spells 2.2
                if (VersionSpelling.parse(v).isPresent()
                        && index.match(v).stream().anyMatch(x -> x.tag().equals(tag))) {
                    return Optional.of(v);
                }
            }
        }
        return Optional.empty();
    }
}
