package dev.divergence.registry.npm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.divergence.model.Release;
import dev.divergence.registry.Locator;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** npm declares the version in {@code package.json} (in the monorepo directory when the registry names one). */
public final class NpmLocator implements Locator {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public List<String> manifestPaths(Release release) {
        return List.of(release.hints().directory().map(d -> d + "/").orElse("") + "package.json");
    }

    @Override
    public Optional<String> versionIn(String path, byte[] content, Release release) {
        try {
            JsonNode n = JSON.readTree(content);
            return n != null && n.path("version").isTextual() ? Optional.of(n.path("version").asText()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
