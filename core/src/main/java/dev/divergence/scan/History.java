package dev.divergence.scan;

import dev.divergence.model.Artifact;
import dev.divergence.model.Ecosystem;
import dev.divergence.model.Release;
import dev.divergence.source.SourceRepository;
import dev.divergence.source.VersionOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jgit.lib.ObjectId;

/**
 * What a nightly run must do for one package, given what earlier runs recorded: scan only versions that are
 * new, were scanned by another engine or rule version, or whose inputs changed (an artifact replaced or added,
 * a tag moved, a yank); and the history signals that comparison reveals. Pure: the caller loads the previous
 * state and the current listing.
 */
public final class History {

    /** Kinds of history signal (the {@code signals} table). */
    public enum SignalKind {
        /** A tag that named the version now points to another commit (tag mutation). */
        TAG_MOVED,
        /** An artifact's bytes changed under the same file name. */
        ARTIFACT_REPLACED,
        /** A file was added to a version after it was first scanned. */
        ARTIFACT_ADDED,
        /** A version seen before is no longer listed. */
        VERSION_DISAPPEARED,
        /** A version seen before is now yanked (PyPI) or deprecated/unpublished (npm). */
        YANKED,
        /** A version diverges while the version published before it was clean. */
        REGRESSION,
        /** An execution-relevant file appears for the first time in the package's history. */
        NEW_FILE,
        /**
         * The release declares a repository other than the package's (chosen from its history, see
         * {@link RepositoryChoice}): its metadata is not trusted to pick the baseline.
         */
        REPOSITORY_CHANGED
    }

    public record Signal(String version, SignalKind kind, String detail) {
    }

    /** What an earlier run recorded for one version. */
    public record Previous(String version, String engineVersion, String rulesVersion, boolean yanked,
                           Map<String, String> tagCommits, Map<String, String> artifactDigests) {
    }

    /** The versions to scan, and the signals found before scanning. */
    public record Plan(List<Release> toScan, List<Signal> signals, Set<String> rescannedVersions) {
    }

    private History() {
    }

    /**
     * @param repo the package's repository when it could be opened (tag checks are skipped without it)
     * @param full scan every listed version whatever earlier runs recorded (signals are still computed)
     */
    public static Plan plan(List<Release> listed, Map<String, Previous> previous, Optional<SourceRepository> repo,
                            boolean full) {
        List<Release> toScan = new ArrayList<>();
        List<Signal> signals = new ArrayList<>();
        Set<String> rescanned = new TreeSet<>();
        Set<String> listedVersions = new TreeSet<>();
        for (Release r : listed) {
            listedVersions.add(r.version());
            Previous p = previous.get(r.version());
            List<String> why = new ArrayList<>();
            if (p == null) {
                why.add("new");
            } else {
                if (!p.engineVersion().equals(EngineVersion.ENGINE) || !p.rulesVersion().equals(EngineVersion.RULES)) {
                    why.add("scanned with engine " + p.engineVersion() + "/rules " + p.rulesVersion());
                }
                for (Artifact a : r.artifacts()) {
                    String before = p.artifactDigests().get(a.filename());
                    Optional<String> now = registryDigest(a);
                    if (before == null) {
                        signals.add(new Signal(r.version(), SignalKind.ARTIFACT_ADDED, a.filename() + " was added"));
                        why.add("artifact added");
                    } else if (now.isPresent() && !before.isEmpty() && !before.equals(now.get())) {
                        signals.add(new Signal(r.version(), SignalKind.ARTIFACT_REPLACED, a.filename() + ": "
                                + before + " -> " + now.get()));
                        why.add("artifact replaced");
                    }
                }
                if (r.yanked() && !p.yanked()) {
                    signals.add(new Signal(r.version(), SignalKind.YANKED, r.yankedReason().orElse("yanked")));
                    why.add("yanked");
                }
                if (repo.isPresent()) {
                    for (Map.Entry<String, String> t : p.tagCommits().entrySet()) {
                        ObjectId now = repo.get().tags().get(t.getKey());
                        if (now != null && !now.name().equals(t.getValue())) {
                            signals.add(new Signal(r.version(), SignalKind.TAG_MOVED, "tag " + t.getKey() + " moved from "
                                    + t.getValue() + " to " + now.name()));
                            why.add("tag moved");
                        }
                    }
                }
            }
            if (!why.isEmpty() || full) {
                toScan.add(r);
                rescanned.add(r.version());
            }
        }
        for (String v : previous.keySet()) {
            if (!listedVersions.contains(v)) {
                signals.add(new Signal(v, SignalKind.VERSION_DISAPPEARED, "no longer listed by the registry"));
            }
        }
        return new Plan(toScan, signals, rescanned);
    }

