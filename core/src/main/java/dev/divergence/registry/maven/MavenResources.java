package dev.divergence.registry.maven;

import dev.divergence.source.SourceTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.w3c.dom.Element;

/**
 * The {@code <build><resources>} a module's build copies into its jar (maven-resources-plugin, and maven-source-plugin
 * for the sources jar), as Maven's effective model has them: the module's own list, else the nearest parent's in
 * the tree (model inheritance takes the list whole), else the super-POM's {@code src/main/resources} (which the
 * layout looks in anyway, so it is not listed here). Each directory
 * is the project's: interpolated ({@code ${project.basedir}}) and resolved against the module's folder, even when a
 * parent declares it. A file {@code D/rel} that the resource's includes select and its excludes do not is copied to
 * {@code targetPath/rel}. See https://maven.apache.org/pom.html#Resources.
 *
 * <p>Profiles are not read, and a directory or targetPath with any other expression, an absolute one or one that
 * leaves the repository is not followed: such files fall back to the layout's other roots.
 */
final class MavenResources {

    /** One {@code <resource>}: its directory in the tree ("" = root, else ending in '/'), target and patterns. */
    record Resource(String directory, String targetPath, List<Pattern> includes, List<Pattern> excludes) {
        /** The tree path this resource copies to the jar's {@code path}, if it would. */
        Optional<String> sourceOf(String path) {
            if (!path.startsWith(targetPath)) {
                return Optional.empty();
            }
            String rel = path.substring(targetPath.length());
            if (rel.isEmpty() || includes.stream().noneMatch(p -> p.matcher(rel).matches())
                    || excludes.stream().anyMatch(p -> p.matcher(rel).matches())
                    || DEFAULT_EXCLUDES.stream().anyMatch(p -> p.matcher(rel).matches())) {
                return Optional.empty();
            }
            return Optional.of(directory + rel);
        }
    }

    /**
     * plexus-utils' {@code AbstractScanner.DEFAULTEXCLUDES} (SCM and editor files), which the resources plugin
     * adds to every resource's excludes.
     */
    private static final List<Pattern> DEFAULT_EXCLUDES = List.of("**/*~", "**/#*#", "**/.#*", "**/%*%", "**/._*",
            "**/CVS", "**/CVS/**", "**/.cvsignore", "**/RCS", "**/RCS/**", "**/SCCS", "**/SCCS/**", "**/vssver.scc",
            "**/project.pj", "**/.svn", "**/.svn/**", "**/.arch-ids", "**/.arch-ids/**", "**/.bzr", "**/.bzr/**",
            "**/.MySCMServerInfo", "**/.DS_Store", "**/.metadata", "**/.metadata/**", "**/.hg", "**/.hg/**",
            "**/.git", "**/.git/**", "**/.gitignore", "**/.gitattributes", "**/.gitmodules", "**/BitKeeper",
            "**/BitKeeper/**", "**/ChangeSet", "**/ChangeSet/**", "**/_darcs", "**/_darcs/**", "**/.darcsrepo",
            "**/.darcsrepo/**", "**/-darcs-backup*", "**/.darcs-temp-mail").stream().map(MavenResources::antPattern).toList();

    private static final Pattern BASEDIR = Pattern.compile("^\\$\\{(?:project\\.|pom\\.)?basedir}(?=/|\\\\|$)");

    private MavenResources() {
    }

    /**
     * The resources the POM of {@code module} (or its nearest parent in the tree declaring any) lists, in declaration
     * order; empty when none does.
     */
    static List<Resource> of(String module, SourceTree tree, Function<String, Optional<byte[]>> reader) {
        for (PomChain.Pom pom : PomChain.of(module + "pom.xml", tree, reader)) {
            Optional<Element> resources = MavenRegistry.childElement(pom.project(), "build")
                    .flatMap(b -> MavenRegistry.childElement(b, "resources"));
            List<Element> declared = resources.map(r -> elements(r, "resource")).orElse(List.of());
            if (!declared.isEmpty()) {
                List<Resource> out = new ArrayList<>();
                for (Element r : declared) {
                    resource(module, r).ifPresent(out::add);
                }
                return out;
            }
        }
        return List.of(); // the super-POM's src/main/resources: the layout's standard resource root already
    }

    /** The tree path the first resource copying to {@code path} reads, when the tree holds it. */
    static Optional<String> sourceOf(List<Resource> resources, String path, SourceTree tree) {
        for (Resource r : resources) {
            Optional<String> s = r.sourceOf(path);
            if (s.isPresent() && tree.get(s.get()).isPresent()) {
                return s;
            }
        }
        return Optional.empty();
    }

    private static Optional<Resource> resource(String module, Element r) {
        Optional<String> dir = MavenRegistry.child(r, "directory").filter(d -> !d.isEmpty())
                .map(d -> BASEDIR.matcher(d).replaceFirst("."));
        if (dir.isEmpty() || dir.get().contains("${")) {
            return Optional.empty();
        }
        Optional<String> folder = PomChain.resolve(module, dir.get());
        String target = MavenRegistry.child(r, "targetPath").orElse("").replace('\\', '/');
        if (folder.isEmpty() || target.contains("${") || target.startsWith("/") || target.matches("^[A-Za-z]:.*")
                || List.of(target.split("/")).contains("..")) {
            return Optional.empty();
        }
        String t = target.replaceAll("^(\\./)+", "").replaceAll("/+$", "");
        List<Pattern> includes = patterns(r, "includes", "include");
        return Optional.of(new Resource(folder.get().isEmpty() ? "" : folder.get() + "/", t.isEmpty() ? "" : t + "/",
                includes.isEmpty() ? List.of(antPattern("**/**")) : includes, patterns(r, "excludes", "exclude")));
    }

    private static List<Pattern> patterns(Element r, String list, String item) {
        return MavenRegistry.childElement(r, list).map(l -> elements(l, item).stream()
                .map(e -> e.getTextContent().trim()).filter(s -> !s.isEmpty()).map(MavenResources::antPattern)
                .toList()).orElse(List.of());
    }

    private static List<Element> elements(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getNodeName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * An Ant/plexus path pattern as a regex over '/'-separated relative paths: {@code **} spans folders (zero or
     * more), {@code *} and {@code ?} stay within one name; a pattern ending in '/' means everything below it.
     */
    static Pattern antPattern(String pattern) {
        String p = pattern.replace('\\', '/');
        if (p.endsWith("/")) {
            p += "**";
        }
        p = p.replaceAll("^/+", "");
        StringBuilder re = new StringBuilder();
        String[] parts = p.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean last = i == parts.length - 1;
            if (part.equals("**")) {
                re.append(last ? ".*" : "(?:[^/]*/)*");
                continue;
            }
            for (char c : part.toCharArray()) {
                re.append(c == '*' ? "[^/]*" : c == '?' ? "[^/]" : Pattern.quote(String.valueOf(c)));
            }
            if (!last) {
                re.append('/');
            }
        }
        return Pattern.compile(re.toString());
    }
}
