package dev.divergence.registry.maven;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.maven.artifact.versioning.ComparableVersion;
import org.w3c.dom.Element;

/**
 * What a consumer's Maven reads from a POM it resolves as a dependency (maven-resolver's artifact descriptor, built
 * from the effective model): the dependencies it passes on, with their versions, scopes, {@code <optional>} and
 * {@code <exclusions>}; the versions it manages ({@code <dependencyManagement>}, BOM imports); and the
 * {@code <repositories>} Maven 3 searches for its transitive dependencies. Profiles are read too (the consumer's
 * Maven activates a dependency POM's profiles by JDK, OS or property). Plugins' dependencies, plugin repositories and
 * {@code <distributionManagement>} repositories are the project's build's, not the consumer's.
 *
 * <p>Values are interpolated as Maven's model interpolation does from the POM itself: {@code ${project.version}},
 * {@code ${project.groupId}}, {@code ${project.parent.version}} (also {@code pom.} and unprefixed), and the
 * {@code <properties>} of the project. A property the POM does not define (its parent's, the consumer's system
 * properties) is left as written, so the same expression on both sides compares equal.
 *
 * <p>See <a href="https://maven.apache.org/guides/introduction/introduction-to-dependency-mechanism.html">the
 * dependency mechanism</a> (transitive scopes, optional, exclusions, import scope).
 */
final class ConsumerPom {

    /** A dependency ({@code managed}: an entry of {@code <dependencyManagement>}), its values interpolated. */
    record Dependency(String where, String key, String version, String scope, boolean optional,
                      Set<String> exclusions, boolean managed) {
        /** Passed on to consumers: compile or runtime scope, not optional (the dependency mechanism's table). */
        boolean resolved() {
            return !managed && (scope.equals("compile") || scope.equals("runtime")) && !optional;
        }

        String coordinates() {
            return key + ":" + version;
        }
    }

    /** A {@code <repositories><repository>}: its URL and whether releases and snapshots are fetched from it. */
    record Repository(String url, boolean releases, boolean snapshots) {
    }

