package dev.divergence.registry.pypi;

import dev.divergence.http.HttpFetcher;
import dev.divergence.model.Ecosystem;
import dev.divergence.registry.EcosystemSupport;
import dev.divergence.registry.GeneratedFiles;
import dev.divergence.registry.Layout;
import dev.divergence.registry.Locator;
import dev.divergence.registry.Registry;

/** PyPI's four answers. */
public final class PypiSupport implements EcosystemSupport {

    public static final String DEFAULT_BASE_URL = "https://pypi.org";
    private final PypiRegistry registry;

    public PypiSupport(String baseUrl, HttpFetcher http) {
        this.registry = new PypiRegistry(baseUrl, http);
    }

    @Override
    public Ecosystem ecosystem() {
        return Ecosystem.PYPI;
    }

    @Override
    public Registry registry() {
        return registry;
    }

    @Override
    public Locator locator() {
        return new PypiLocator();
    }

    @Override
    public Layout layout() {
        return new PypiLayout();
    }

    @Override
    public GeneratedFiles generatedFiles() {
        return new PypiGeneratedFiles();
    }
}
