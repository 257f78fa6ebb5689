package dev.divergence.registry.maven;

import java.util.Optional;

/**
 * POMs Maven resolves from a repository by coordinates: a parent the tree does not hold (Apache Commons components
 * inherit their bundle plugin's instructions from {@code org.apache.commons:commons-parent} on Maven Central). The
 * bytes are a registry's answer: untrusted, parsed with external entities off, used only as Maven itself would use
 * that parent for the coordinates the source tree names.
 */
@FunctionalInterface
interface RepositoryPoms {

    /** No repository: chains end where the tree ends. */
    RepositoryPoms NONE = (group, artifact, version) -> Optional.empty();

    /** The POM deployed as {@code group:artifact:version}, or empty when absent or unreadable. */
    Optional<byte[]> pom(String group, String artifact, String version);
}
