package dev.divergence.model;

/** How a version was tied to a commit, strongest signal first. */
public enum RefMethod {
    /** A signed provenance statement named the commit. */
    ATTESTATION,
    /** The registry recorded the commit (npm gitHead). */
    REGISTRY_COMMIT,
    /** A tag whose name spells the version. */
    TAG,
    /** The commit where the manifest first declares the version. */
    MANIFEST_HISTORY,
    /** No other signal: the commit whose tree holds the most of the artifact's blobs. */
    BLOB_OVERLAP,
    /** No commit could be found (no repository, empty repository, nothing overlaps). */
    NONE
}
