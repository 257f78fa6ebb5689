package dev.divergence.scan;

import dev.divergence.compare.FileKinds;
import dev.divergence.compare.Verdicts;
import dev.divergence.model.ArtifactReport;
import dev.divergence.model.DigestStatus;
import dev.divergence.model.Ecosystem;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileKind;
import dev.divergence.model.ReleaseReport;
import dev.divergence.model.Verdict;

/**
 * Version-level facts that let an analyst filter DIVERGENT versions without changing their verdict: the
 * releases table's {@code doc_only_divergence} and {@code repository_older}.
 */
public final class ReleaseFlags {

    private ReleaseFlags() {
    }

    /**
     * A DIVERGENT version whose every unexplained file is documentation ({@link FileKind#DOC}, no risk flag at
     * all): a README or CHANGELOG edited at publish time. False for any other verdict (HIGH_RISK included), when a
     * divergent artifact has a finding besides its files (metadata inconsistency, zip read differently by tools,
     * digest mismatch, a partial read), or when nothing unexplained is a file.
     */
    public static boolean docOnlyDivergence(ReleaseReport r) {
        if (r.verdict() != Verdict.DIVERGENT) {
            return false;
        }
        Ecosystem eco = r.release().pkg().ecosystem();
        int docs = 0;
        for (ArtifactReport a : r.artifacts()) {
            if (a.verdict() != Verdict.CLEAN && a.verdict() != Verdict.EXPLAINED && a.verdict() != Verdict.DIVERGENT) {
                return false; // an artifact that could not be read or compared may hide anything
            }
            for (FileDivergence f : a.files()) {
                if (f.highRisk()) {
                    return false;
                }
                if (Verdicts.unexplained(f.status())) {
                    if (!f.riskFlags().isEmpty() || FileKinds.of(eco, f) != FileKind.DOC) {
                        return false;
                    }
                    docs++;
                }
            }
            if (a.verdict() == Verdict.DIVERGENT && (a.digestStatus() == DigestStatus.MISMATCH
                    || Verdicts.artifact(a.files()) != Verdict.DIVERGENT
                    || !a.reason().equals(ReleaseScanner.divergenceReason(a.files())))) {
                return false; // diverges for a reason other than its files: a finding, not documentation
            }
        }
        return docs > 0;
    }

    /**
     * No attestation, registry commit or tag ties the version to a commit, and the repository's newest commit is
     * older than the release (without a publication time: the version is above every tagged version and the version
     * the newest commit declares): the release's commit is probably missing from the repository (not pushed yet, or
     * an old mirror), so a divergence may say more about the copy than about the release. A payload still makes
     * the version HIGH_RISK; this only qualifies the verdict.
     */
    public static boolean repositoryOlder(ReleaseReport r) {
        return r.ref().repositoryOlder();
    }
}
