package dev.divergence.compare;

import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileStatus;
import dev.divergence.model.Verdict;
import java.util.Collection;
import java.util.List;

/** Turns file rows into an artifact verdict, and artifact verdicts into a version verdict. */
public final class Verdicts {

    private Verdicts() {
    }

    public static Verdict artifact(List<FileDivergence> files) {
        boolean divergent = false;
        boolean explained = false;
        for (FileDivergence f : files) {
            if (f.highRisk()) {
                return Verdict.HIGH_RISK;
            }
            switch (f.status()) {
                case MODIFIED, PHANTOM, IN_HISTORY, IN_SUBMODULE -> divergent = true;
                case MATCH_NORMALIZED, GENERATED, BUILD_OUTPUT -> explained = true;
                default -> {
                }
            }
        }
        return divergent ? Verdict.DIVERGENT : explained ? Verdict.EXPLAINED : Verdict.CLEAN;
    }

    /** The most severe artifact verdict: one HIGH_RISK file makes the version HIGH_RISK. */
    public static Verdict release(Collection<Verdict> artifactVerdicts) {
        Verdict worst = null;
        for (Verdict v : artifactVerdicts) {
            if (worst == null || v.severity() > worst.severity()) {
                worst = v;
            }
        }
        return worst == null ? Verdict.ERROR : worst;
    }

    /**
     * Explained by name only, not by content: build output ({@code dist/}, minified bundles) and compiled classes
     * that stand for their source file. EXPLAINED counts them as explained; only a rebuild can verify their bytes,
     * so every table says how many there are ({@code unverified_files}).
     */
    public static boolean unverified(FileDivergence f) {
        return f.status() == FileStatus.BUILD_OUTPUT || (f.status() == FileStatus.GENERATED
                && dev.divergence.registry.maven.MavenGeneratedFiles.BY_NAME_ONLY.contains(f.ruleId()));
    }

    public static int unverifiedCount(Collection<FileDivergence> files) {
        return (int) files.stream().filter(Verdicts::unverified).count();
    }

    public static boolean unexplained(FileStatus s) {
        return s == FileStatus.MODIFIED || s == FileStatus.PHANTOM || s == FileStatus.IN_HISTORY
                || s == FileStatus.IN_SUBMODULE;
    }
}
