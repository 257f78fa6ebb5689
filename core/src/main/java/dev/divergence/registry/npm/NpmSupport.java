package dev.divergence.registry.npm;

import dev.divergence.http.HttpFetcher;
import dev.divergence.model.Ecosystem;
import dev.divergence.registry.EcosystemSupport;
import dev.divergence.registry.GeneratedFiles;
import dev.divergence.registry.Layout;
import dev.divergence.registry.Locator;
import dev.divergence.registry.Registry;

/** npm's four answers. */
public final class NpmSupport implements EcosystemSupport {

    public static final String DEFAULT_BASE_URL = "https://registry.npmjs.org";
    private final NpmRegistry registry;

    public NpmSupport(String baseUrl, HttpFetcher http) {
        this.registry = new NpmRegistry(baseUrl, http);
    }

    @Override
    public Ecosystem ecosystem() {
        return Ecosystem.NPM;
    }

    @Override
    public Registry registry() {
        return registry;
    }

    @Override
    public Locator locator() {
        return new NpmLocator();
    }

    @Override
    public Layout layout() {
        return new NpmLayout();
    }

    @Override
    public GeneratedFiles generatedFiles() {
        return new NpmGeneratedFiles();
    }
}
