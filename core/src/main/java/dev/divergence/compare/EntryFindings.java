package dev.divergence.compare;

import dev.divergence.model.FileDivergence;
import dev.divergence.model.RiskFlag;
import dev.divergence.registry.GeneratedFiles.EntryFinding;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Puts findings about an entry that its own comparison cannot see (the registry's metadata contradicts it) on the
 * entry's rows: the status keeps saying how the file compares with the source, the flags, rule and detail say
 * what else is wrong, and a HIGH_RISK finding makes the row high risk whatever its status.
 */
public final class EntryFindings {

    private EntryFindings() {
    }

    /** Rows with the findings applied to every row of each finding's path; rows of other paths unchanged. */
    public static List<FileDivergence> apply(List<FileDivergence> rows, List<EntryFinding> findings) {
        if (findings.isEmpty()) {
            return rows;
        }
        List<FileDivergence> out = new ArrayList<>(rows.size());
        for (FileDivergence r : rows) {
            FileDivergence x = r;
            for (EntryFinding f : findings) {
                if (r.artifactPath().filter(f.artifactPath()::equals).isPresent()) {
                    x = applied(x, f);
                }
            }
            out.add(x);
        }
        return out;
    }

    private static FileDivergence applied(FileDivergence r, EntryFinding f) {
        Set<RiskFlag> flags = EnumSet.noneOf(RiskFlag.class);
        flags.addAll(r.riskFlags());
        flags.addAll(f.flags());
        // The row's own rule stays when it already condemns the file; otherwise the finding names the rule.
        String rule = r.highRisk() ? r.ruleId() : f.ruleId();
        return new FileDivergence(r.artifactFilename(), r.artifactPath(), r.sourcePath(), r.status(), rule,
                r.artifactSha256(), r.sourceSha256(), r.artifactBlobId(), r.sourceBlobId(), r.artifactSize(),
                r.sourceSize(), flags, r.highRisk() || f.highRisk(),
                Optional.of(r.detail().map(d -> d + "; ").orElse("") + f.detail()));
    }
}
