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

    /** Maven 1's deploy-time version: {@code yyyyMMdd.HHmmss} (GMT) or a bare {@code yyyyMMdd}. */
    private static final java.util.regex.Pattern TIMESTAMP =
            java.util.regex.Pattern.compile("((?:19|20)\\d{6})(?:\\.(\\d{6}))?");

    /**
     * Maven 1's {@code maven jar:deploy-snapshot} named a build {@code yyyyMMdd.HHmmss} in GMT (commons-net
     * 20030623.125255: the jar's entries were written at 07:53 local time, five minutes after the commit of 12:47:39
     * UTC); projects deployed such builds, and bare {@code yyyyMMdd} dates, as versions (commons-beanutils 20020520).
     * A bare date bounds the day's end. Central records no publication time for them.
     */
    @Override
    public Optional<java.time.Instant> versionTime(Release release) {
        java.util.regex.Matcher m = TIMESTAMP.matcher(release.version().trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            java.time.LocalDate day = java.time.LocalDate.parse(m.group(1),
                    java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
            java.time.LocalTime time = m.group(2) == null ? java.time.LocalTime.MAX.withNano(0)
                    : java.time.LocalTime.parse(m.group(2), java.time.format.DateTimeFormatter.ofPattern("HHmmss"));
            return Optional.of(day.atTime(time).toInstant(java.time.ZoneOffset.UTC));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty(); // 20031399: a number, not a date
        }
    }

    /** The Ant build.xml beside the manifests: the jakarta-commons components of Maven 1's time were built by it. */
    @Override
    public List<String> otherBuildFiles(Release release) {
        String artifactId = release.pkg().name().substring(release.pkg().name().indexOf('/') + 1);
        return List.of(artifactId + "/build.xml", "build.xml");
    }

    @Override
    public Optional<String> versionIn(String path, byte[] content, Release release) {
        try {
            Element project = MavenRegistry.xml(content, path).getDocumentElement();
            if (path.equals("build.xml") || path.endsWith("/build.xml")) {
                return antVersion(project, release);
            }
            if (otherProject(project, path.endsWith("project.xml"), release).isPresent()) {
                return Optional.empty(); // another project's manifest declares nothing about this one
            }
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

    /**
     * The version an Ant build.xml declares: a top-level {@code <property name="component.version" value="1.4.1"/>}
     * (the jakarta-commons convention), {@code version}, {@code project.version} or {@code ARTIFACTID.version}, as a
     * literal (Ant: the first definition wins). Dependency versions ({@code junit.version}) are other properties.
     */
    private static Optional<String> antVersion(Element project, Release release) {
        if (!project.getNodeName().equals("project")) {
            return Optional.empty();
        }
        String artifactId = release.pkg().name().substring(release.pkg().name().indexOf('/') + 1);
        List<String> names = List.of("component.version", "version", "project.version", artifactId + ".version");
        for (org.w3c.dom.Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element p && p.getNodeName().equals("property") && names.contains(p.getAttribute("name"))
                    && p.hasAttribute("value")) {
                String v = p.getAttribute("value").trim();
                return v.isEmpty() || v.contains("${") ? Optional.empty() : Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a manifest is the released project's own: its artifactId (Maven 1: {@code <artifactId>}, else
     * {@code <id>}) is the release's, or it is an aggregator ({@code <modules>}) of the release's groupId, whose
     * modules share its version. A manifest naming no artifactId (inherited, or a property) cannot say, and counts.
     * Histories are shared: apache/commons-validator's early commits are commons-net's, whose project.xml declares
     * {@code 1.0.0} — never a version of commons-validator.
     */
    @Override
    public Optional<String> otherProject(String path, byte[] content, Release release) {
        try {
            return otherProject(MavenRegistry.xml(content, path).getDocumentElement(), path.endsWith("project.xml"),
                    release);
        } catch (RegistryException e) {
            return Optional.empty();
        }
    }

    /** The artifactId of {@code project} when it is not the release's own project (see {@link #ownProject}). */
    static Optional<String> otherProject(Element project, boolean maven1, Release release) {
        if (ownProject(project, maven1, release)) {
            return Optional.empty();
        }
        return MavenRegistry.child(project, "artifactId").or(() -> MavenRegistry.child(project, "id"));
    }

    static boolean ownProject(Element project, boolean maven1, Release release) {
        String name = release.pkg().name();
        String group = name.substring(0, Math.max(0, name.indexOf('/')));
        String artifact = name.substring(name.indexOf('/') + 1);
        Optional<String> id = MavenRegistry.child(project, "artifactId")
                .or(() -> maven1 ? MavenRegistry.child(project, "id") : Optional.empty())
                .filter(a -> !a.isBlank() && !a.contains("${"));
        if (id.isEmpty() || id.get().equalsIgnoreCase(artifact)) {
            return true;
        }
        Optional<String> groupId = MavenRegistry.child(project, "groupId")
                .or(() -> MavenRegistry.childElement(project, "parent").flatMap(p -> MavenRegistry.child(p, "groupId")));
        return !maven1 && MavenRegistry.childElement(project, "modules").isPresent()
                && groupId.map(g -> g.equals(group)).orElse(true);
    }
}
