package dev.divergence.registry.maven;

import dev.divergence.registry.RegistryException;
import dev.divergence.source.SourceTree;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The manifest headers bnd copies from a module's build instructions, as the effective POM gives them: the module's
 * {@code pom.xml}, its parents in the tree ({@link PomChain}) and then the parents Maven resolves from the repository
 * ({@link RepositoryPoms}), nearest first. Instructions come from maven-bundle-plugin's {@code <instructions>}
 * (https://felix.apache.org/documentation/subprojects/apache-felix-maven-bundle-plugin-bnd.html) or bnd-maven-plugin's
 * bnd file / {@code <bnd>} block, with Maven's model interpolation ({@code ${property}} from the chain's
 * {@code <properties>}, nearest first, and {@code ${project.groupId|artifactId|version}}) applied. bnd writes a header
 * it does not compute (every one but Import-/Export-/Private-Package and Bundle-ClassPath) as its instruction's value:
 * the only changes on the way are Plexus trimming the element's text and maven-bundle-plugin dropping its line breaks
 * ({@code [\r\n]} before 2.x, {@code \p{Blank}*[\r\n]\p{Blank}*} since) — so a value is explained only when it is
 * exactly one of those. An expression no POM of the chain defines (a system, settings or CI property) explains nothing.
 *
 * <p>Which instruction wins follows Maven's inheritance: a nearer POM's element replaces a farther one's (a
 * {@code combine.self="override"} configuration stops inheritance there; a parent's {@code <inherited>false} plugin is
 * not inherited), a plugin's own configuration wins over {@code <pluginManagement>}'s, and a profile's instruction is
 * one more value the build may write (the release may have run it). The plugin must run: declared under
 * {@code <build><plugins>} of some POM of the chain.
 */
final class BundleInstructions {

