package dev.divergence.scan;

/**
 * Recorded on every row so that a verdict can be audited and rescanned when the engine or its rules change.
 * Bump {@link #RULES} whenever a classification rule, normalisation or risk rule changes meaning.
 */
public final class EngineVersion {
    public static final String ENGINE = "0.2.0"; // 0.2.0: archives read as installers read them (gzip members, duplicates, zip layout)
    public static final String RULES = "2026.12.02-2"; // -2: no-commit judgement, per-entry ratio limit, roll-backs

    private EngineVersion() {
    }
}
