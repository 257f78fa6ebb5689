package dev.divergence.scan;

import dev.divergence.model.RefMethod;
import dev.divergence.model.Release;
import dev.divergence.model.SourceRef;
import dev.divergence.registry.Locator;
import dev.divergence.source.BlobIndex;
import dev.divergence.source.SourceRepository;
import dev.divergence.source.SourceTree;
import dev.divergence.source.TagMatcher;
import dev.divergence.source.VersionSpelling;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Ties a version to a commit with ranked signals (registry-recorded commit, then tag, then best blob overlap
 * over every commit of every ref), records every candidate, and says whether the signals agree:
 * a tag whose commit's manifest declares another version, or a commit holding more of the artifact's files
 * than the tag's commit, is a disagreement worth a look.
 */
public final class SourceLocator {

    private final Locator locator;

    public SourceLocator(Locator locator) {
        this.locator = locator;
    }

    public SourceRef locate(Release release, SourceRepository repo, Set<String> artifactBlobs) throws IOException {
        List<String> candidates = new ArrayList<>();
        BlobIndex index = repo.index();
        List<BlobIndex.Overlap> overlap = artifactBlobs.isEmpty() ? List.of() : index.bestOverlap(artifactBlobs,
                release.published().map(java.time.Instant::getEpochSecond).orElse(Long.MAX_VALUE), 3);
        int total = artifactBlobs.size();

        Optional<String> recorded = release.hints().recordedCommit().flatMap(repo::resolveCommit);
        recorded.ifPresent(c -> candidates.add("registry:" + c));

        List<TagMatcher.TagMatch> tags = TagMatcher.match(release.version(), release.pkg().name(), repo.tags().keySet());
        Set<String> tagCommits = new LinkedHashSet<>();
        for (TagMatcher.TagMatch t : tags) {
            String c = repo.tags().get(t.tag()).name();
            tagCommits.add(c);
            candidates.add("tag:" + t.tag() + "=" + c);
        }
        for (BlobIndex.Overlap o : overlap) {
            candidates.add("overlap:" + o.commit().name() + ":" + o.score() + "/" + total);
        }
        Optional<String> tag = tags.isEmpty() ? Optional.empty() : Optional.of(tags.get(0).tag());
        Optional<String> tagCommit = tag.map(t -> repo.tags().get(t).name());

        if (recorded.isPresent()) {
            List<String> notes = new ArrayList<>();
            Optional<Boolean> agree = Optional.empty();
            if (tagCommit.isPresent()) {
                agree = Optional.of(tagCommit.get().equals(recorded.get()));
                if (!agree.get()) {
                    notes.add("registry-recorded commit " + shortId(recorded.get()) + " differs from tag " + tag.get()
                            + " at " + shortId(tagCommit.get()));
                }
            }
            return finish(repo, release, recorded.get(), RefMethod.REGISTRY_COMMIT, tag, candidates, agree, notes);
        }
        if (tagCommit.isPresent()) {
            List<String> notes = new ArrayList<>();
            boolean agree = true;
            if (tagCommits.size() > 1) {
                agree = false;
                notes.add(tags.size() + " tags spell this version on " + tagCommits.size() + " different commits");
            }
            if (!overlap.isEmpty()) {
                int tagScore = index.score(ObjectId.fromString(tagCommit.get()), artifactBlobs);
                BlobIndex.Overlap best = overlap.get(0);
                if (best.score() > tagScore) {
                    agree = false;
                    notes.add("commit " + shortId(best.commit().name()) + " holds more of the artifact's files ("
                            + best.score() + "/" + total + ") than tag " + tag.get() + " (" + tagScore + "/" + total + ")");
                }
            }
            return finish(repo, release, tagCommit.get(), RefMethod.TAG, tag, candidates, Optional.of(agree), notes);
        }
        if (!overlap.isEmpty()) {
            BlobIndex.Overlap best = overlap.get(0);
            List<String> notes = new ArrayList<>();
            notes.add("no tag names this version; closest commit by blob overlap holds " + best.score() + " of "
                    + total + " artifact files");
            return finish(repo, release, best.commit().name(), RefMethod.BLOB_OVERLAP, Optional.empty(), candidates,
                    Optional.empty(), notes);
        }
        return new SourceRef(Optional.empty(), RefMethod.NONE, Optional.empty(), candidates, Optional.empty(),
                Optional.empty(), Optional.of(index.commitCount() == 0 ? "repository has no commits"
                : "no tag names this version and no commit shares a file with its artifacts"));
    }

    private SourceRef finish(SourceRepository repo, Release release, String commit, RefMethod method,
                             Optional<String> tag, List<String> candidates, Optional<Boolean> agreement,
                             List<String> notes) throws IOException {
        SourceTree tree = repo.tree(commit);
        Optional<String> declared = locator.declaredVersion(repo, tree, release.pkg().name());
        Optional<Boolean> agree = agreement;
        if (declared.isPresent() && method != RefMethod.BLOB_OVERLAP) {
            boolean same = VersionSpelling.same(declared.get(), release.version());
            agree = Optional.of(agree.orElse(true) && same);
            if (!same) {
                notes.add("manifest at " + shortId(commit) + " declares " + declared.get());
            }
        }
        return new SourceRef(Optional.of(commit), method, tag, candidates, agree, declared,
                notes.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", notes)));
    }

    static String shortId(String commit) {
        return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }
}
