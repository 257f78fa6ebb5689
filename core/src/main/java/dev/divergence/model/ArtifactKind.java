package dev.divergence.model;

/** What a published file is; decides how it is read and aligned with the source. */
public enum ArtifactKind {
    SDIST, WHEEL, NPM_TARBALL, JAR, SOURCES_JAR, POM, OTHER
}