    private static final int MAX_DEPTH = 16;
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}$]+)}");
    private static final String BUNDLE_PLUGIN = "maven-bundle-plugin";
    private static final String BND_PLUGIN = "bnd-maven-plugin";

    /** The POMs of the effective model, nearest first: the module's, then its parents. */
    private final List<Element> chain;
    /** The module's folder in the tree ("" or ending in '/'): where bnd-maven-plugin reads its bnd file. */
    private final String module;
    private final Map<String, String> values;

    private BundleInstructions(List<Element> chain, String module, String releasedVersion) {
        this.chain = chain;
        this.module = module;
        this.values = values(chain, releasedVersion);
    }

    /**
     * The instructions of the module whose {@code pom.xml} is at {@code pomPath}, parents beyond the tree read from
     * {@code repository}; empty when that POM cannot be read.
     */
    static Optional<BundleInstructions> of(String pomPath, SourceTree tree, Function<String, Optional<byte[]>> reader,
                                           RepositoryPoms repository, String releasedVersion) {
        List<PomChain.Pom> inTree = PomChain.of(pomPath, tree, reader);
        if (inTree.isEmpty()) {
            return Optional.empty();
        }
        List<Element> chain = new ArrayList<>();
        inTree.forEach(p -> chain.add(p.project()));
        Set<String> seen = new HashSet<>();
        Element last = chain.get(chain.size() - 1);
        while (chain.size() < MAX_DEPTH) {
            Optional<Element> parent = MavenRegistry.childElement(last, "parent");
            if (parent.isEmpty()) {
                break;
            }
            String g = MavenRegistry.child(parent.get(), "groupId").orElse("");
            String a = MavenRegistry.child(parent.get(), "artifactId").orElse("");
            String v = MavenRegistry.child(parent.get(), "version").orElse("");
            Optional<Element> fetched = seen.add(g + ":" + a + ":" + v)
                    ? repository.pom(g, a, v).flatMap(b -> project(b, g, a, v)) : Optional.empty();
            if (fetched.isEmpty()) {
                break;
            }
            chain.add(fetched.get());
            last = fetched.get();
        }
        String module = pomPath.substring(0, pomPath.length() - "pom.xml".length());
        return Optional.of(new BundleInstructions(List.copyOf(chain), module, releasedVersion));
    }

    /** A repository's POM, when it is the project the coordinates name (anything else is not what Maven would use). */
    private static Optional<Element> project(byte[] bytes, String group, String artifact, String version) {
        try {
            Element p = MavenRegistry.xml(bytes, group + ":" + artifact + ":" + version).getDocumentElement();
            String g = MavenRegistry.child(p, "groupId").or(() -> MavenRegistry.childElement(p, "parent")
                    .flatMap(x -> MavenRegistry.child(x, "groupId"))).orElse("");
            String v = MavenRegistry.child(p, "version").or(() -> MavenRegistry.childElement(p, "parent")
                    .flatMap(x -> MavenRegistry.child(x, "version"))).orElse("");
            return p.getNodeName().equals("project") && g.equals(group) && v.equals(version)
                    && MavenRegistry.child(p, "artifactId").orElse("").equals(artifact) ? Optional.of(p) : Optional.empty();
        } catch (RegistryException e) {
            return Optional.empty();
        }
    }

    /** Whether bnd, run by this build, writes {@code header} (any case) with exactly {@code value}. */
    boolean writes(String header, String value, Function<String, Optional<String>> text) {
        return bundlePluginValues(header).contains(value) || bndPluginValues(header, text).contains(value);
    }

    /**
     * Whether bnd, run by this build, copies the module's sources into the bundle under {@code OSGI-OPT/src/}: its
     * {@code -sources} instruction set to true (maven-bundle-plugin's {@code <_sources>true</_sources>}, a bnd file's
     * {@code -sources: true}); maven-bundle-plugin hands bnd the compile source roots as its source path
     * (https://bnd.bndtools.org/instructions/sources.html).
     */
    boolean includesSources(Function<String, Optional<String>> text) {
        return bundlePluginValues("_sources").stream().anyMatch(v -> v.equalsIgnoreCase("true"))
                || bndPluginValues("-sources", text).stream().anyMatch(v -> v.equalsIgnoreCase("true"));
    }

    /** maven-bundle-plugin's possible values of {@code header}, interpolated and with its line breaks dropped. */
    Set<String> bundlePluginValues(String header) {
        if (!runs(BUNDLE_PLUGIN)) {
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>();
        List<String> raw = new ArrayList<>(nearest(header, "plugins", BUNDLE_PLUGIN));
        if (raw.isEmpty()) {
            raw.addAll(nearest(header, "pluginManagement", BUNDLE_PLUGIN));
        }
        raw.addAll(inProfiles(header, BUNDLE_PLUGIN));
        for (String r : raw) {
            interpolate(r.strip()).ifPresent(v -> {
                out.add(v.replaceAll("[\r\n]", "").strip());
                out.add(v.replaceAll("\\p{Blank}*[\r\n]\\p{Blank}*", "").strip());
            });
        }
        return out;
    }

    /**
     * bnd-maven-plugin's value of {@code header}: from the module's bnd file ({@code <bndfile>}, else
     * {@code bnd.bnd} beside the POM) when the tree holds one, else from the nearest {@code <bnd>} block; its own
     * properties and the POM's fill its {@code ${...}}.
     */
    Set<String> bndPluginValues(String header, Function<String, Optional<String>> text) {
        if (!runs(BND_PLUGIN)) {
            return Set.of();
        }
        Optional<String> configured = configured(BND_PLUGIN, "bndfile");
        Optional<String> bndFile = (configured.isPresent()
                ? configured.flatMap(this::interpolate).flatMap(f -> PomChain.resolve(module, f.strip()))
                : Optional.of(module + "bnd.bnd")).flatMap(text);
        Optional<String> bnd = bndFile.or(() -> configured(BND_PLUGIN, "bnd"));
        if (bnd.isEmpty()) {
            return Set.of();
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(bnd.get()));
        } catch (IOException | IllegalArgumentException e) {
            return Set.of();
        }
        Map<String, String> own = new HashMap<>(values);
        p.stringPropertyNames().forEach(k -> own.put(k, p.getProperty(k)));
        Set<String> out = new LinkedHashSet<>();
        for (String k : p.stringPropertyNames()) {
            if (k.equalsIgnoreCase(header)) {
                interpolate(p.getProperty(k), own).map(String::strip).ifPresent(out::add);
            }
        }
        return out;
    }

    /** Whether some POM of the chain (or one of its profiles) declares {@code plugin} under build/plugins. */
    private boolean runs(String plugin) {
        for (int i = 0; i < chain.size(); i++) {
            for (Element build : builds(chain.get(i))) {
                for (Element p : plugins(build, "plugins", plugin)) {
                    if (i == 0 || inherited(p)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * The raw instruction texts for {@code header} from the nearest POM (main build only) whose {@code section}
     * configures it, the plugin-level and execution-level configurations alike; a nearer
     * {@code combine.self="override"} configuration or instructions element hides the farther POMs.
     */
    private List<String> nearest(String header, String section, String plugin) {
        for (int i = 0; i < chain.size(); i++) {
            List<String> found = new ArrayList<>();
            boolean override = false;
            for (Element p : MavenRegistry.childElement(chain.get(i), "build").map(b -> plugins(b, section, plugin))
                    .orElse(List.of())) {
                if (i > 0 && !inherited(p)) {
                    continue;
                }
                for (Element config : configurations(p)) {
                    Optional<Element> instructions = MavenRegistry.childElement(config, "instructions");
                    override |= overrides(config) || instructions.map(BundleInstructions::overrides).orElse(false);
                    instructions.ifPresent(in -> instruction(in, header).ifPresent(found::add));
                }
            }
            if (!found.isEmpty() || override) {
                return found;
            }
        }
        return List.of();
    }

    /** Instruction texts for {@code header} in any profile of any POM of the chain. */
    private List<String> inProfiles(String header, String plugin) {
        List<String> out = new ArrayList<>();
        for (Element pom : chain) {
            for (Element build : builds(pom).subList(1, builds(pom).size())) {
                for (String section : List.of("plugins", "pluginManagement")) {
                    for (Element p : plugins(build, section, plugin)) {
                        for (Element config : configurations(p)) {
                            MavenRegistry.childElement(config, "instructions").flatMap(in -> instruction(in, header))
                                    .ifPresent(out::add);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** A plugin configuration's {@code <name>} text, nearest POM first, plugins before pluginManagement. */
    private Optional<String> configured(String plugin, String name) {
        for (String section : List.of("plugins", "pluginManagement")) {
            for (Element pom : chain) {
                for (Element p : MavenRegistry.childElement(pom, "build").map(b -> plugins(b, section, plugin))
                        .orElse(List.of())) {
                    for (Element config : configurations(p)) {
                        Optional<String> v = MavenRegistry.childElement(config, name).map(Node::getTextContent);
                        if (v.isPresent()) {
                            return v;
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The project's {@code <build>} first, then each profile's. */
    private static List<Element> builds(Element project) {
        List<Element> out = new ArrayList<>();
        out.add(MavenRegistry.childElement(project, "build").orElse(project.getOwnerDocument().createElement("build")));
        MavenRegistry.childElement(project, "profiles").ifPresent(ps -> elements(ps, "profile").forEach(
                p -> MavenRegistry.childElement(p, "build").ifPresent(out::add)));
        return out;
    }

    /** The {@code plugin} elements of {@code build/<section>/plugins} (or {@code build/plugins}) naming {@code artifact}. */
    private static List<Element> plugins(Element build, String section, String artifact) {
        Optional<Element> container = section.equals("plugins") ? Optional.of(build)
                : MavenRegistry.childElement(build, section);
        return container.flatMap(c -> MavenRegistry.childElement(c, "plugins")).map(ps -> elements(ps, "plugin")
                .stream().filter(p -> MavenRegistry.child(p, "artifactId").orElse("").equals(artifact)).toList())
                .orElse(List.of());
    }

    private static boolean inherited(Element plugin) {
        return !MavenRegistry.child(plugin, "inherited").orElse("true").equalsIgnoreCase("false");
    }

    private static boolean overrides(Element e) {
        return e.getAttribute("combine.self").equals("override");
    }

    /** The plugin's {@code <configuration>} and each execution's. */
    private static List<Element> configurations(Element plugin) {
        List<Element> out = new ArrayList<>();
        MavenRegistry.childElement(plugin, "configuration").ifPresent(out::add);
        MavenRegistry.childElement(plugin, "executions").ifPresent(es -> elements(es, "execution").forEach(
                e -> MavenRegistry.childElement(e, "configuration").ifPresent(out::add)));
        return out;
    }

    /** The text of the instruction element named {@code header}, whatever its case (bnd copies it under that name). */
    private static Optional<String> instruction(Element instructions, String header) {
        return elements(instructions, null).stream().filter(e -> e.getNodeName().equalsIgnoreCase(header))
                .map(Node::getTextContent).reduce((first, second) -> second); // Plexus keeps the last duplicate
    }

    private static List<Element> elements(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && (name == null || e.getNodeName().equals(name))) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * What {@code ${name}} means in the effective model: {@code project.}/{@code pom.} fields of the module (groupId
     * and version inherited from its {@code <parent>}; a version still holding an expression is the released one),
     * then the chain's properties, nearest first, then the legacy unprefixed fields.
     */
    private static Map<String, String> values(List<Element> chain, String releasedVersion) {
        Element module = chain.get(0);
        Optional<Element> parent = MavenRegistry.childElement(module, "parent");
        Map<String, String> fields = new HashMap<>();
        String group = MavenRegistry.child(module, "groupId").or(() -> parent.flatMap(p -> MavenRegistry.child(p, "groupId")))
                .orElse("");
        String version = MavenRegistry.child(module, "version").or(() -> parent.flatMap(p -> MavenRegistry.child(p, "version")))
                .orElse(releasedVersion);
        fields.put("groupId", group);
        fields.put("artifactId", MavenRegistry.child(module, "artifactId").orElse(""));
        fields.put("version", version.contains("${") ? releasedVersion : version);
        parent.ifPresent(p -> {
            for (String f : List.of("groupId", "artifactId", "version")) {
                MavenRegistry.child(p, f).ifPresent(v -> fields.put("parent." + f, v));
            }
        });
        Map<String, String> out = new HashMap<>();
        fields.forEach((k, v) -> {
            out.put("project." + k, v);
            out.put("pom." + k, v);
        });
        for (Element pom : chain) {
            MavenRegistry.childElement(pom, "properties").ifPresent(props -> {
                for (Element e : elements(props, null)) {
                    out.putIfAbsent(e.getNodeName(), e.getTextContent().strip());
                }
            });
        }
        fields.forEach(out::putIfAbsent);
        return out;
    }

    Optional<String> interpolate(String text) {
        return interpolate(text, values);
    }

    /** {@code text} with every {@code ${name}} replaced, recursively; empty when one has no value (or loops). */
    static Optional<String> interpolate(String text, Map<String, String> values) {
        String out = text;
        for (int round = 0; round < 10; round++) {
            Matcher m = EXPRESSION.matcher(out);
            if (!m.find()) {
                return out.contains("${") ? Optional.empty() : Optional.of(out);
            }
            StringBuilder sb = new StringBuilder();
            m.reset();
            while (m.find()) {
                String v = values.get(m.group(1).strip());
                if (v == null) {
                    return Optional.empty();
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(v));
            }
            m.appendTail(sb);
            out = sb.toString();
        }
        return Optional.empty();
    }
}
