package dev.divergence.model;

/**
 * Verdict per artifact and per version. "Could not tell" (NO_SOURCE, ERROR) is kept apart from "diverged".
 */
public enum Verdict {
    /** Every shipped file is byte-identical to the source. */
    CLEAN,
    /** Every difference is explained by a named rule (generated metadata, normalisation). */
    EXPLAINED,
    /** Some files differ without explanation, none execution-relevant with risk signals. */
    DIVERGENT,
    /** Unexplained divergence in an execution-relevant file (.pth, setup.py, code with payload signals). */
    HIGH_RISK,
    /** No repository or no commit to compare with; the reason says which. */
    NO_SOURCE,
    /** The artifact could not be fetched or read; the reason says why. */
    ERROR;

    /** Severity order used to aggregate artifacts into a version verdict. */
    public int severity() {
        return switch (this) {
            case CLEAN -> 0;
            case EXPLAINED -> 1;
            case NO_SOURCE -> 2;
            case ERROR -> 3;
            case DIVERGENT -> 4;
            case HIGH_RISK -> 5;
        };
    }
}
