package dev.divergence.model;

/**
 * What a file is for, decided by its path, its ecosystem and its risk flags (see {@code compare.FileKinds}):
 * lets an analyst set aside differences that cannot run, such as a README edited at publish time. A kind never
 * changes a verdict.
 */
public enum FileKind {
    /** Runs, or is loaded by what runs: a module, a script, native code, anything with an execution flag. */
    CODE,
    /** Prose for people: README, CHANGELOG, LICENSE and the like, Markdown/reStructuredText/AsciiDoc, javadoc pages. */
    DOC,
    /** Declares the package: manifests, packaging metadata, build configuration, dependency lists. */
    METADATA,
    /** Produced by a build and shipped in place of its source: {@code BUILD_OUTPUT} rows, bytecode, source maps. */
    BUILD_OUTPUT,
    /** Tests: files under a test folder or named as tests by the ecosystem's test runners. */
    TEST,
    /** Anything else: data, images, stylesheets, templates. */
    OTHER
}
