package dev.divergence.registry;

import dev.divergence.model.Ecosystem;

/** The four answers each ecosystem gives, in the same shape for PyPI, npm and Maven. */
public interface EcosystemSupport {

    Ecosystem ecosystem();

    Registry registry();

    Locator locator();

    Layout layout();

    GeneratedFiles generatedFiles();
}
