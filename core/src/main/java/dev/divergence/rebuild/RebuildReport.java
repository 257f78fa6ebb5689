package dev.divergence.rebuild;

import dev.divergence.compare.Verdicts;
import dev.divergence.model.Artifact;
import dev.divergence.model.ArtifactReport;
import dev.divergence.model.DigestStatus;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileStatus;
import dev.divergence.model.Verdict;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * One published file rebuilt from its commit.
 *
 * @param strategy the strategy version that produced it ({@code maven/1}), the key of incremental rebuilds
 * @param reason the sentence behind the verdict: the passes, the differing entries, the build's log tail, the
 *     missing JDK
 * @param passes stabilisation passes needed (REPRODUCED_AFTER_STABILIZE)
 * @param instructions how it was built (or would be, for UNSUPPORTED_ENV when inference got that far)
 * @param files entry rows against the rebuilt archive (empty when nothing was built)
 */
public record RebuildReport(Artifact artifact, String strategy, RebuildVerdict rebuildVerdict, Optional<String> reason,
                            List<String> passes, Optional<Instructions> instructions, Optional<String> rebuiltSha256,
                            List<FileDivergence> files, long millis) {

    public RebuildReport {
        passes = List.copyOf(passes);
        files = List.copyOf(files);
    }

    static RebuildReport notBuilt(Artifact a, String strategy, RebuildVerdict v, String reason,
                                  Optional<Instructions> ins, long millis) {
        return new RebuildReport(a, strategy, v, Optional.of(reason), List.of(), ins, Optional.empty(), List.of(), millis);
    }

    /**
     * The verdict on the table's scale: a reproduction is CLEAN (bit for bit) or EXPLAINED (after named passes), a
     * difference DIVERGENT — HIGH_RISK when a differing entry runs — and a build that could not run says nothing
     * (NO_SOURCE: "could not tell"; a failed rebuild is a mild signal, not proof).
     */
    public Verdict verdict() {
        return switch (rebuildVerdict) {
            case REPRODUCED -> Verdict.CLEAN;
            case REPRODUCED_AFTER_STABILIZE -> Verdict.EXPLAINED;
            // the rows' verdict, as fetch mode's; a difference that is only an entry the release lacks still diverges
            case DIFFERS -> Verdicts.artifact(files) == Verdict.HIGH_RISK ? Verdict.HIGH_RISK : Verdict.DIVERGENT;
            case BUILD_FAILED, UNSUPPORTED_ENV -> Verdict.NO_SOURCE;
        };
    }

    /**
     * This comparison as fetch mode reports one ({@link ArtifactReport}: counts per status, divergent and high-risk
     * paths, verdict, reason, rows), so both modes fill the artifacts table through one path.
     *
     * @param digest how the published file's digest checked out when it was fetched
     * @param sha256 the published file's SHA-256, when it was fetched
     */
    public ArtifactReport comparison(DigestStatus digest, Optional<String> sha256) {
        java.util.Map<FileStatus, Integer> counts = new java.util.EnumMap<>(FileStatus.class);
        files.forEach(f -> counts.merge(f.status(), 1, Integer::sum));
        long entries = files.stream().filter(f -> f.artifactPath().isPresent()).count();
        return new ArtifactReport(artifact, digest, sha256, entries, counts, divergentPaths(), highRiskPaths(), verdict(),
                reason, files);
    }

    public List<String> highRiskPaths() {
        return files.stream().filter(FileDivergence::highRisk).map(FileDivergence::displayPath).toList();
    }

    public List<String> divergentPaths() {
        return files.stream().filter(f -> Verdicts.unexplained(f.status())
                || f.status() == FileStatus.SOURCE_ONLY).map(FileDivergence::displayPath).toList();
    }

    /**
     * A version's verdict with its rebuilds: only a difference raises it (a DIFFERS entry that runs makes it
     * HIGH_RISK); a reproduction or a build that could not run leaves the fetch verdict as it is.
     */
    public static Verdict combine(Verdict fetch, Collection<RebuildReport> rebuilds) {
        Verdict v = fetch;
        for (RebuildReport r : rebuilds) {
            Verdict rv = r.verdict();
            if ((rv == Verdict.DIVERGENT || rv == Verdict.HIGH_RISK) && rv.severity() > v.severity()) {
                v = rv;
            }
        }
        return v;
    }
}
