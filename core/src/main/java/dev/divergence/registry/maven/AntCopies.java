package dev.divergence.registry.maven;

import dev.divergence.registry.RegistryException;
import dev.divergence.source.SourceTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.w3c.dom.Element;

/**
 * Files a Maven 1 {@code maven.xml} or an Ant {@code build.xml} of the module copies into the classes folder the jar is
 * made from, read as {@link MavenResources.Resource}s: {@code <copy todir="${maven.build.dir}/classes/T">} with a
 * {@code <fileset dir=D includes=.. excludes=..>} (or nested {@code <include name=..>}) or a {@code file=F}
 * (commons-validator copies {@code conf/share/validator*.dtd} into {@code org/apache/commons/validator/resources/}).
 * See https://ant.apache.org/manual/Tasks/copy.html. Properties are those the file defines with
 * {@code <property name= value=>} plus {@code basedir} and Maven 1's {@code maven.build.dir}/{@code maven.build.dest};
 * a copy naming any other property, or leaving the repository, is not followed.
 */
final class AntCopies {

    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}$]+)}");
    /** The classes folder a jar is packed from, after properties: {@code target/classes}, {@code build/classes}. */
    private static final Pattern CLASSES = Pattern.compile("^(?:\\./)?(?:target|build)/classes(?:/(.*))?$");

    private AntCopies() {
    }

    /**
     * The copies into the jar's classes folder that the maven.xml and build.xml of {@code module}, or of the nearest
     * folder above it holding either (old layouts' source roots such as {@code src/share/} read as the module), declare.
     */
    static List<MavenResources.Resource> of(String module, SourceTree tree, Function<String, Optional<byte[]>> reader) {
        String folder = module;
        while (!folder.isEmpty() && tree.get(folder + "maven.xml").isEmpty() && tree.get(folder + "build.xml").isEmpty()) {
            int slash = folder.lastIndexOf('/', folder.length() - 2);
            folder = slash < 0 ? "" : folder.substring(0, slash + 1);
        }
        return declared(folder, tree, reader);
    }

    /**
     * The jar paths (under the classes folder) that the module's build.xml/maven.xml fills with
     * {@code <copy file=F tofile=T>} from a file F outside the repository (Jakarta Commons' Ant builds copy
     * {@code ../LICENSE}, the shared license of the CVS tree above each component, to
     * {@code ${build.home}/classes/META-INF/LICENSE.txt}), each with F as written: nothing the repository holds can
     * verify them.
     */
    static Map<String, String> fromOutside(String module, SourceTree tree, Function<String, Optional<byte[]>> reader) {
        String folder = module;
        while (!folder.isEmpty() && tree.get(folder + "maven.xml").isEmpty() && tree.get(folder + "build.xml").isEmpty()) {
            int slash = folder.lastIndexOf('/', folder.length() - 2);
            folder = slash < 0 ? "" : folder.substring(0, slash + 1);
        }
        Map<String, String> out = new HashMap<>();
        String base = folder;
        forEachCopy(folder, tree, reader, (copy, properties) -> {
            if (!copy.hasAttribute("file") || !copy.hasAttribute("tofile")) {
                return;
            }
            Optional<String> file = resolve(copy.getAttribute("file"), properties);
            Matcher into = resolve(copy.getAttribute("tofile"), properties).map(CLASSES::matcher)
                    .filter(Matcher::matches).orElse(null);
            if (file.isPresent() && into != null && into.group(1) != null
                    && PomChain.resolve(base, file.get()).isEmpty()) {
                out.putIfAbsent(into.group(1), file.get());
            }
        });
        return out;
    }

    private static List<MavenResources.Resource> declared(String module, SourceTree tree,
                                                          Function<String, Optional<byte[]>> reader) {
        List<MavenResources.Resource> out = new ArrayList<>();
        forEachCopy(module, tree, reader, (copy, properties) -> copies(module, copy, properties).forEach(out::add));
        return out;
    }

    /** Each {@code <copy>} of the module's maven.xml and build.xml, with the properties of its file. */
    private static void forEachCopy(String module, SourceTree tree, Function<String, Optional<byte[]>> reader,
                                    java.util.function.BiConsumer<Element, Map<String, String>> each) {
        for (String name : List.of("maven.xml", "build.xml")) {
            String path = module + name;
            Optional<byte[]> bytes = tree.get(path).isPresent() ? reader.apply(path) : Optional.empty();
            if (bytes.isEmpty()) {
                continue;
            }
            try {
                Element root = MavenRegistry.xml(bytes.get(), path).getDocumentElement();
                Map<String, String> properties = new HashMap<>(Map.of("basedir", ".", "maven.build.dir", "target",
                        "maven.build.dest", "target/classes"));
                for (Element p : descendants(root, "property")) {
                    if (p.hasAttribute("name") && p.hasAttribute("value")) {
                        properties.putIfAbsent(p.getAttribute("name"), p.getAttribute("value")); // Ant: first wins
                    }
                }
                for (Element copy : descendants(root, "copy")) {
                    each.accept(copy, properties);
                }
            } catch (RegistryException e) {
                // not XML the parser accepts (a DOCTYPE, Jelly entities): it declares nothing here
            }
        }
    }

    private static List<MavenResources.Resource> copies(String module, Element copy, Map<String, String> properties) {
        Optional<String> todir = resolve(copy.getAttribute("todir"), properties);
        Matcher classes = todir.map(CLASSES::matcher).filter(Matcher::matches).orElse(null);
        if (classes == null) {
            return List.of();
        }
        String rest = classes.group(1) == null ? "" : classes.group(1).replaceAll("/+$", "");
        String target = rest.isEmpty() ? "" : rest + "/";
        List<MavenResources.Resource> out = new ArrayList<>();
        if (copy.hasAttribute("file")) {
            Optional<String> file = resolve(copy.getAttribute("file"), properties)
                    .flatMap(f -> PomChain.resolve(module, f));
            file.filter(f -> !f.isEmpty()).ifPresent(f -> {
                int slash = f.lastIndexOf('/');
                out.add(new MavenResources.Resource(slash < 0 ? "" : f.substring(0, slash + 1), target,
                        List.of(Pattern.compile(Pattern.quote(f.substring(slash + 1)))), List.of()));
            });
        }
        for (Element fileset : descendants(copy, "fileset")) {
            Optional<String> dir = resolve(fileset.getAttribute("dir"), properties).filter(d -> !d.isEmpty())
                    .flatMap(d -> PomChain.resolve(module, d));
            if (dir.isEmpty()) {
                continue;
            }
            List<Pattern> includes = new ArrayList<>(patterns(fileset.getAttribute("includes")));
            List<Pattern> excludes = new ArrayList<>(patterns(fileset.getAttribute("excludes")));
            for (Element i : descendants(fileset, "include")) {
                includes.addAll(patterns(i.getAttribute("name")));
            }
            for (Element x : descendants(fileset, "exclude")) {
                excludes.addAll(patterns(x.getAttribute("name")));
            }
            out.add(new MavenResources.Resource(dir.get().isEmpty() ? "" : dir.get() + "/", target,
                    includes.isEmpty() ? List.of(MavenResources.antPattern("**")) : includes, excludes));
        }
        return out;
    }

    /** An Ant pattern list: comma- or space-separated. */
    private static List<Pattern> patterns(String list) {
        List<Pattern> out = new ArrayList<>();
        for (String p : list.split("[,\\s]+")) {
            if (!p.isEmpty() && !p.contains("${")) {
                out.add(MavenResources.antPattern(p));
            }
        }
        return out;
    }

    /** {@code value} with its properties replaced (recursively, bounded); empty if one is unknown. */
    static Optional<String> resolve(String value, Map<String, String> properties) {
        String out = value;
        for (int round = 0; round < 8 && out.contains("${"); round++) {
            Matcher m = PROPERTY.matcher(out);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String v = properties.get(m.group(1).trim());
                if (v == null) {
                    return Optional.empty();
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(v));
            }
            m.appendTail(sb);
            out = sb.toString();
        }
        return out.contains("${") ? Optional.empty() : Optional.of(out.replace('\\', '/').replaceAll("^(\\./)+", ""));
    }

    /** Elements named {@code name} (any namespace prefix, e.g. {@code ant:copy}) below {@code root}. */
    static List<Element> descendants(Element root, String name) {
        List<Element> out = new ArrayList<>();
        org.w3c.dom.NodeList all = root.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            String n = e.getNodeName();
            if (n.substring(n.indexOf(':') + 1).equals(name)) {
                out.add(e);
            }
        }
        return out;
    }
}
