package dev.divergence.registry;

import dev.divergence.source.SourceRepository;
import dev.divergence.source.SourceTree;
import java.util.Optional;

/** Ecosystem-specific signals for tying a version to a commit: the version the manifest declares. */
public interface Locator {

    /** The version the package's manifest declares at this commit, when it can be read statically. */
    Optional<String> declaredVersion(SourceRepository repo, SourceTree tree, String packageName);
}
