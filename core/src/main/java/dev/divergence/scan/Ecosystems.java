package dev.divergence.scan;

import dev.divergence.http.HttpFetcher;
import dev.divergence.model.Ecosystem;
import dev.divergence.registry.EcosystemSupport;
import dev.divergence.registry.maven.MavenSupport;
import dev.divergence.registry.npm.NpmSupport;
import dev.divergence.registry.pypi.PypiSupport;
import java.io.Serializable;
import java.util.Optional;

/** Where each ecosystem's support lives; adding an ecosystem is one package and one line here. */
public final class Ecosystems {

    /** Registry base URLs (serializable: shipped to Spark executors). */
    public record Endpoints(String pypi, String npm, String maven) implements Serializable {
        public static Endpoints defaults() {
            return new Endpoints(PypiSupport.DEFAULT_BASE_URL, NpmSupport.DEFAULT_BASE_URL, MavenSupport.DEFAULT_BASE_URL);
        }
    }

    private Ecosystems() {
    }

    public static Optional<EcosystemSupport> support(Ecosystem ecosystem, Endpoints endpoints, HttpFetcher http) {
        return switch (ecosystem) {
            case PYPI -> Optional.of(new PypiSupport(endpoints.pypi(), http));
            case NPM -> Optional.of(new NpmSupport(endpoints.npm(), http));
            case MAVEN -> Optional.of(new MavenSupport(endpoints.maven(), http));
        };
    }
}
