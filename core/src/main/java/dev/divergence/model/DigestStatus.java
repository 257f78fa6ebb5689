package dev.divergence.model;

/** Outcome of checking downloaded bytes against the registry's digest. */
public enum DigestStatus {
    VERIFIED, MISMATCH, NOT_PUBLISHED, NOT_FETCHED
}
