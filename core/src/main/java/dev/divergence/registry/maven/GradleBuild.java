package dev.divergence.registry.maven;

import dev.divergence.registry.GeneratedFiles.SourceView;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A repository that publishes to Maven with Gradle: its POM is written by the {@code maven-publish} plugin (or the
 * old {@code maven} plugin's {@code mavenDeployer}) from the build files at publish time, not taken from any
 * {@code pom.xml} the repository also keeps. What this class can tell from the commit's build files alone is which
 * dependencies a configuration that reaches the POM declares, with which version, as literals
 * (https://docs.gradle.org/current/userguide/publishing_maven.html). Build logic (a version computed by code, a
 * dependency added by a plugin) is not evaluated: such a dependency stays unexplained.
 */
final class GradleBuild {

    /** Configurations whose dependencies Gradle writes into the published POM (compile or runtime scope). */
    private static final String CONFIGURATIONS = "compile|implementation|api|runtime|runtimeOnly|compileOnlyApi";
    /** {@code implementation 'g:a:v'}, {@code api("g:a:$v")}: the configuration, then one quoted notation. */
    private static final Pattern STRING_NOTATION = Pattern.compile("(?m)^\\s*(?:" + CONFIGURATIONS
            + ")\\s*\\(?\\s*['\"]([^'\"\\s:]+):([^'\"\\s:]+):([^'\"\\s:@]+)['\"]");
    /** {@code compile group: 'g', name: 'a', version: 'v'} (Groovy's map notation, that order). */
    private static final Pattern MAP_NOTATION = Pattern.compile("(?m)^\\s*(?:" + CONFIGURATIONS
            + ")\\s*\\(?\\s*group\\s*:\\s*['\"]([^'\"]+)['\"]\\s*,\\s*name\\s*:\\s*['\"]([^'\"]+)['\"]\\s*,\\s*version\\s*:"
            + "\\s*['\"]([^'\"]+)['\"]");
    /** {@code implementation project(':core')}: a module of the same build, published at the release's version. */
    private static final Pattern PROJECT_NOTATION = Pattern.compile("(?m)^\\s*(?:" + CONFIGURATIONS
            + ")\\s*\\(?\\s*project\\s*\\(\\s*(?:path\\s*:\\s*)?['\"]:?([^'\"]+)['\"]");
    /** {@code groovyVersion = '2.4.10'}, {@code val x = "1.2"}, {@code ext.x = '1'}, gradle.properties' {@code x=1}. */
    private static final Pattern ASSIGNMENT = Pattern.compile("(?m)^\\s*(?:(?:def|val|var|ext\\.)\\s*)?([A-Za-z_][A-Za-z0-9_.]*)"
            + "\\s*[=:]\\s*['\"]?([A-Za-z0-9_.+-]+)['\"]?\\s*$");
    /** Element names a dependency Gradle writes may have: coordinates, scope, optional, exclusions. */
    private static final Set<String> DEPENDENCY_ELEMENTS = Set.of("groupId", "artifactId", "version", "scope",
            "optional", "exclusions");
    /** {@code $name} or {@code ${name}}, the whole of a notation's version. */
    private static final Pattern VARIABLE = Pattern.compile("^\\$\\{?([A-Za-z_][A-Za-z0-9_.]*)\\}?$");
    private static final int MAX_FILES = 200;
    private static final int MAX_BYTES = 1 << 20;

    private final String publishingFile;
    private final String text;
    private final Map<String, String> assignments;
    private final String releaseVersion;

    private GradleBuild(String publishingFile, String text, Map<String, String> assignments, String releaseVersion) {
        this.publishingFile = publishingFile;
        this.text = text;
        this.assignments = assignments;
        this.releaseVersion = releaseVersion;
    }

    /** The build file that applies Maven publishing. */
    String publishingFile() {
        return publishingFile;
    }

    /**
     * The commit's Gradle build when one of its build scripts publishes to Maven ({@code maven-publish},
     * {@code MavenPublication}, {@code mavenDeployer}); empty for any other repository.
     */
    static Optional<GradleBuild> publishing(SourceView view, String releaseVersion) {
        List<String> files = view.tree().files().keySet().stream()
                .filter(p -> p.endsWith(".gradle") || p.endsWith(".gradle.kts") || p.equals("gradle.properties")
                        || p.endsWith("/gradle.properties"))
                .filter(p -> !TestSources.contains(p))
                .sorted().limit(MAX_FILES).toList();
        if (files.stream().noneMatch(p -> p.endsWith(".gradle") || p.endsWith(".gradle.kts"))) {
            return Optional.empty();
        }
        String publishing = null;
        StringBuilder all = new StringBuilder();
        Map<String, String> assignments = new LinkedHashMap<>();
        for (String p : files) {
            Optional<byte[]> b = view.sourceBytes(p).filter(x -> x.length <= MAX_BYTES);
            if (b.isEmpty()) {
                continue;
            }
            String t = new String(b.get(), StandardCharsets.UTF_8);
            if (publishing == null && !p.endsWith("gradle.properties") && (t.contains("maven-publish")
                    || t.contains("MavenPublication") || t.contains("mavenDeployer"))) {
                publishing = p;
            }
            all.append(t).append('\n');
            Matcher m = ASSIGNMENT.matcher(t);
            while (m.find()) {
                String name = m.group(1).replaceFirst("^ext\\.", "");
                // a name assigned two different values cannot be told apart without running the build
                assignments.merge(name, m.group(2), (x, y) -> x.equals(y) ? x : "");
            }
        }
        return publishing == null ? Optional.empty()
                : Optional.of(new GradleBuild(publishing, all.toString(), assignments, releaseVersion));
    }

    /**
     * Whether every dependency of a published POM's {@code <dependencies>} is one Gradle writes from these build
     * files: a test-scoped one (never resolved by consumers), or one a configuration reaching the POM declares with
     * the same group, artifact and version — as a literal, or a variable the build files assign that literal once —
     * or a module of the same build ({@code project(':a')}) in the release's own group and version.
     */
    boolean declaresAll(org.w3c.dom.Element dependencies, String ownGroup) {
        List<String[]> declared = new ArrayList<>();
        for (Pattern p : List.of(STRING_NOTATION, MAP_NOTATION)) {
            Matcher m = p.matcher(text);
            while (m.find()) {
                declared.add(new String[] {m.group(1), m.group(2), version(m.group(3))});
            }
        }
        List<String> modules = new ArrayList<>();
        Matcher pm = PROJECT_NOTATION.matcher(text);
        while (pm.find()) {
            String path = pm.group(1);
            modules.add(path.substring(path.lastIndexOf(':') + 1));
        }
        for (org.w3c.dom.Node n = dependencies.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof org.w3c.dom.Element d)) {
                continue;
            }
            if (!d.getNodeName().equals("dependency")) {
                return false;
            }
            for (org.w3c.dom.Node c = d.getFirstChild(); c != null; c = c.getNextSibling()) {
                if (c instanceof org.w3c.dom.Element x && !DEPENDENCY_ELEMENTS.contains(x.getNodeName())) {
                    return false; // a classifier, a type, a systemPath: another artifact than the notation names
                }
            }
            String scope = MavenRegistry.child(d, "scope").orElse("compile").strip();
            String g = MavenRegistry.child(d, "groupId").orElse("").strip();
            String a = MavenRegistry.child(d, "artifactId").orElse("").strip();
            String v = MavenRegistry.child(d, "version").orElse("").strip();
            if (!Set.of("compile", "runtime", "test").contains(scope) || g.isEmpty() || a.isEmpty() || v.isEmpty()) {
                return false;
            }
            if (scope.equals("test")) {
                continue;
            }
            boolean found = declared.stream().anyMatch(x -> x[0].equals(g) && x[1].equals(a) && x[2].equals(v))
                    || (v.equals(releaseVersion) && g.equals(ownGroup) && modules.contains(a));
            if (!found) {
                return false;
            }
        }
        return true;
    }

    /** A notation's version: a literal, or {@code $x}/{@code ${x}} resolved from a single literal assignment. */
    private String version(String written) {
        Matcher m = VARIABLE.matcher(written);
        if (!m.matches()) {
            return written.contains("$") ? "" : written;
        }
        String name = m.group(1).replaceFirst("^(project|rootProject)\\.", "").replaceFirst("^ext\\.", "");
        return assignments.getOrDefault(name, "");
    }
}
