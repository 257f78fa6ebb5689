package dev.divergence.rebuild;

/** What rebuilding one published file from its commit showed. */
public enum RebuildVerdict {
    /** The rebuilt file is bit for bit the published one (same SHA-256). */
    REPRODUCED,
    /** Equal entry by entry after the named, versioned stabilisation passes only. */
    REPRODUCED_AFTER_STABILIZE,
    /** Some entries differ even after stabilisation (named in the rows and the reason). */
    DIFFERS,
    /** The build ran and failed, or produced no such file; the log's tail is kept. Not proof of tampering. */
    BUILD_FAILED,
    /** This machine cannot build it as the release was built (a JDK, a Node, a build backend it lacks). */
    UNSUPPORTED_ENV
}
