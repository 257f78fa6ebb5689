package dev.divergence.registry;

import dev.divergence.model.PackageId;
import dev.divergence.model.Release;
import java.util.List;

/** Lists every published version of a package with its files, digests and source hints: one metadata call. */
public interface Registry {

    /** All releases, oldest first. Throws {@link RegistryException} when the registry cannot answer. */
    List<Release> releases(PackageId pkg) throws RegistryException;

    /**
     * Adds signals that cost a call per file (PEP 740 provenance), run on executors rather than in the
     * driver's single listing call. Never fails: a missing or unreadable signal is simply absent.
     */
    default Release withPerFileSignals(Release release) {
        return release;
    }
}