    /** One difference a consumer's Maven sees: the rule naming it, a description, and the fact history may hold. */
    record Change(String rule, String text, String fact) {
    }

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}$]+)}");

    final List<Dependency> dependencies = new ArrayList<>();
    final List<Repository> repositories = new ArrayList<>();
    final String version;
    /** The project's own {@code <properties>}, interpolated: a parent's managed versions may read them. */
    final Map<String, String> properties = new java.util.TreeMap<>();
    /** Profile id → its activation as written (whitespace collapsed), for profiles that bring dependencies or repositories. */
    final Map<String, String> activations = new java.util.TreeMap<>();
    /** Every {@code ${name}} the POM itself refers to. */
    final Set<String> referenced = new java.util.HashSet<>();

    private final Map<String, String> values;

    private ConsumerPom(Element project, Optional<String> releasedVersion) {
        Map<String, String> model = new HashMap<>();
        Element parent = first(project, "parent");
        String parentVersion = parent == null ? "" : text(parent, "version");
        String ownVersion = text(project, "version");
        String group = text(project, "groupId");
        if (group.isEmpty() && parent != null) {
            group = text(parent, "groupId");
        }
        Map<String, String> properties = new HashMap<>();
        Element props = first(project, "properties");
        if (props != null) {
            for (Map.Entry<String, List<Element>> e : MavenGeneratedFiles.SameModelPomRule.children(props).entrySet()) {
                properties.put(e.getKey(), e.getValue().get(0).getTextContent().trim());
            }
        }
        String version = ownVersion.isEmpty() ? parentVersion : ownVersion;
        if (releasedVersion.isPresent()) {
            // The source read as the release: its own version, whichever property spells it, is the published one
            // (the release plugin or a CI-friendly -Drevision sets it; a ${project.version} sibling follows).
            Matcher m = EXPRESSION.matcher(version);
            if (m.matches()) {
                properties.put(m.group(1), releasedVersion.get());
            }
            version = releasedVersion.get();
        }
        for (String prefix : List.of("project.", "pom.", "")) {
            model.put(prefix + "version", version);
            model.put(prefix + "groupId", group);
            model.put(prefix + "artifactId", text(project, "artifactId"));
            if (parent != null) {
                model.put(prefix + "parent.version", parentVersion);
                model.put(prefix + "parent.groupId", text(parent, "groupId"));
                model.put(prefix + "parent.artifactId", text(parent, "artifactId"));
            }
        }
        // project.* and pom.* first, then the POM's properties, then the legacy unprefixed model fields
        Map<String, String> all = new HashMap<>();
        model.forEach((k, v) -> {
            if (k.startsWith("project.") || k.startsWith("pom.")) {
                all.put(k, v);
            }
        });
        properties.forEach(all::putIfAbsent);
        model.forEach(all::putIfAbsent);
        this.values = all;
        this.version = interpolate(version);
        properties.forEach((k, v) -> this.properties.put(k, interpolate(v)));
        Matcher ref = EXPRESSION.matcher(project.getTextContent());
        while (ref.find()) {
            referenced.add(ref.group(1).trim());
        }
        List<Dependency> projectManaged = read(project, "", List.of());
        for (Element profiles : children(project, "profiles")) {
            for (Element profile : children(profiles, "profile")) {
                int before = dependencies.size() + repositories.size();
                read(profile, "profile:" + text(profile, "id"), projectManaged);
                Element activation = first(profile, "activation");
                if (dependencies.size() + repositories.size() > before) {
                    activations.put(text(profile, "id"), activation == null ? ""
                            : canonical(activation));
                }
            }
        }
    }

    /** An element's tree as text: names, trimmed values, in document order. */
    private static String canonical(Element e) {
        StringBuilder sb = new StringBuilder(MavenGeneratedFiles.SameModelPomRule.localName(e)).append('(');
        boolean any = false;
        for (org.w3c.dom.Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c) {
                sb.append(canonical(c)).append(' ');
                any = true;
            }
        }
        if (!any) {
            sb.append(e.getTextContent().trim().replaceAll("\\s+", " "));
        }
        return sb.append(')').toString();
    }

    /** The POM as a consumer resolves it. */
    static ConsumerPom of(Element project) {
        return new ConsumerPom(project, Optional.empty());
    }

    /** The source's POM read as if released at {@code version} (the published POM's own version). */
    static ConsumerPom released(Element project, String version) {
        return new ConsumerPom(project, version.isEmpty() || version.contains("${") ? Optional.empty()
                : Optional.of(version));
    }

    /** Reads one model (the project or a profile); returns its managed entries. */
    private List<Dependency> read(Element holder, String where, List<Dependency> inherited) {
        List<Dependency> managed = new ArrayList<>();
        for (Element dm : children(holder, "dependencyManagement")) {
            for (Element deps : children(dm, "dependencies")) {
                for (Element d : children(deps, "dependency")) {
                    managed.add(dependency(d, where, true, null));
                }
            }
        }
        dependencies.addAll(managed);
        List<Dependency> management = new ArrayList<>(managed);
        management.addAll(inherited); // a profile's dependency is managed by the profile, then by the project
        for (Element deps : children(holder, "dependencies")) {
            for (Element d : children(deps, "dependency")) {
                dependencies.add(dependency(d, where, false, management));
            }
        }
        for (Element repos : children(holder, "repositories")) {
            for (Element r : children(repos, "repository")) {
                if (where.isEmpty() && superPomCentral(r)) {
                    continue; // what every consumer's Maven searches already: it adds no source of artifacts
                }
                repositories.add(new Repository(url(interpolate(text(r, "url"))),
                        enabled(r, "releases"), enabled(r, "snapshots")));
            }
        }
        return managed;
    }

    /** A missing version or scope takes the same POM's managed one, as the effective model does. */
    private Dependency dependency(Element d, String where, boolean managed, List<Dependency> management) {
        String type = interpolate(text(d, "type"));
        String key = interpolate(text(d, "groupId")) + ":"
                + interpolate(text(d, "artifactId")) + ":"
                + interpolate(text(d, "classifier")) + ":" + (type.isEmpty() ? "jar" : type);
        String version = interpolate(text(d, "version"));
        String scope = interpolate(text(d, "scope"));
        Set<String> exclusions = new TreeSet<>();
        for (Element ex : children(d, "exclusions")) {
            for (Element e : children(ex, "exclusion")) {
                exclusions.add(interpolate(text(e, "groupId")) + ":"
                        + interpolate(text(e, "artifactId")));
            }
        }
        if (management != null) {
            // the first managed entry of the key fills a missing version and scope and adds its exclusions
            for (Dependency m : management) {
                if (m.key().equals(key)) {
                    version = version.isEmpty() ? m.version() : version;
                    scope = scope.isEmpty() ? m.scope() : scope;
                    exclusions.addAll(m.exclusions());
                    break;
                }
            }
        }
        return new Dependency(where, key, version, scope.isEmpty() && !managed ? "compile" : scope,
                interpolate(text(d, "optional")).equals("true"), exclusions, managed);
    }

    private boolean enabled(Element repository, String policy) {
        Element p = first(repository, policy);
        return p == null || !interpolate(text(p, "enabled")).equals("false");
    }

    /**
     * The repository Maven 2.0.x's super-POM declares, exactly as its effective-POM writer spells it (id
     * {@code central}, URL {@code http://repo1.maven.org/maven2}, snapshots disabled, no other policy): an effective
     * POM embedded by Maven 2.0 carries it (slf4j 1.1.0-beta0), and it names the central repository every consumer's
     * Maven searches anyway. Any other id, URL, policy or a layout is a repository like any other.
     */
    static boolean superPomCentral(Element r) {
        Map<String, List<Element>> c = MavenGeneratedFiles.SameModelPomRule.children(r);
        Element snapshots = first(r, "snapshots");
        boolean onlyKnown = Set.of("id", "name", "url", "snapshots").containsAll(c.keySet());
        return onlyKnown && text(r, "id").equals("central") && text(r, "url").equals("http://repo1.maven.org/maven2")
                && Set.of("", "Maven Repository Switchboard").contains(text(r, "name")) && snapshots != null
                && MavenGeneratedFiles.SameModelPomRule.children(snapshots).keySet().equals(Set.of("enabled"))
                && text(snapshots, "enabled").equals("false");
    }

    /** Maven does not tell {@code https://host/path/} from {@code https://host/path}. */
    private static String url(String url) {
        return url.replaceFirst("/+$", "");
    }

    String interpolate(String text) {
        String out = text;
        for (int round = 0; round < 10 && out.contains("${"); round++) {
            Matcher m = EXPRESSION.matcher(out);
            StringBuilder sb = new StringBuilder();
            boolean changed = false;
            while (m.find()) {
                String value = values.get(m.group(1).trim());
                changed |= value != null;
                m.appendReplacement(sb, Matcher.quoteReplacement(value != null ? value : m.group()));
            }
            m.appendTail(sb);
            out = sb.toString();
            if (!changed) {
                break;
            }
        }
        return out;
    }

    /**
     * What a consumer's Maven resolves from {@code published} that it does not from {@code source}, in the order of
     * the rules' weight: a dependency it did not resolve (added; or in the source only for tests, provided, system,
     * optional, or only managed; or of another type or classifier), a repository it did not search, another version
     * of a dependency or managed entry (a BOM import's too), an exclusion dropped or narrowed.
     */
    static List<Change> changes(ConsumerPom published, ConsumerPom source) {
        List<Change> out = new ArrayList<>();
        Set<String> added = new LinkedHashSet<>();
        for (Dependency p : published.dependencies) {
            if (!p.managed() && p.scope().equals("test")) {
                continue; // a test dependency is never passed on
            }
            List<Dependency> same = source.dependencies.stream().filter(s -> s.key().equals(p.key())
                    && s.managed() == p.managed() && !s.scope().equals("test")).toList();
            // A managed entry is known when the source has the key at all (not only for tests); a dependency when
            // the source uses it, not only manages it.
            boolean known = p.managed() ? source.dependencies.stream().anyMatch(s -> s.key().equals(p.key())
                    && !s.scope().equals("test")) : !same.isEmpty();
            if (!known) {
                if (added.add(p.coordinates())) {
                    out.add(new Change(MavenGeneratedFiles.POM_NEW_DEPENDENCY, p.coordinates(),
                            (p.managed() ? "managed " : "") + p.coordinates()));
                }
                continue;
            }
            boolean usedOnly = same.isEmpty();
            if (usedOnly) {
                // managed here, only used in the source: the managed version against the one the source uses (the
                // exclusions of the source's own dependency still apply to it)
                same = source.dependencies.stream().filter(s -> s.key().equals(p.key()) && !s.scope().equals("test"))
                        .toList();
            }
            Dependency s = same.stream().filter(x -> x.where().equals(p.where())).findFirst().orElse(same.get(0));
            String what = (p.managed() ? "managed " : "") + p.key();
            if (p.managed()) {
                if (p.scope().equals("import") && !s.scope().equals("import")) {
                    out.add(new Change(MavenGeneratedFiles.POM_NEW_DEPENDENCY, what + " now imported as a BOM",
                            "import " + p.coordinates()));
                }
            } else if (p.resolved() && !s.resolved()) {
                out.add(new Change(MavenGeneratedFiles.POM_NEW_DEPENDENCY, p.coordinates() + " now passed on to "
                        + "consumers (source: " + (s.optional() ? "optional" : "scope " + s.scope()) + ")",
                        "resolved " + p.coordinates()));
            }
            if (!(p.managed() || p.resolved())) {
                continue; // what consumers do not resolve may change freely
            }
            if (!p.version().equals(s.version()) && !releaseOf(s.version(), p.version())) {
                out.add(new Change(MavenGeneratedFiles.POM_DEPENDENCY_VERSION, what + " " + show(p.version()) + " (source: "
                        + show(s.version()) + ")", (p.managed() ? "managed " : "") + p.coordinates()));
            }
            List<String> dropped = usedOnly ? List.of() : s.exclusions().stream().filter(x -> p.exclusions().stream()
                    .noneMatch(y -> covers(y, x))).toList();
            if (!dropped.isEmpty()) {
                out.add(new Change(MavenGeneratedFiles.POM_EXCLUSION_REMOVED, what + " no longer excludes " + dropped,
                        what + " excluding " + p.exclusions()));
            }
        }
        // A profile bringing dependencies or repositories activated otherwise: consumers' Maven may now apply it.
        published.activations.forEach((id, activation) -> {
            String was = source.activations.get(id);
            if (was != null && !was.equals(activation)) {
                out.add(new Change(MavenGeneratedFiles.POM_NEW_DEPENDENCY, "profile " + id + " activated by "
                        + (activation.isEmpty() ? "nothing" : activation) + " (source: " + (was.isEmpty() ? "nothing" : was)
                        + ")", "profile " + id + " " + activation));
            }
        });
        // A property the parent's dependency management may read (the child's properties override the parent's): for
        // a dependency whose version the POM leaves to its parent, a version property set otherwise is another version.
        boolean fromParent = published.dependencies.stream().anyMatch(d -> d.version().isEmpty()
                && (d.managed() || d.resolved()));
        published.properties.forEach((name, value) -> {
            if (fromParent && name.toLowerCase(java.util.Locale.ROOT).contains("version")
                    && !published.referenced.contains(name) && !value.equals(source.properties.get(name))
                    && !releaseOf(source.properties.getOrDefault(name, ""), value)) {
                out.add(new Change(MavenGeneratedFiles.POM_DEPENDENCY_VERSION, "property " + name + " " + value
                        + " (source: " + source.properties.getOrDefault(name, "none") + "), read by the parent's "
                        + "dependency management", "property " + name + "=" + value));
            }
        });
        for (Repository r : published.repositories) {
            List<Repository> same = source.repositories.stream().filter(s -> s.url().equals(r.url())).toList();
            boolean newly = same.isEmpty() || (r.releases() && same.stream().noneMatch(Repository::releases))
                    || (r.snapshots() && same.stream().noneMatch(Repository::snapshots));
            if (newly && (r.releases() || r.snapshots())) {
                out.add(new Change(MavenGeneratedFiles.POM_NEW_REPOSITORY, r.url() + (same.isEmpty() ? "" : " (now fetching "
                        + (r.releases() && same.stream().noneMatch(Repository::releases) ? "releases" : "snapshots")
                        + ")"), r.toString()));
            }
        }
        List<String> weight = List.of(MavenGeneratedFiles.POM_NEW_DEPENDENCY, MavenGeneratedFiles.POM_NEW_REPOSITORY, MavenGeneratedFiles.POM_DEPENDENCY_VERSION,
                MavenGeneratedFiles.POM_EXCLUSION_REMOVED);
        out.sort(java.util.Comparator.comparingInt(c -> weight.indexOf(c.rule())));
        return out;
    }

    /**
     * The facts of {@link #changes} this POM states (of an earlier commit: what the project itself once declared).
     */
    Set<String> facts() {
        Set<String> out = new java.util.HashSet<>();
        for (Dependency d : dependencies) {
            if (d.managed()) {
                out.add("managed " + d.coordinates());
                out.add("managed " + d.key() + " excluding " + d.exclusions());
                if (d.scope().equals("import")) {
                    out.add("import " + d.coordinates());
                }
            } else if (!d.scope().equals("test")) {
                out.add(d.coordinates());
                if (d.resolved()) {
                    out.add("resolved " + d.coordinates());
                    out.add(d.key() + " excluding " + d.exclusions());
                }
            }
        }
        activations.forEach((id, activation) -> out.add("profile " + id + " " + activation));
        properties.forEach((name, value) -> out.add("property " + name + "=" + value));
        for (Repository r : repositories) {
            out.add(r.toString()); // its URL and the policies: enabling snapshots on a past URL is not in history
        }
        return out;
    }

    /** An exclusion covers another when each of its groupId and artifactId is the same or {@code *}. */
    private static boolean covers(String exclusion, String other) {
        String[] a = exclusion.split(":", 2);
        String[] b = other.split(":", 2);
        return a.length == 2 && b.length == 2 && (a[0].equals("*") || a[0].equals(b[0]))
                && (a[1].equals("*") || a[1].equals(b[1]));
    }

    /**
     * {@code published} is the release of the source's {@code X-SNAPSHOT}: {@code X} (Maven's order: 1.2 = 1.2.0)
     * or a pre-release of it — the release plugin's rewrite of a reactor module's dependency, or a
     * {@code ${project.version}}/{@code ${revision}} dependency resolved for the release.
     */
    static boolean releaseOf(String source, String published) {
        if (!source.endsWith("-SNAPSHOT") || published.contains("${")) {
            return false;
        }
        String base = source.substring(0, source.length() - "-SNAPSHOT".length());
        return !base.isEmpty() && (published.equals(base) || (published.matches("[0-9][0-9.]*")
                && new ComparableVersion(published).equals(new ComparableVersion(base)))
                || (published.startsWith(base + "-") && published.substring(base.length() + 1)
                .matches("(?i)(alpha|beta|rc|cr|m|milestone)[.-]?\\d{1,4}")));
    }

    private static String show(String version) {
        return version.isEmpty() ? "(none: the parent manages it)" : version;
    }

    private static Element first(Element e, String name) {
        List<Element> c = children(e, name);
        return c.isEmpty() ? null : c.get(0);
    }

    private static List<Element> children(Element e, String name) {
        return MavenGeneratedFiles.SameModelPomRule.children(e).getOrDefault(name, List.of());
    }

    private static String text(Element e, String child) {
        return MavenGeneratedFiles.DependencyReducedPom.text(e, child);
    }
}
