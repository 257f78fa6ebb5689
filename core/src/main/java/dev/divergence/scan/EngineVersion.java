package dev.divergence.scan;

/**
 * Recorded on every row so that a verdict can be audited and rescanned when the engine or its rules change.
 * Bump {@link #RULES} whenever a classification rule, normalisation or risk rule changes meaning.
 */
public final class EngineVersion {
    /**
     * 0.2.0: archives read as installers read them (gzip members, duplicates, zip layout); files.kind;
     * releases.version_order, doc_only_divergence, repository_older (every version rescanned).
     */
    public static final String ENGINE = "0.2.0";
    public static final String RULES = "2026.12.08-27";

    private EngineVersion() {
    }
}
