package dev.divergence.registry.maven;

import dev.divergence.registry.RegistryException;
import dev.divergence.source.SourceTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.w3c.dom.Element;

/**
 * The Java source roots a module's build compiles into its jar, as its build files name them: a POM's
 * {@code <build><sourceDirectory>} (inherited, https://maven.apache.org/pom.html#Build_Element) and
 * build-helper-maven-plugin's {@code add-source} {@code <sources>}; a Maven 1 {@code project.xml}'s
 * {@code <build><sourceDirectory>} (or that of the {@code <extend>}ed one); an Ant {@code build.xml}'s
 * {@code <javac srcdir=..>} and nested {@code <src path=..>}, with the sub-builds it runs by
 * {@code <ant antfile=.. dir=..>} (commons-beanutils 1.7's {@code optional/bean-collections/build.xml} compiles its own
 * {@code src/java} and updates the main jar with it). See https://ant.apache.org/manual/Tasks/javac.html and
 * https://ant.apache.org/manual/Tasks/ant.html.
 *
 * <p>Only roots the build names count: a folder of the tree that merely holds a same-named file (a test copy, an
 * example) is no root. A javac writing to a test folder, a root under test or example folders ({@link TestSources})
 * and a path with an unknown property or leaving the repository are left out.
 */
final class SourceRoots {

    private static final int MAX_BUILD_FILES = 8;
    /** A javac output folder for tests: a path segment naming tests. */
    private static final java.util.regex.Pattern TEST_OUTPUT = java.util.regex.Pattern.compile(
            "(?i)(?:^|/)[^/]*test[^/]*(?:/|$)");

    private SourceRoots() {
    }

    /** The roots ("" or ending in '/'), in the order the build files name them, without duplicates. */
    static List<String> declared(String module, SourceTree tree, Function<String, Optional<byte[]>> reader) {
        Set<String> out = new LinkedHashSet<>();
        maven2(module, tree, reader, out);
        maven1(module, tree, reader, out);
        String folder = module;
        while (!folder.isEmpty() && tree.get(folder + "build.xml").isEmpty()) {
            int slash = folder.lastIndexOf('/', folder.length() - 2);
            folder = slash < 0 ? "" : folder.substring(0, slash + 1);
        }
        ant(folder + "build.xml", Optional.empty(), tree, reader, out, new LinkedHashSet<>());
        return out.stream().filter(r -> !TestSources.contains(r + "X.java")).toList();
    }

    private static void maven2(String module, SourceTree tree, Function<String, Optional<byte[]>> reader, Set<String> out) {
        List<PomChain.Pom> chain = PomChain.of(module + "pom.xml", tree, reader);
        for (PomChain.Pom pom : chain) {
            Optional<String> dir = MavenRegistry.childElement(pom.project(), "build")
                    .flatMap(b -> MavenRegistry.child(b, "sourceDirectory"));
            if (dir.isPresent()) { // inherited whole, resolved against the module's own basedir
                basedirRelative(dir.get()).flatMap(d -> PomChain.resolve(module, d)).ifPresent(r -> add(out, r));
                break;
            }
        }
        for (PomChain.Pom pom : chain) {
            Optional<Element> plugins = MavenRegistry.childElement(pom.project(), "build")
                    .flatMap(b -> MavenRegistry.childElement(b, "plugins"));
            for (Element plugin : plugins.map(p -> children(p, "plugin")).orElse(List.of())) {
                if (!MavenRegistry.child(plugin, "artifactId").orElse("").equals("build-helper-maven-plugin")) {
                    continue;
                }
                for (Element execution : MavenRegistry.childElement(plugin, "executions")
                        .map(e -> children(e, "execution")).orElse(List.of())) {
                    boolean addSource = MavenRegistry.childElement(execution, "goals").map(g -> children(g, "goal"))
                            .orElse(List.of()).stream().anyMatch(g -> g.getTextContent().trim().equals("add-source"));
                    Optional<Element> sources = MavenRegistry.childElement(execution, "configuration")
                            .flatMap(c -> MavenRegistry.childElement(c, "sources"));
                    if (addSource && sources.isPresent()) {
                        for (Element source : children(sources.get(), "source")) {
                            basedirRelative(source.getTextContent().trim()).flatMap(d -> PomChain.resolve(module, d))
                                    .ifPresent(r -> add(out, r));
                        }
                    }
                }
            }
        }
    }

    /** Maven 1: the module's project.xml, else the one it {@code <extend>}s, names the source directory. */
    private static void maven1(String module, SourceTree tree, Function<String, Optional<byte[]>> reader, Set<String> out) {
        String path = module + "project.xml";
        Set<String> seen = new LinkedHashSet<>();
        while (seen.add(path) && seen.size() <= 4) {
            Optional<Element> project = project(path, tree, reader);
            if (project.isEmpty()) {
                return;
            }
            Optional<String> dir = MavenRegistry.childElement(project.get(), "build")
                    .flatMap(b -> MavenRegistry.child(b, "sourceDirectory")).filter(d -> !d.isEmpty());
            if (dir.isPresent()) {
                basedirRelative(dir.get()).flatMap(d -> PomChain.resolve(module, d)).ifPresent(r -> add(out, r));
                return;
            }
            String folder = path.substring(0, path.length() - "project.xml".length());
            Optional<String> extend = MavenRegistry.child(project.get(), "extend")
                    .flatMap(e -> basedirRelative(e)).flatMap(e -> PomChain.resolve(folder, e));
            if (extend.isEmpty()) {
                return;
            }
            path = extend.get();
        }
    }

