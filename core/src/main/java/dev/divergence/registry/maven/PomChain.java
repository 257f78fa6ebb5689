package dev.divergence.registry.maven;

import dev.divergence.registry.RegistryException;
import dev.divergence.source.SourceTree;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.w3c.dom.Element;

/**
 * A module's {@code pom.xml} and the parent POMs Maven finds for it in the same tree, nearest first. Maven reads a
 * parent from {@code <parent><relativePath>} (default {@code ../pom.xml}; a folder means its {@code pom.xml}; an empty
 * element means "not on disk") and uses it only when its groupId, artifactId and version are the ones the child
 * declares; otherwise it resolves the parent from a repository, which the tree cannot tell about, so the chain stops
 * there (https://maven.apache.org/ref/current/maven-model-builder/: "parent resolution"). Paths never leave the tree.
 */
final class PomChain {

    /** One POM of the chain: its path in the tree and its {@code <project>} element. */
    record Pom(String path, Element project) {
        /** The folder holding it ("" at the root, else ending in '/'): the project's basedir. */
        String folder() {
            return path.substring(0, path.length() - "pom.xml".length());
        }
    }

    private static final int MAX_DEPTH = 16;

    private PomChain() {
    }

    /** The POM at {@code pomPath} and its parents found in the tree; empty when that POM is absent or no XML. */
    static List<Pom> of(String pomPath, SourceTree tree, Function<String, Optional<byte[]>> reader) {
        List<Pom> chain = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Optional<Element> project = read(pomPath, tree, reader);
        String path = pomPath;
        while (project.isPresent() && seen.add(path) && chain.size() < MAX_DEPTH) {
            chain.add(new Pom(path, project.get()));
            Optional<Element> parent = MavenRegistry.childElement(project.get(), "parent");
            if (parent.isEmpty()) {
                break;
            }
            Optional<String> parentPath = parentPath(path, parent.get());
            if (parentPath.isEmpty()) {
                break;
            }
            Optional<Element> candidate = read(parentPath.get(), tree, reader);
            if (candidate.isEmpty() || !declares(candidate.get(), parent.get())) {
                break;
            }
            path = parentPath.get();
            project = candidate;
        }
        return chain;
    }

    /** Where {@code <relativePath>} points from the folder of {@code childPath}, or empty if outside the tree. */
    static Optional<String> parentPath(String childPath, Element parent) {
        Optional<Element> rel = MavenRegistry.childElement(parent, "relativePath");
        String relative = rel.map(e -> e.getTextContent().trim()).orElse("../pom.xml");
        if (relative.isEmpty() || relative.contains("${")) {
            return Optional.empty();
        }
        String folder = childPath.substring(0, childPath.length() - "pom.xml".length());
        Optional<String> resolved = resolve(folder, relative);
        return resolved.map(p -> p.endsWith(".xml") ? p : (p.isEmpty() ? "" : p + "/") + "pom.xml");
    }

    /**
     * {@code relative} ('/' or '\' separated) resolved against {@code folder} ("" or ending in '/'), without a
     * trailing '/'; empty when it is absolute or climbs above the tree's root.
     */
    static Optional<String> resolve(String folder, String relative) {
        String r = relative.replace('\\', '/');
        if (r.startsWith("/") || r.matches("^[A-Za-z]:.*")) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        for (String s : (folder + r).split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (parts.isEmpty()) {
                    return Optional.empty(); // a directory escaping the repository's root is nothing the tree holds
                }
                parts.remove(parts.size() - 1);
            } else {
                parts.add(s);
            }
        }
        return Optional.of(String.join("/", parts));
    }

    /** Whether {@code project} is the parent {@code <parent>} names (its groupId may come from its own parent). */
    private static boolean declares(Element project, Element parent) {
        String group = MavenRegistry.child(project, "groupId").or(() -> MavenRegistry.childElement(project, "parent")
                .flatMap(p -> MavenRegistry.child(p, "groupId"))).orElse("");
        String version = MavenRegistry.child(project, "version").or(() -> MavenRegistry.childElement(project, "parent")
                .flatMap(p -> MavenRegistry.child(p, "version"))).orElse("");
        return group.equals(MavenRegistry.child(parent, "groupId").orElse(null))
                && MavenRegistry.child(project, "artifactId").orElse("").equals(MavenRegistry.child(parent, "artifactId").orElse(null))
                && version.equals(MavenRegistry.child(parent, "version").orElse(null));
    }

    private static Optional<Element> read(String path, SourceTree tree, Function<String, Optional<byte[]>> reader) {
        if (tree.get(path).isEmpty()) {
            return Optional.empty();
        }
        Optional<byte[]> bytes = reader.apply(path);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            Element e = MavenRegistry.xml(bytes.get(), path).getDocumentElement();
            return e.getNodeName().equals("project") ? Optional.of(e) : Optional.empty();
        } catch (RegistryException e) {
            return Optional.empty();
        }
    }
}
