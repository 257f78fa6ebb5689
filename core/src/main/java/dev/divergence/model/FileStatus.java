package dev.divergence.model;

/** How one file of an artifact (or of the source) relates to the other side. */
public enum FileStatus {
    /** Same bytes as the source file at the resolved commit (same git blob id). */
    MATCH,
    /** Equal after a named normalisation (line endings, version string); the rule id names it. */
    MATCH_NORMALIZED,
    /** Produced by the packaging tool (PKG-INFO, dist-info, ...); the rule id names it. */
    GENERATED,
    /** The path exists at the commit, the bytes differ and no rule explains it. */
    MODIFIED,
    /** Not at the commit, but the same blob exists in another commit of the repository. */
    IN_HISTORY,
    /** The blob exists in no commit at all and the path is not at the commit. */
    PHANTOM,
    /**
     * Only in the artifact, where build tools put their output ({@code dist/}, {@code lib/}, minified files,
     * source maps): not malware by itself, but only a rebuild can verify it.
     */
    BUILD_OUTPUT,
    /** In the source tree, not shipped (normally benign: tests, CI, docs). */
    SOURCE_ONLY,
    /** The artifact could not be compared (no commit); its hashes are still recorded. */
    UNCOMPARED,
    /**
     * Under a submodule (gitlink) of the commit whose repository at the pinned commit could not be read (the rule's
     * detail says why): its content lives in another repository. Not explained and not phantom; judged whole, as a
     * new file is. A file whose submodule can be read is MATCH, MODIFIED or PHANTOM against the pinned commit.
     */
    IN_SUBMODULE
}