    /**
     * An Ant build file: its javac source roots, resolved against the project's basedir ({@code basedir} given by a
     * calling {@code <ant dir=..>}, else the file's {@code <project basedir=..>} relative to its folder), and those of
     * the sub-builds it calls.
     */
    private static void ant(String path, Optional<String> givenBasedir, SourceTree tree,
                            Function<String, Optional<byte[]>> reader, Set<String> out, Set<String> seen) {
        if (!seen.add(path) || seen.size() > MAX_BUILD_FILES) {
            return;
        }
        Optional<Element> root = project(path, tree, reader);
        if (root.isEmpty()) {
            return;
        }
        String folder = path.substring(0, path.lastIndexOf('/') + 1);
        Optional<String> base = givenBasedir.isPresent() ? givenBasedir
                : PomChain.resolve(folder, root.get().getAttribute("basedir").isEmpty() ? "."
                        : root.get().getAttribute("basedir"));
        if (base.isEmpty()) {
            return;
        }
        String basedir = base.get().isEmpty() ? "" : base.get() + "/";
        Map<String, String> properties = new HashMap<>(Map.of("basedir", "."));
        for (Element p : AntCopies.descendants(root.get(), "property")) {
            String value = p.hasAttribute("value") ? p.getAttribute("value") : p.getAttribute("location");
            if (p.hasAttribute("name") && !value.isEmpty()) {
                properties.putIfAbsent(p.getAttribute("name"), value); // Ant: the first definition wins
            }
        }
        for (Element javac : AntCopies.descendants(root.get(), "javac")) {
            Optional<String> dest = AntCopies.resolve(javac.getAttribute("destdir"), properties);
            if (dest.isPresent() && TEST_OUTPUT.matcher(dest.get()).find()) {
                continue; // compiles tests (target/tests, target/test-classes), not the jar's classes
            }
            List<String> paths = new ArrayList<>(List.of(javac.getAttribute("srcdir").split("[;:,]")));
            for (Element src : AntCopies.descendants(javac, "src")) {
                paths.addAll(List.of(src.getAttribute("path").split("[;:,]")));
                for (Element element : AntCopies.descendants(src, "pathelement")) {
                    paths.addAll(List.of((element.hasAttribute("location") ? element.getAttribute("location")
                            : element.getAttribute("path")).split("[;:,]")));
                }
            }
            for (String p : paths) {
                if (!p.isBlank()) {
                    AntCopies.resolve(p.trim(), properties).flatMap(d -> PomChain.resolve(basedir, d))
                            .ifPresent(r -> add(out, r));
                }
            }
        }
        for (Element call : AntCopies.descendants(root.get(), "ant")) {
            String antfile = call.getAttribute("antfile").isEmpty() ? "build.xml" : call.getAttribute("antfile");
            Optional<String> dir = call.hasAttribute("dir")
                    ? AntCopies.resolve(call.getAttribute("dir"), properties).flatMap(d -> PomChain.resolve(basedir, d))
                    : call.getAttribute("inheritAll").equalsIgnoreCase("false") ? Optional.empty()
                    : Optional.of(base.get()); // Ant: the caller's basedir, unless inheritAll="false"
            Optional<String> file = AntCopies.resolve(antfile, properties)
                    .flatMap(f -> PomChain.resolve(dir.map(d -> d.isEmpty() ? "" : d + "/").orElse(basedir), f));
            file.ifPresent(f -> ant(f, dir, tree, reader, out, seen));
        }
    }

    /** {@code ${basedir}}/{@code ${project.basedir}}/{@code ${pom.basedir}} at the start is the module's folder. */
    private static Optional<String> basedirRelative(String dir) {
        String d = dir.trim().replaceFirst("^\\$\\{(?:project\\.|pom\\.)?basedir}(?=/|\\\\|$)", ".");
        return d.isEmpty() || d.contains("${") ? Optional.empty() : Optional.of(d);
    }

    private static void add(Set<String> out, String root) {
        out.add(root.isEmpty() ? "" : root + "/");
    }

    private static Optional<Element> project(String path, SourceTree tree, Function<String, Optional<byte[]>> reader) {
        Optional<byte[]> bytes = tree.get(path).isPresent() ? reader.apply(path) : Optional.empty();
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            Element e = MavenRegistry.xml(bytes.get(), path).getDocumentElement();
            return e.getNodeName().equals("project") ? Optional.of(e) : Optional.empty();
        } catch (RegistryException e) {
            return Optional.empty(); // not XML the parser accepts: it names no root here
        }
    }

    /** The child elements named {@code name}, as written (no namespace prefix stripped). */
    static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getNodeName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }
}
