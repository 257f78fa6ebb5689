package dev.divergence.registry;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where each artifact path lives in the repository.
 *
 * @param sourcePaths artifact path to repository path; paths without an entry map nowhere
 * @param sourceScope repository path prefixes the artifact is built from ("" = whole repository); files there
 *     that the artifact does not ship are SOURCE_ONLY
 * @param note how the alignment was chosen, for the report
 */
public record Alignment(Map<String, String> sourcePaths, List<String> sourceScope, Optional<String> note) {

    public Alignment {
        sourcePaths = Map.copyOf(sourcePaths);
        sourceScope = List.copyOf(sourceScope);
    }

    public Optional<String> sourcePath(String artifactPath) {
        return Optional.ofNullable(sourcePaths.get(artifactPath));
    }

    public boolean inScope(String sourcePath) {
        for (String p : sourceScope) {
            if (p.isEmpty() || sourcePath.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
