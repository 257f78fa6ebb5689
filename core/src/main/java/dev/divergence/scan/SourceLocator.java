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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Ties a version to a commit with ranked signals — attested commit, registry-recorded commit (npm gitHead),
 * tag (including a tag the metadata names, Maven's {@code <scm><tag>}) whose manifest does not declare another
 * version, the commit where the manifest first declares the version, and the best blob overlap over every commit
 * of the repository's branches and tags (never a pull-request or other untrusted ref) — records every candidate,
 * and says whether the signals agree. A disagreement (an attested commit that is not the tag's, a tag whose
 * manifest declares another version, a commit holding more of the artifact than the tag's) is a finding. An
 * attestation (not verified) or a registry-recorded commit is the publisher's claim: when a tag spells the version
 * on another commit, the tag is the baseline and the claim a recorded disagreement.
 */
public final class SourceLocator {

    private static final String EMPTY_BLOB = org.eclipse.jgit.lib.Constants.EMPTY_BLOB_ID.name();
    private final Locator locator;
    /** Reads what a manifest makes run on install (for the revert check); empty: code files only. */
    private final Optional<dev.divergence.registry.GeneratedFiles> generated;

    public SourceLocator(Locator locator) {
        this(locator, Optional.empty());
    }

    public SourceLocator(Locator locator, Optional<dev.divergence.registry.GeneratedFiles> generated) {
        this.locator = locator;
        this.generated = generated;
    }

    public SourceRef locate(Release release, SourceRepository repo, Set<String> artifactBlobs) throws IOException {
        return locate(release, repo, artifactBlobs, Set::of);
    }

    /**
     * @param lineEndingBlobs the git blob ids the artifacts' text entries with CRLF line endings would have with LF
     *     (what {@code compare.line-endings} forgives): read only when the raw overlap cannot decide, since it costs a
     *     second pass over the archives. A sources jar built on Windows matches no blob byte for byte.
     */
    public SourceRef locate(Release release, SourceRepository repo, Set<String> artifactBlobs,
                            java.util.function.Supplier<Set<String>> lineEndingBlobs) throws IOException {
        java.util.function.Supplier<Set<String>> lfBlobs = memoize(lineEndingBlobs, artifactBlobs);
        List<String> candidates = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        BlobIndex index = repo.index();
        // Without a publication time, a version naming its own build time (Maven 1's 20030623.125255) bounds the
        // commits the same way: it orders equally good candidates (the newest one made before it first) and says
        // whether the repository is older; it never makes content acceptable (the comparison still decides).
        Optional<Instant> versionTime = release.published().isPresent() ? Optional.empty()
                : locator.versionTime(release);
        long published = release.published().or(() -> versionTime).map(Instant::getEpochSecond).orElse(Long.MAX_VALUE);
        String publishedWord = versionTime.isPresent() ? "built (by its version)" : "published";
        int total = artifactBlobs.size();

        // Strongest first: the first present signal chooses; the others are recorded and cross-checked.
        Map<RefMethod, String> signals = new LinkedHashMap<>();
        boolean disagreement = false; // a signal that had to be set aside: never reported as agreement
        Optional<String> attested = resolve(repo, release.hints().attestedCommit(), "attested", notes, candidates);
        attested.ifPresent(c -> {
            signals.put(RefMethod.ATTESTATION, c);
            candidates.add("attestation:" + c);
        });
        Optional<String> recorded = resolve(repo, release.hints().recordedCommit(), "registry-recorded", notes,
                candidates);
        // A commit that exists but only outside branches and tags, or a revision that is not a commit id, is a
        // disagreement; a commit the repository lacks (never pushed, force-pushed away) stays a note, as before.
        disagreement |= setAside(repo, release.hints().attestedCommit()) || setAside(repo, release.hints().recordedCommit());
        recorded.ifPresent(c -> {
            signals.put(RefMethod.REGISTRY_COMMIT, c);
            candidates.add("registry:" + c);
        });

        List<String> tagNames = new ArrayList<>();
        release.hints().recordedTag().filter(t -> repo.tags().containsKey(t)).ifPresent(tagNames::add);
        for (TagMatcher.TagMatch t : repo.tagIndex(release.pkg().name()).match(release.version())) {
            if (!tagNames.contains(t.tag())) {
                tagNames.add(t.tag());
            }
        }
        Set<String> tagCommits = new LinkedHashSet<>();
        for (String t : tagNames) {
            String c = repo.tags().get(t).name();
            tagCommits.add(c);
            candidates.add("tag:" + t + "=" + c);
        }
        // A tag (or the POM's <scm><tag>) whose commit's manifest declares another version is a disagreement,
        // not a match: anyone who can push a tag can name it after any version.
        Optional<String> tag = Optional.empty();
        for (String t : tagNames) {
            String c = repo.tags().get(t).name();
            Optional<String> declaredAtTag = locator.declaredVersion(repo, repo.tree(c), release);
            Optional<String> otherProject = declaredAtTag.isPresent() ? Optional.empty()
                    : locator.otherProjectAt(repo, repo.tree(c), release);
            if (otherProject.isPresent()) {
                // A looser spelling (the repository's name, an artifactId without its digits) can name another
                // project's tag in a shared history: its manifest, not the release's, stands at that commit.
                disagreement = true;
                notes.add("tag " + t + " (" + shortId(c) + ") is not a match: its manifest is another project's ("
                        + otherProject.get() + ")");
                continue;
            }
            if (declaredAtTag.isPresent() && !VersionSpelling.same(declaredAtTag.get(), release.version())
                    && release.hints().publishedVersion().filter(declaredAtTag.get()::equals).isPresent()) {
                // The published manifest declares the very same (unreleased-looking) version as the tag's commit:
                // what was deployed is that commit's manifest (commons-validator 1.0: 1.0-dev in both).
                notes.add("tag " + t + " (" + shortId(c) + ") declares " + declaredAtTag.get()
                        + ", as the published manifest does");
            } else if (declaredAtTag.isPresent() && declaredAtTag.get().trim()
                    .equalsIgnoreCase(release.version().trim() + "-SNAPSHOT")) {
                // The tag stands on the version's own snapshot, the release's number set at deploy time (slf4j's
                // v_1.7.8 declares 1.7.8-SNAPSHOT): the same release line, compared as the tag's tree. The POM's
                // X-SNAPSHOT → X is then explained, and nothing else is.
                notes.add("tag " + t + " (" + shortId(c) + ") declares " + declaredAtTag.get()
                        + ", the version's own snapshot");
            } else if (declaredAtTag.isPresent() && !VersionSpelling.same(declaredAtTag.get(), release.version())) {
                // A stale manifest beside the build file that made the release (a Maven 1 project.xml left at 1.0-dev
                // while the Ant build.xml that built the jar declares 1.4.1) does not set the tag aside; set aside
                // only when no build file of the commit declares the version.
                Optional<String> declaring = locator.declaringBuildFile(repo, repo.tree(c), release);
                if (declaring.isEmpty()) {
                    disagreement = true;
                    notes.add("tag " + t + " (" + shortId(c) + ") is not a match: its manifest declares "
                            + declaredAtTag.get());
                    continue;
                }
                notes.add("tag " + t + " (" + shortId(c) + "): its manifest declares " + declaredAtTag.get() + ", its "
                        + declaring.get() + " declares the version");
            }
            tag = Optional.of(t);
            signals.put(RefMethod.TAG, c);
            break;
        }
        if (tag.isEmpty() && !tagNames.isEmpty()) {
            tag = Optional.of(tagNames.get(0)); // recorded, not used
        }
        if (tagCommits.size() > 1) {
            notes.add(tagNames.size() + " tags spell this version on " + tagCommits.size() + " different commits");
        }

        if (signals.isEmpty()) {
            manifestHistory(release, repo, artifactBlobs, lfBlobs, published, notes).ifPresent(c -> {
                signals.put(RefMethod.MANIFEST_HISTORY, c);
                candidates.add("manifest:" + c);
            });
        }
        // The search over every commit runs only when it can change the answer: no signal at all, or the
        // signalled commit lacks some artifact blob that exists somewhere in the history. A tagged release whose
        // commit holds every such blob (the usual case) costs one tree walk, not one per commit.
        List<BlobIndex.Overlap> overlap = List.of();
        boolean fullyHeld = false; // the signalled commit holds every artifact blob the history has: overlap agrees
        if (!artifactBlobs.isEmpty()) {
            boolean needed = signals.isEmpty();
            if (!needed) {
                String first = signals.getOrDefault(RefMethod.TAG, signals.values().iterator().next());
                long ceiling = artifactBlobs.stream().filter(b -> !b.equals(EMPTY_BLOB) && index.containsBlob(b)).count();
                needed = index.score(ObjectId.fromString(first), artifactBlobs) < ceiling;
                fullyHeld = !needed && ceiling > 0;
            }
            if (needed) {
                overlap = index.bestOverlap(artifactBlobs, published, 3);
                if (signals.isEmpty() && (overlap.isEmpty() || overlap.get(0).score() * 2 < total)
                        && !lfBlobs.get().isEmpty()) {
                    // Poor raw overlap and nothing else to go by: score with the LF forms of CRLF text files too.
                    Set<String> both = new LinkedHashSet<>(artifactBlobs);
                    both.addAll(lfBlobs.get());
                    List<BlobIndex.Overlap> normalised = index.bestOverlap(both, published, 3).stream()
                            .map(o -> new BlobIndex.Overlap(o.commit(), o.time(), Math.min(o.score(), total))).toList();
                    // At least two files: one shared licence text says nothing about where a release came from.
                    if (!normalised.isEmpty() && normalised.get(0).score() >= 2
                            && (overlap.isEmpty() || normalised.get(0).score() > overlap.get(0).score())) {
                        overlap = normalised;
                        notes.add("overlap scored after line-ending normalisation of " + lfBlobs.get().size()
                                + " CRLF text file(s)");
                    }
                }
            }
        }
        long untrustedOnly = artifactBlobs.stream().filter(b -> index.untrustedRefOf(b).isPresent()).count();
        if (untrustedOnly > 0) {
            notes.add(untrustedOnly + " artifact file(s) found only in refs that are not branches or tags (e.g. "
                    + artifactBlobs.stream().map(index::untrustedRefOf).flatMap(Optional::stream).findFirst()
                    .orElse("") + "): not a baseline");
        }
        for (BlobIndex.Overlap o : overlap) {
            candidates.add("overlap:" + o.commit().name() + ":" + o.score() + "/" + total);
        }
        if (signals.isEmpty() && !overlap.isEmpty()) {
            signals.put(RefMethod.BLOB_OVERLAP, overlap.get(0).commit().name());
        }
        if (signals.isEmpty()) {
            return new SourceRef(Optional.empty(), RefMethod.NONE, Optional.empty(), candidates, Optional.empty(),
                    Optional.empty(), Optional.of(index.commitCount() == 0 ? "repository has no commits"
                    : "no tag, no recorded commit and no commit sharing a file with the artifacts"), false,
                    Optional.empty());
        }

        Map.Entry<RefMethod, String> chosen = signals.entrySet().iterator().next();
        RefMethod method = chosen.getKey();
        String commit = chosen.getValue();
        boolean agree = tagCommits.size() <= 1 && !disagreement;
        int independent = signals.size();
        String tagged = signals.get(RefMethod.TAG);
        RefMethod claimMethod = method;
        String claim = commit;
        if (tagged != null && !tagged.equals(commit)
                && (method == RefMethod.ATTESTATION || method == RefMethod.REGISTRY_COMMIT)) {
            // An attestation we do not verify and a recorded gitHead are the publisher's claims: they never override
            // a tag that spells the version (a stolen token can write them; it cannot push the tag). Recorded.
            notes.add(label(method) + " " + shortId(commit) + " is the publisher's claim; compared with tag "
                    + tag.orElse("") + " " + shortId(tagged) + " instead");
            method = RefMethod.TAG;
            commit = tagged;
            agree = false;
        }
        for (Map.Entry<RefMethod, String> other : signals.entrySet()) {
            if (!other.getValue().equals(commit)) {
                agree = false;
                notes.add(label(method) + " " + shortId(commit) + " differs from " + label(other.getKey()) + " "
                        + shortId(other.getValue()) + (other.getKey() == RefMethod.TAG ? " (" + tag.orElse("") + ")" : ""));
            }
        }
        boolean repositoryOlder = false;
        if (method == RefMethod.BLOB_OVERLAP) {
            BlobIndex.Overlap best = overlap.get(0);
            notes.add(0, "no tag names this version; closest commit by blob overlap holds " + best.score() + " of "
                    + total + " artifact files" + versionTime.map(t -> " (among equals, the newest made before " + t
                    + ", the build time the version names)").orElse(""));
            if (published != Long.MAX_VALUE && published > index.newestCommitTime() + 86_400) {
                // Every candidate is older than the release: a fact a query can filter on, unless something was
                // set aside (a tag spelling the version, a commit only an untrusted ref holds): that stays suspect.
                repositoryOlder = tagNames.isEmpty() && !disagreement;
                // Not the same as "no tag": the release may simply be newer than the repository copy.
                notes.add(1, "repository snapshot is older than the release (newest commit "
                        + Instant.ofEpochSecond(index.newestCommitTime()) + ", " + publishedWord + " "
                        + Instant.ofEpochSecond(published) + ")");
            } else if (published == Long.MAX_VALUE && tagNames.isEmpty() && !disagreement) {
                // No publication time (a registry or proxy that sends none): the release order can tell instead.
                Optional<String> beyond = beyondRepository(release, repo);
                if (beyond.isPresent()) {
                    repositoryOlder = true;
                    notes.add(1, "repository snapshot is older than the release (no publication time; " + beyond.get()
                            + ")");
                }
            }
        } else if (!overlap.isEmpty()) {
            independent++;
            int chosenScore = index.score(ObjectId.fromString(commit), artifactBlobs);
            BlobIndex.Overlap best = overlap.get(0);
            if (best.score() > chosenScore) {
                agree = false;
                notes.add("commit " + shortId(best.commit().name()) + " holds more of the artifact's files ("
                        + best.score() + "/" + total + ") than " + label(method) + " " + shortId(commit) + " ("
                        + chosenScore + "/" + total + ")");
                // A tag one commit before (or after) the release happens; when another commit holds every
                // artifact file that exists anywhere in the history (generated files exist nowhere), that commit
                // is what was released: compare with it, keep the disagreement.
                long ceiling = artifactBlobs.stream().filter(b -> !b.equals(EMPTY_BLOB) && index.containsBlob(b))
                        .count();
                Optional<String> otherRelease = method == RefMethod.TAG
                        ? otherVersionsTag(repo, best.commit().name(), tagNames, commit, release.version())
                        : Optional.empty();
                if (otherRelease.isPresent()) {
                    // The artifact is another release's code (a roll-back to it): the version's own tag stays the
                    // baseline, so the difference is visible.
                    notes.add("the artifact's content is that of " + otherRelease.get() + " ("
                            + shortId(best.commit().name()) + "): kept tag " + tag.orElse(""));
                } else if (best.score() >= ceiling && (method == RefMethod.TAG || method == RefMethod.MANIFEST_HISTORY)) {
                    // Replaced only when the other commit explains more files once the differences the classifier
                    // forgives (line endings) are forgiven on both sides: otherwise the declared commit stays.
                    // CRLF in the artifact (a sources jar built on Windows) is forgiven through the LF blob ids,
                    // CRLF in the repository by reading the files where the two commits differ.
                    String other = best.commit().name();
                    int chosenNormalised = Math.min(total, chosenScore
                            + explainedAfterLineEndings(repo, commit, other, artifactBlobs)
                            + index.score(ObjectId.fromString(commit), lfBlobs.get()));
                    int otherNormalised = Math.min(total, best.score()
                            + explainedAfterLineEndings(repo, other, commit, artifactBlobs)
                            + index.score(ObjectId.fromString(other), lfBlobs.get()));
                    String scores = label(method) + " " + shortId(commit) + " " + chosenScore + "/" + total
                            + " (" + chosenNormalised + "/" + total + " after line-ending normalisation), "
                            + shortId(other) + " " + best.score() + "/" + total + " (" + otherNormalised + "/" + total
                            + ")";
                    // What any commit could explain: artifact files whose bytes (or LF form) the history holds.
                    long findable = ceiling + lfBlobs.get().stream().filter(index::containsBlob).count();
                    // A build tag holds another line of history (lodash's npm branch); one whose commit is an
                    // ancestor of the version's own tag is an earlier state of that line (1.2.0-build, a
                    // pre-release): comparing with it would hide a roll-back.
                    final String own = commit;
                    Optional<String> flavour = method == RefMethod.TAG ? flavourTag(repo, other, tagNames)
                            .filter(t -> !ancestor(repo, other, own)) : Optional.empty();
                    Optional<String> otherSide = index.branchOnlyRefOf(ObjectId.fromString(other));
                    // The version's last release candidate, on the line its tag ends (an ancestor of it): what was
                    // voted on and published, while the release tag may sit on a later commit.
                    Optional<String> candidate = method == RefMethod.TAG
                            ? candidateTag(repo, other, release.version()).filter(t -> ancestor(repo, other, own))
                            : Optional.empty();
                    // A commit that replaces the version's own must be one it can have been built from: not one
                    // made after a later release, unless it holds most of the artifact's files (then it is the tree
                    // that was published, committed late: nanoid 3.3.8-3.3.10 were published from a working tree
                    // committed after the 3.3.10 tag). Sharing the files that never changed is not enough.
                    Optional<String> newer = otherNormalised > chosenNormalised && otherNormalised * 2 > findable
                            && otherNormalised * 2 <= total
                            ? newerThanRelease(release, repo, other, commit) : Optional.empty();
                    // A tag marks the release: an ancestor holding code it changed stays set aside. Without a tag
                    // the ancestor is set aside only when the change was undone (a revert: the later commit holds
                    // what came before it), since old registries' publication times cannot tell which came first.
                    List<String> revertedCode = otherNormalised > chosenNormalised && otherNormalised * 2 > findable
                            && ancestor(repo, other, commit)
                            ? method == RefMethod.TAG ? codeOnlyInOther(index, other, commit, artifactBlobs)
                            : method == RefMethod.MANIFEST_HISTORY ? reverted(repo, other, commit, artifactBlobs)
                            : List.of() : List.of();
                    if (otherNormalised > chosenNormalised && otherSide.isPresent() && method == RefMethod.TAG
                            && flavour.isEmpty()) {
                        // A tag is replaced only by a commit merged or tagged itself: anyone who can push a branch
                        // could otherwise stand a commit holding a payload beside a clean tag and be compared with it.
                        notes.add("kept " + label(method) + ": the other commit is only on " + otherSide.get()
                                + " (neither the default branch nor a tag reaches it): " + scores);
                    } else if (otherNormalised > chosenNormalised && otherNormalised * 2 > findable && flavour.isPresent()) {
                        // The version's own build tag: the published files, tagged by the project.
                        notes.add("compared with tag " + flavour.get() + " (" + shortId(other) + "), this version's "
                                + "published build, which holds every artifact file found in the history: " + scores);
                        commit = other;
                        tag = flavour;
                    } else if (otherNormalised > chosenNormalised && otherNormalised * 2 > findable && candidate.isPresent()) {
                        notes.add("compared with tag " + candidate.get() + " (" + shortId(other) + "), the last release "
                                + "candidate of this version, an ancestor of its tag, which holds every artifact file "
                                + "found in the history: " + scores);
                        commit = other;
                        tag = candidate;
                    } else if (!revertedCode.isEmpty()) {
                        // An earlier commit of the tagged line holding code the tag no longer has: what a payload
                        // committed and reverted before the tag looks like (a pull request's intermediate commit).
                        // The tag stays: the code shows as changed against it.
                        notes.add("kept " + label(method) + ": " + shortId(other) + ", an ancestor of it, holds code "
                                + "it changed since (" + String.join(", ", revertedCode) + "): " + scores);
                    } else if (newer.isPresent()) {
                        // Content can make any commit the best match (a later commit that happens to hold generated
                        // files, or one an attacker's artifact was shaped after): the version's own commit stays
                        // unless the other one can have been what was released.
                        notes.add("kept " + label(method) + ": " + shortId(other) + " " + newer.get() + ": " + scores);
                    } else if (otherNormalised > chosenNormalised && otherNormalised * 2 > findable) {
                        notes.add("compared with " + shortId(other)
                                + ", which holds every artifact file found in the history: " + scores);
                        // When the content bears the publisher's claim out (the tag holds less of it), the claim
                        // is the method; the disagreement with the tag stays recorded.
                        method = other.equals(claim) ? claimMethod : RefMethod.BLOB_OVERLAP;
                        commit = other;
                    } else if (otherNormalised > chosenNormalised) {
                        // A commit holding a few stray files never replaces a tag or manifest signal.
                        notes.add("kept " + label(method) + ": the other commit holds less than half of the artifact "
                                + "files found in the history: " + scores);
                    } else {
                        notes.add("kept " + label(method) + ": it explains as many files after normalisation: "
                                + scores);
                    }
                }
            }
        }
        if (signals.get(RefMethod.TAG) == null && (method == RefMethod.REGISTRY_COMMIT
                || method == RefMethod.ATTESTATION || method == RefMethod.BLOB_OVERLAP)) {
            Optional<String> undone = revertedLater(release, repo, commit, artifactBlobs, notes);
            if (undone.isPresent()) {
                agree = false;
                commit = undone.get();
            }
        }
        if (fullyHeld) {
            independent++;
        }
        if (method == RefMethod.MANIFEST_HISTORY) {
            notes.add(0, "no tag names this version; a commit whose manifest declares it (the one holding most artifact files)");
        }
        SourceTree tree = repo.tree(commit);
        Optional<String> declared = locator.declaredVersion(repo, tree, release);
        if (declared.isPresent() && method != RefMethod.BLOB_OVERLAP && method != RefMethod.MANIFEST_HISTORY) {
            independent++;
            if (!VersionSpelling.same(declared.get(), release.version())
                    && locator.declaringBuildFile(repo, tree, release).isEmpty()) {
                agree = false;
                notes.add("manifest at " + shortId(commit) + " declares " + declared.get());
            }
        }
        // A tag spelling the version chose the commit: the maintainers' release marker. Any other signal (a recorded
        // gitHead, an attestation we do not verify, the content itself) can point at a commit only a pushed branch
        // holds (a bot's, a contributor's, any name): compared with, never trusted as reviewed.
        Optional<String> sideBranch = method == RefMethod.TAG || commit.equals(signals.get(RefMethod.TAG))
                ? Optional.empty() : index.branchOnlyRefOf(ObjectId.fromString(commit));
        if (sideBranch.isPresent()) {
            agree = false;
            notes.add("commit " + shortId(commit) + " is only on " + sideBranch.get()
                    + ": neither the default branch nor a tag reaches it");
        }
        Optional<Boolean> agreement = independent > 1 || disagreement || sideBranch.isPresent()
                ? Optional.of(agree) : Optional.empty();
        return new SourceRef(Optional.of(commit), method, tag, candidates, agreement, declared,
                notes.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", notes)), repositoryOlder,
                sideBranch);
    }

    /**
     * A commit named by the registry or an attestation, accepted only as a full commit id that a branch or tag
     * reaches. A commit only a pull-request (or other untrusted) ref reaches is recorded, never used.
     */
    private static Optional<String> resolve(SourceRepository repo, Optional<String> rev, String what, List<String> notes,
                                            List<String> candidates) {
        if (rev.isEmpty()) {
            return Optional.empty();
        }
        SourceRepository.Resolution r = repo.resolveCommit(rev.get());
        if (r.commit().isEmpty()) {
            // Force-pushed away, never pushed, or only in a ref anyone can create: fall back to trusted signals.
            notes.add(what + " commit " + shortId(rev.get()) + " " + r.problem().orElse("is not usable"));
            if (r.problem().orElse("").startsWith("is reachable only from")) {
                candidates.add("untrusted-" + what + ":" + rev.get().trim().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return r.commit();
    }

    /** A tag on {@code commit} other than those spelling this version: the commit is another release's. */
    private static Optional<String> otherVersionsTag(SourceRepository repo, String commit, List<String> ownTags,
                                                     String ownCommit, String version) {
        // a build tag of this version counts as its own, unless it is an earlier state of the version's line; so does
        // the version's last release candidate on that line (candidateTag)
        Optional<String> candidate = candidateTag(repo, commit, version).filter(t -> ancestor(repo, commit, ownCommit));
        return repo.tags().entrySet().stream().filter(e -> e.getValue().name().equals(commit)
                && !ownTags.contains(e.getKey()) && !(isFlavour(e.getKey(), ownTags) && !ancestor(repo, commit, ownCommit))
                && !candidate.filter(e.getKey()::equals).isPresent())
                .map(Map.Entry::getKey).sorted().findFirst();
    }

    /**
     * The number of a release-candidate tag of {@code version} ({@code commons-vfs-2.10.0-RC1}, {@code v3.2-rc2},
     * {@code 1.0.RC3}): the version right after a separator (or at the start), then {@code rc} and digits.
     */
    static Optional<Integer> candidateNumber(String tag, String version) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)(?:^|.*[^0-9A-Za-z.])v?"
                + java.util.regex.Pattern.quote(version) + "[-._]?rc(\\d{1,4})").matcher(tag);
        return m.matches() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    /**
     * The tag at {@code commit} that is the last release candidate of {@code version} (Apache projects vote on a
     * tagged {@code X-RCn} and publish its build as X, and may tag {@code rel/X} on a later commit): only the
     * highest-numbered candidate of the version qualifies, never an earlier one a later candidate replaced (what was
     * found wrong in a vote, a payload among it, stays set aside).
     */
    static Optional<String> candidateTag(SourceRepository repo, String commit, String version) {
        int last = repo.tags().keySet().stream().map(t -> candidateNumber(t, version)).flatMap(Optional::stream)
                .max(Integer::compare).orElse(-1);
        return repo.tags().entrySet().stream().filter(e -> e.getValue().name().equals(commit)
                && candidateNumber(e.getKey(), version).filter(n -> n == last).isPresent())
                .map(Map.Entry::getKey).sorted().findFirst();
    }

    /**
     * Why the repository is older than this release when no publication time says so, from the release order alone:
     * the version is higher than every version a tag of the package spells, and higher than the version the
     * manifest of the repository's newest commit declares (a {@code -SNAPSHOT} or a released number, as projects
     * leave it between releases). No commit declares the version either (the manifest-history search found none,
     * or the locator would not be on blob overlap). Empty when a tag spells a higher version, the newest commit
     * declares none, or declares one at least as high: the repository has moved past this version without it.
     */
    private Optional<String> beyondRepository(Release release, SourceRepository repo) throws IOException {
        java.util.Comparator<String> order = dev.divergence.source.VersionOrder.of(release.pkg().ecosystem());
        TagMatcher.Index tagIndex = repo.tagIndex(release.pkg().name());
        String highestTagged = null;
        for (String t : repo.tags().keySet()) {
            Optional<String> v = BaselineAge.spelled(tagIndex, t);
            if (v.isEmpty()) {
                continue;
            }
            if (order.compare(v.get(), release.version()) >= 0) {
                return Optional.empty();
            }
            if (highestTagged == null || order.compare(v.get(), highestTagged) > 0) {
                highestTagged = v.get();
            }
        }
        List<BlobIndex.CommitInfo> commits = repo.index().commits();
        if (commits.isEmpty()) {
            return Optional.empty();
        }
        BlobIndex.CommitInfo newest = commits.get(commits.size() - 1);
        Optional<String> declared = locator.declaredVersion(repo, repo.tree(newest.id().name()), release);
        if (declared.isEmpty() || order.compare(declared.get(), release.version()) >= 0) {
            return Optional.empty();
        }
        return Optional.of("the version is higher than every tagged version"
                + (highestTagged == null ? " (none)" : " (highest " + highestTagged + ")")
                + " and than " + declared.get() + ", which the newest commit " + shortId(newest.id().name())
                + " declares");
    }

    /**
     * Why {@code other} cannot be what this version was built from, though it holds more of the artifact than the
     * version's own commit {@code own}: it reaches the tagged commit of a higher version of the package that
     * {@code own} does not reach, so a later release was tagged before it was committed. Empty otherwise: a commit
     * between the own commit and the next release (a tag one commit too early) can still replace it. Publication
     * times do not bound it: a release built from a working tree is committed after publishing (nanoid 3.3.10's
     * files are those of a commit made a day and a half after npm's time for it), and registries rewrote old times.
     */
    Optional<String> newerThanRelease(Release release, SourceRepository repo, String other, String own)
            throws IOException {
        java.util.Comparator<String> order = dev.divergence.source.VersionOrder.of(release.pkg().ecosystem());
        TagMatcher.Index tagIndex = repo.tagIndex(release.pkg().name());
        Map<String, String> higher = new HashMap<>(); // commit -> tag of the lowest higher version on it
        Map<String, String> versionOf = new HashMap<>();
        for (Map.Entry<String, ObjectId> t : repo.tags().entrySet()) {
            Optional<String> v = BaselineAge.spelled(tagIndex, t.getKey());
            if (v.isEmpty() || order.compare(v.get(), release.version()) <= 0
                    || VersionSpelling.same(v.get(), release.version())) {
                continue;
            }
            String c = t.getValue().name();
            String before = higher.get(c);
            if (before == null || order.compare(v.get(), versionOf.get(before)) < 0) {
                higher.put(c, t.getKey());
                versionOf.put(t.getKey(), v.get());
            }
        }
        Set<String> reached = new LinkedHashSet<>(repo.reachedOnlyFrom(other, own, higher.keySet()));
        // A tag whose manifest declares this very version is a retry of this release (jsoup-1.9.1a after a rolled
        // back jsoup-1.9.1), not a later one.
        for (java.util.Iterator<String> it = reached.iterator(); it.hasNext(); ) {
            Optional<String> declared = locator.declaredVersion(repo, repo.tree(it.next()), release);
            if (declared.isPresent() && VersionSpelling.same(declared.get(), release.version())) {
                it.remove();
            }
        }
        Optional<String> first = reached.stream().map(higher::get)
                .min(java.util.Comparator.comparing(versionOf::get, order));
        if (first.isPresent()) {
            return Optional.of("comes after tag " + first.get() + " (" + shortId(repo.tags().get(first.get()).name())
                    + "), a release of the later version " + versionOf.get(first.get())
                    + ", which the version's own commit does not reach");
        }
        return Optional.empty();
    }

    /** Paths of code files whose artifact blob {@code other} holds and {@code commit} does not (at most 5). */
    private static List<String> codeOnlyInOther(BlobIndex index, String other, String commit, Set<String> blobs) {
        return codeOnlyInOther(index, other, commit, blobs, path -> false);
    }

    private static List<String> codeOnlyInOther(BlobIndex index, String other, String commit, Set<String> blobs,
                                                java.util.function.Predicate<String> alsoJudged) {
        List<String> out = new ArrayList<>();
        ObjectId o = ObjectId.fromString(other);
        ObjectId c = ObjectId.fromString(commit);
        for (String b : blobs) {
            if (b.equals(EMPTY_BLOB) || !index.containsBlob(b)) {
                continue;
            }
            Set<String> one = Set.of(b);
            String path = index.pathOf(b);
            if (path != null && (dev.divergence.compare.FileKinds.codePath(path) || alsoJudged.test(path))
                    && index.score(o, one) > 0
                    && index.score(c, one) == 0) {
                out.add(path);
                if (out.size() == 5) {
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Code files whose artifact blob {@code earlier} holds and {@code later} does not, where {@code later} holds what a
     * parent of {@code earlier} held at that path (the change was undone; a file added and deleted again counts).
     */
    private static List<String> reverted(SourceRepository repo, String earlier, String later, Set<String> blobs)
            throws IOException {
        return reverted(repo, earlier, later, blobs, path -> false);
    }

    /** As above, also for the files {@code alsoJudged} names (a manifest: install scripts, dependencies). */
    private static List<String> reverted(SourceRepository repo, String earlier, String later, Set<String> blobs,
                                         java.util.function.Predicate<String> alsoJudged) throws IOException {
        List<String> out = new ArrayList<>();
        List<ObjectId> parents = repo.parentTrees(earlier);
        ObjectId laterTree = repo.treeOf(later);
        for (String path : codeOnlyInOther(repo.index(), earlier, later, blobs, alsoJudged)) {
            Optional<String> now = repo.blobAt(laterTree, path);
            for (ObjectId parent : parents) {
                if (repo.blobAt(parent, path).equals(now)) {
                    out.add(path);
                    break;
                }
            }
        }
        return out;
    }

    /** How many descendants of a chosen commit the revert check reads, nearest first. */
    static final int MAX_LATER_COMMITS = 64;

    /**
     * No tag marks the release, and a publisher's claim (a recorded gitHead, an attestation) or the content chose
     * {@code commit}: when a later commit of the trusted history (default branch or tag, not a side branch) undid code
     * or install-time behaviour the chosen commit holds before any release followed it, that later commit is the
     * baseline, as {@link #manifestHistory} does: a payload committed and reverted at once (an install script in
     * package.json) is then compared with the tree the project kept. The later commits asked are this version's line:
     * the descendants of {@code commit} reached through commits that still declare the release's version, and the
     * first commit on each path that moves the version ({@code 1.0.2-dev}: the publisher writes the version field, so
     * a revert is often the same commit that starts the next version); a tagged commit is a release and ends the line.
     * Undone means: in a commit still declaring the version, a code file the artifact holds from {@code commit} is back
     * to what a parent of {@code commit} held (a file added and deleted again counts); in any commit of the line, the
     * first version-moving ones included, a manifest's install-time declaration (npm: the lifecycle scripts and what
     * they run by name) is back to a parent's, whatever the rest of the manifest (its version) says. Work
     * after the version moved is the next version's and is not asked. Publication times are not asked: a commit date
     * is the committer's to write.
     */
    private Optional<String> revertedLater(Release release, SourceRepository repo, String commit,
                                           Set<String> artifactBlobs, List<String> notes) throws IOException {
        Set<String> manifests = new java.util.HashSet<>(locator.manifestPaths(release));
        Set<String> tagged = new java.util.HashSet<>();
        repo.tags().values().forEach(t -> tagged.add(t.name()));
        Set<String> line = new java.util.HashSet<>(Set.of(commit));
        for (SourceRepository.Lineage later : repo.descendants(commit, MAX_LATER_COMMITS)) {
            String id = later.id();
            if (later.parents().stream().noneMatch(line::contains) || tagged.contains(id)) {
                continue; // past the version's line, or a release of its own
            }
            boolean sameVersion = declaresVersion(release, repo, id);
            if (repo.index().branchOnlyRefOf(ObjectId.fromString(id)).isEmpty()) {
                // code put back counts only in a commit still declaring the version: past it (and in a merge bringing
                // another line's older files) the version's next work is not a revert of this one (yargs candidates)
                List<String> changed = new ArrayList<>(!sameVersion ? List.of() : reverted(repo, commit, id, artifactBlobs,
                        path -> manifests.contains(path) || manifests.contains(path.substring(path.lastIndexOf('/') + 1))));
                for (String m : installUndone(release, repo, commit, id)) {
                    if (!changed.contains(m)) {
                        changed.add(m);
                    }
                }
                if (!changed.isEmpty()) {
                    notes.add(shortId(commit) + " holds code or a manifest that " + shortId(id) + ", a later commit of the"
                            + " trusted history before any other release, reverted (" + String.join(", ", changed)
                            + "): compared with the later one");
                    return Optional.of(id);
                }
            }
            if (sameVersion) {
                line.add(id);
            }
        }
        return Optional.empty();
    }

    /** Whether the most authoritative manifest of {@code commit} declares the release's version (as {@link #declaringCommits}). */
    private boolean declaresVersion(Release release, SourceRepository repo, String commit) throws IOException {
        ObjectId tree = repo.treeOf(commit);
        for (String path : locator.manifestPaths(release)) {
            Optional<String> blob = repo.blobAt(tree, path);
            if (blob.isEmpty()) {
                continue;
            }
            Optional<String> v = repo.read(blob.get(), 1 << 20).flatMap(b -> locator.versionIn(path, b, release));
            if (v.isPresent()) {
                return VersionSpelling.same(v.get(), release.version());
            }
        }
        return false;
    }

    /**
     * The manifests whose install-time declaration ({@link dev.divergence.registry.GeneratedFiles#installDeclaration})
     * {@code commit} changed from a parent's and {@code later} has back as that parent declared it.
     */
    private List<String> installUndone(Release release, SourceRepository repo, String commit, String later)
            throws IOException {
        List<String> out = new ArrayList<>();
        if (generated.isEmpty()) {
            return out;
        }
        ObjectId mine = repo.treeOf(commit);
        ObjectId theirs = repo.treeOf(later);
        List<ObjectId> parents = repo.parentTrees(commit);
        for (String path : locator.manifestPaths(release)) {
            Optional<String> at = declaration(repo, mine, path);
            Optional<String> now = declaration(repo, theirs, path);
            if (at.equals(now)) {
                continue;
            }
            for (ObjectId parent : parents) {
                if (declaration(repo, parent, path).equals(now)) {
                    out.add(path);
                    break;
                }
            }
        }
        return out;
    }

    /** What the manifest at {@code path} of a tree makes run on install; empty when it is absent or declares nothing. */
    private Optional<String> declaration(SourceRepository repo, ObjectId tree, String path) throws IOException {
        Optional<String> blob = repo.blobAt(tree, path);
        if (blob.isEmpty()) {
            return Optional.empty();
        }
        Optional<byte[]> bytes = repo.read(blob.get(), 8L << 20);
        return bytes.flatMap(b -> generated.get().installDeclaration(path, b));
    }

    private static boolean ancestor(SourceRepository repo, String a, String b) {
        try {
            return repo.isAncestor(a, b);
        } catch (IOException e) {
            return true; // unknown: not a build tag
        }
    }

    /** A tag at {@code commit} naming this version's published build ({@code 4.17.21-npm}), if any. */
    private static Optional<String> flavourTag(SourceRepository repo, String commit, List<String> ownTags) {
        return repo.tags().entrySet().stream().filter(e -> e.getValue().name().equals(commit)
                && isFlavour(e.getKey(), ownTags)).map(Map.Entry::getKey).sorted().findFirst();
    }

    /**
     * Words projects append to a version's tag for the commit holding what they published (lodash tags
     * {@code 4.17.21} on its source branch and {@code 4.17.21-npm} on the branch holding the npm package's files).
     * Deliberately a closed list: a pre-release suffix ({@code -beta}, {@code -rc1}) names another version, and
     * content equal to another version's tag is a roll-back, never this version's build.
     */
    static final Set<String> FLAVOURS = Set.of("npm", "dist", "release", "build", "publish", "published");

    static boolean isFlavour(String tag, List<String> ownTags) {
        for (String own : ownTags) {
            if (tag.length() > own.length() + 1 && tag.startsWith(own)
                    && "-_.".indexOf(tag.charAt(own.length())) >= 0
                    && FLAVOURS.contains(tag.substring(own.length() + 1).toLowerCase(java.util.Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static boolean setAside(SourceRepository repo, Optional<String> rev) {
        return rev.isPresent() && repo.resolveCommit(rev.get()).problem()
                .filter(p -> !p.equals(SourceRepository.NOT_IN_REPOSITORY)).isPresent();
    }

    /**
     * How many artifact blobs that commit {@code other} holds and {@code commit} does not are explained by
     * {@code commit} after line-ending normalisation: {@code commit} has a blob at the same path that equals the
     * artifact's bytes once CRLF becomes LF on both sides (as {@code compare.line-endings} does). Only the files
     * where the two commits differ are read, so this costs a few blob reads.
     */
    private static int explainedAfterLineEndings(SourceRepository repo, String commit, String other,
                                                 Set<String> artifactBlobs) throws IOException {
        SourceTree mine = repo.tree(commit);
        SourceTree theirs = repo.tree(other);
        Set<String> held = new java.util.HashSet<>();
        mine.files().values().forEach(f -> held.add(f.blobId()));
        int explained = 0;
        for (SourceTree.SourceFile f : theirs.files().values()) {
            if (!artifactBlobs.contains(f.blobId()) || held.contains(f.blobId()) || f.blobId().equals(EMPTY_BLOB)) {
                continue;
            }
            Optional<SourceTree.SourceFile> same = mine.get(f.path());
            if (same.isEmpty()) {
                continue;
            }
            Optional<byte[]> a = repo.read(f.blobId(), 1 << 20);
            Optional<byte[]> b = repo.read(same.get().blobId(), 1 << 20);
            if (a.isPresent() && b.isPresent() && lf(a.get()).equals(lf(b.get()))) {
                explained++;
                held.add(f.blobId()); // a blob at several paths counts once, as in the overlap score
            }
        }
        return explained;
    }

    private static java.util.function.Supplier<Set<String>> memoize(java.util.function.Supplier<Set<String>> s,
                                                                     Set<String> raw) {
        return new java.util.function.Supplier<>() {
            private Set<String> value;

            @Override
            public Set<String> get() {
                if (value == null) {
                    Set<String> v = new LinkedHashSet<>(s.get());
                    v.removeAll(raw); // only forms that differ from a file's own bytes
                    value = v;
                }
                return value;
            }
        };
    }

    /** Extensions that are never text: their line endings are not normalised by anyone. */
    private static final java.util.regex.Pattern BINARY_NAME = java.util.regex.Pattern.compile(
            "(?i).*\\.(class|jar|war|zip|gz|tgz|bz2|xz|png|gif|jpe?g|ico|bmp|so|dll|dylib|exe|bin|ser|jks|keystore)$");

    /**
     * The git blob ids that the archive's text entries with CRLF line endings would have with LF endings (the form a
     * repository with {@code core.autocrlf} or {@code text=auto} stores). Entries up to 1 MB; binaries (a NUL byte,
     * a binary extension) are skipped.
     */
    public static Set<String> lineEndingBlobIds(dev.divergence.archive.ArchiveListing listing, java.nio.file.Path archive) {
        Set<String> paths = new LinkedHashSet<>();
        for (dev.divergence.model.ArtifactFile f : listing.files()) {
            if (f.type() == dev.divergence.model.ArtifactFile.EntryType.FILE && f.size() > 0 && f.size() <= 1 << 20
                    && !BINARY_NAME.matcher(f.path()).matches()) {
                paths.add(f.path());
            }
        }
        Set<String> out = new LinkedHashSet<>();
        for (byte[] b : listing.contents(archive, paths, 1 << 20).values()) {
            boolean crlf = false;
            boolean binary = false;
            for (int i = 0; i < b.length && !binary; i++) {
                binary = b[i] == 0;
                crlf |= b[i] == '\n' && i > 0 && b[i - 1] == '\r';
            }
            if (crlf && !binary) {
                out.add(dev.divergence.archive.EntryDigest.gitBlobId(
                        lf(b).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
            }
        }
        return out;
    }

    private static String lf(byte[] text) {
        return new String(text, java.nio.charset.StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
    }

    /**
     * Among the commits whose manifest declares the version (npm's "commit that bumped package.json", and the
     * fixes after it on a release branch), the one holding the most of the artifacts' blobs; the earliest on
     * a tie. When the raw blobs cannot decide (a tie, or no commit holds every artifact blob the history has), the
     * LF forms of the artifacts' CRLF text files count too, before any tie-break: a sources jar built on Windows
     * matches no commit byte for byte, and the earliest declaring commit is then only the first of many.
     * Manifest blobs are parsed once each: consecutive commits share them.
     */
    private Optional<String> manifestHistory(Release release, SourceRepository repo, Set<String> artifactBlobs,
                                             java.util.function.Supplier<Set<String>> lfBlobs, long published,
                                             List<String> notes) throws IOException {
        List<BlobIndex.CommitInfo> declaring = declaringCommits(release, repo);
        if (declaring.isEmpty()) {
            return Optional.empty();
        }
        BlobIndex.CommitInfo best = declaring.get(0);
        if (!artifactBlobs.isEmpty() && declaring.size() > 1) {
            Map<ObjectId, Integer> scores = repo.index().scores(declaring, artifactBlobs);
            int top = scores.values().stream().max(Integer::compare).orElse(0);
            long atTop = scores.values().stream().filter(v -> v == top).count();
            long ceiling = artifactBlobs.stream().filter(b -> !b.equals(EMPTY_BLOB) && repo.index().containsBlob(b))
                    .count();
            if ((atTop > 1 || top < ceiling) && !lfBlobs.get().isEmpty()) {
                Set<String> both = new LinkedHashSet<>(artifactBlobs);
                both.addAll(lfBlobs.get());
                scores = repo.index().scores(declaring, both);
                notes.add("manifest-history commits scored after line-ending normalisation of " + lfBlobs.get().size()
                        + " CRLF text file(s)");
            }
            for (BlobIndex.CommitInfo c : declaring) {
                if (scores.get(c.id()) > scores.get(best.id())) {
                    best = c;
                }
            }
            // No tag marks which of them was released: the newest one the default branch or a tag reaches that was
            // committed before the release stands in for it. An earlier one holding code that one changed is what a
            // payload committed and reverted before an untagged release looks like: the newer commit stays the
            // baseline, so the code shows as changed against it (a release built from a stale checkout does too).
            Optional<BlobIndex.CommitInfo> latest = declaring.stream()
                    .filter(c -> c.time() <= published && repo.index().branchOnlyRefOf(c.id()).isEmpty())
                    .max(java.util.Comparator.comparingLong(BlobIndex.CommitInfo::time));
            if (latest.isPresent() && !latest.get().id().equals(best.id())
                    && ancestor(repo, best.id().name(), latest.get().id().name())) {
                List<String> changed = reverted(repo, best.id().name(), latest.get().id().name(), artifactBlobs);
                if (!changed.isEmpty()) {
                    notes.add("manifest-history commit " + shortId(best.id().name()) + " holds code that "
                            + shortId(latest.get().id().name()) + ", a later commit declaring the same version before "
                            + "the release, reverted (" + String.join(", ", changed) + "): compared with the later one");
                    best = latest.get();
                }
            }
        }
        return Optional.of(best.id().name());
    }

    /** The commits (oldest first) whose most authoritative manifest declares the release's version. */
    private List<BlobIndex.CommitInfo> declaringCommits(Release release, SourceRepository repo) throws IOException {
        List<String> paths = locator.manifestPaths(release);
        Map<String, Optional<String>> versionByBlob = new HashMap<>();
        List<BlobIndex.CommitInfo> declaring = new ArrayList<>();
        for (BlobIndex.CommitInfo c : repo.index().commits()) {
            for (String path : paths) {
                Optional<String> blob = repo.blobAt(c.tree(), path);
                if (blob.isEmpty()) {
                    continue;
                }
                Optional<String> v = versionByBlob.get(blob.get());
                if (v == null) {
                    v = repo.read(blob.get(), 1 << 20).flatMap(b -> locator.versionIn(path, b, release));
                    versionByBlob.put(blob.get(), v);
                }
                if (v.isPresent()) {
                    if (VersionSpelling.same(v.get(), release.version())) {
                        declaring.add(c);
                    }
                    break; // the most authoritative manifest present decides for this commit
                }
            }
        }
        return declaring;
    }

    private static String label(RefMethod m) {
        return switch (m) {
            case ATTESTATION -> "attested commit";
            case REGISTRY_COMMIT -> "registry-recorded commit";
            case TAG -> "tag commit";
            case MANIFEST_HISTORY -> "manifest-history commit";
            case BLOB_OVERLAP -> "best-overlap commit";
            case NONE -> "nothing";
        };
    }

    static String shortId(String commit) {
        return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }
}
