package dev.divergence.rebuild;

import dev.divergence.model.Ecosystem;
import java.util.Optional;

/** The rebuild strategy of each ecosystem (one line per ecosystem; moves into the ecosystem plugins later). */
public final class RebuildStrategies {

    private RebuildStrategies() {
    }

    public static Optional<RebuildStrategy> of(Ecosystem ecosystem) {
        return switch (ecosystem) {
            case MAVEN -> Optional.of(new MavenRebuild());
            case NPM -> Optional.of(new NpmRebuild());
            case PYPI -> Optional.of(new PythonRebuild());
            default -> Optional.empty();
        };
    }
}
