package dev.divergence.registry.maven;

import dev.divergence.model.Release;
import dev.divergence.registry.Locator;
import dev.divergence.registry.RegistryException;
import java.util.List;
import java.util.Optional;
import org.w3c.dom.Element;

/**
 * A Maven project declares its version in {@code pom.xml} ({@code <version>}, else the parent's), a Maven 1
 * project in {@code project.xml} ({@code <currentVersion>}). The module
 * directory is guessed by the artifactId; the root POM comes second (single-module projects, and
 * multi-module ones whose modules share the version).
 */
public final class MavenLocator implements Locator {

    @Override
    public List<String> manifestPaths(Release release) {
        String artifactId = release.pkg().name().substring(release.pkg().name().indexOf('/') + 1);
        // Maven 1 projects (before ~2007) declare it in project.xml's <currentVersion>; a pom.xml, when both exist,
        // is what Maven 2 built from.
        return List.of(artifactId + "/pom.xml", "pom.xml", artifactId + "/project.xml", "project.xml");
    }

    @Override
    public Optional<String> versionIn(String path, byte[] content, Release release) {
        try {
            Element project = MavenRegistry.xml(content, path).getDocumentElement();
            if (path.endsWith("project.xml")) {
                return MavenRegistry.child(project, "currentVersion").filter(v -> !v.contains("${"));
            }
            return MavenRegistry.child(project, "version")
                    .or(() -> MavenRegistry.childElement(project, "parent").flatMap(p -> MavenRegistry.child(p, "version")))
                    .filter(v -> !v.contains("${"));
        } catch (RegistryException e) {
            return Optional.empty();
        }
    }
}
