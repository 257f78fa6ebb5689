package dev.divergence.registry.maven;

import dev.divergence.http.HttpFetcher;
import dev.divergence.model.Ecosystem;
import dev.divergence.registry.EcosystemSupport;
import dev.divergence.registry.GeneratedFiles;
import dev.divergence.registry.Layout;
import dev.divergence.registry.Locator;
import dev.divergence.registry.Registry;

/** Maven Central's four answers. */
public final class MavenSupport implements EcosystemSupport {

    public static final String DEFAULT_BASE_URL = "https://repo1.maven.org/maven2";
    private final MavenRegistry registry;

    public MavenSupport(String baseUrl, HttpFetcher http) {
        this.registry = new MavenRegistry(baseUrl, http);
    }

    @Override
    public Ecosystem ecosystem() {
        return Ecosystem.MAVEN;
    }

    @Override
    public Registry registry() {
        return registry;
    }

    @Override
    public Locator locator() {
        return new MavenLocator();
    }

    @Override
    public Layout layout() {
        return new MavenLayout();
    }

    @Override
    public GeneratedFiles generatedFiles() {
        return new MavenGeneratedFiles(registry::pom);
    }
}