    /** The strongest digest the registry lists for an artifact, as {@code algo:hex}. */
    public static Optional<String> registryDigest(Artifact a) {
        for (String algo : List.of("sha512", "sha256", "sha1", "md5")) {
            String hex = a.digests().get(algo);
            if (hex != null) {
                return Optional.of(algo + ":" + hex);
            }
        }
        return Optional.empty();
    }

    /**
     * REPOSITORY_CHANGED signals for the releases among {@code among} (scanned in this run, so that a rerun does
     * not repeat them) whose declared repository is not the package's.
     */
    public static List<Signal> repositoryChanges(List<Release> releases, RepositoryChoice choice, Set<String> among) {
        List<Signal> out = new ArrayList<>();
        for (Release r : releases) {
            if (among.contains(r.version())) {
                choice.differingDeclaration(r).ifPresent(d -> out.add(new Signal(r.version(),
                        SignalKind.REPOSITORY_CHANGED, "declares " + d + "; the package's repository is "
                        + choice.location().orElse("") + " (" + choice.basis() + ")")));
            }
        }
        if (!releases.isEmpty()) {
            out.sort(Comparator.comparing(Signal::version, VersionOrder.over(releases.get(0).pkg().ecosystem(),
                    out.stream().map(Signal::version).toList())));
        }
        return out;
    }

    /** One version's outcome, in publication order, for {@link #regressions}. */
    public record Outcome(String version, long publishedMillis, String verdict) {
    }

    /**
     * Versions that diverge while the version before them was clean or explained. "Before" is the ecosystem's
     * version order ({@link VersionOrder}, the releases table's {@code version_order}), not publication time:
     * registries' times are wrong for some old versions, and a backport (6.3.2 after 7.1.0) follows its own line.
     */
    public static List<Signal> regressions(Ecosystem ecosystem, List<Outcome> outcomes, Set<String> among) {
        List<Outcome> ordered = new ArrayList<>(outcomes);
        ordered.sort(Comparator.comparing(Outcome::version, VersionOrder.over(ecosystem, versions(outcomes))));
        List<Signal> out = new ArrayList<>();
        for (int i = 1; i < ordered.size(); i++) {
            Outcome prev = ordered.get(i - 1);
            Outcome cur = ordered.get(i);
            boolean wasClean = prev.verdict().equals("CLEAN") || prev.verdict().equals("EXPLAINED");
            boolean diverges = cur.verdict().equals("DIVERGENT") || cur.verdict().equals("HIGH_RISK");
            if (wasClean && diverges && among.contains(cur.version())) {
                out.add(new Signal(cur.version(), SignalKind.REGRESSION, cur.verdict() + " after " + prev.version()
                        + " was " + prev.verdict()));
            }
        }
        return out;
    }

    /** Outcomes in publication order; equal or unknown times (last) fall back to version order. */
    public static List<Outcome> publicationOrder(Ecosystem ecosystem, List<Outcome> outcomes) {
        List<Outcome> ordered = new ArrayList<>(outcomes);
        ordered.sort(Comparator.comparingLong(Outcome::publishedMillis)
                .thenComparing(Outcome::version, VersionOrder.over(ecosystem, versions(outcomes))));
        return ordered;
    }

    /**
     * Where a path was first seen: {@code order} is its first version's index in {@link #publicationOrder}, and
     * {@code relevant} whether it is execution-relevant there (code, a .pth, an install script, a binary).
     */
    public record FirstSeen(String path, int order, boolean relevant) {
    }

    /**
     * NEW_FILE signals: an execution-relevant path first seen in a version published after the package's first
     * version (not in the first release, nor in one with an unknown time), reported when that version is among
     * those rescanned now.
     */
    public static List<Signal> newFiles(Ecosystem ecosystem, List<Outcome> ordered, List<FirstSeen> firsts,
                                        Set<String> among) {
        long start = ordered.stream().mapToLong(Outcome::publishedMillis).min().orElse(Long.MAX_VALUE);
        List<Signal> out = new ArrayList<>();
        for (FirstSeen f : firsts) {
            if (!f.relevant() || f.order() < 0 || f.order() >= ordered.size()) {
                continue;
            }
            Outcome first = ordered.get(f.order());
            if (first.publishedMillis() != Long.MAX_VALUE && first.publishedMillis() > start
                    && among.contains(first.version())) {
                out.add(new Signal(first.version(), SignalKind.NEW_FILE, f.path()));
            }
        }
        out.sort(Comparator.comparing(Signal::version, VersionOrder.over(ecosystem, out.stream().map(Signal::version)
                .toList())).thenComparing(Signal::detail));
        return out;
    }

    private static List<String> versions(List<Outcome> outcomes) {
        return outcomes.stream().map(Outcome::version).toList();
    }
}
