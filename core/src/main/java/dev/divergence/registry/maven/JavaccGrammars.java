package dev.divergence.registry.maven;

import dev.divergence.source.SourceTree;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.w3c.dom.Element;

/**
 * The Java types JavaCC and JJTree write for a module whose build runs a JavaCC plugin
 * (org.codehaus.mojo:javacc-maven-plugin, com.helger.maven:ph-javacc-maven-plugin; goals {@code javacc},
 * {@code jjtree}, {@code jjtree-javacc}) over the grammars of its source directory
 * (https://www.mojohaus.org/javacc-maven-plugin/jjtree-javacc-mojo.html). The generated sources land in
 * {@code target/generated-sources}, a compile source root, so their classes (and, in the sources jar, the {@code .java}
 * files themselves) ship without being in Git. Per grammar {@code PARSER_BEGIN(P)} in package {@code pkg} (its
 * {@code package} declaration, or the plugin's {@code <packageName>}), JavaCC writes {@code P}, {@code PConstants},
 * {@code PTokenManager} and its support classes ({@code ParseException}, {@code Token}, {@code TokenMgrError} /
 * {@code TokenMgrException}, {@code SimpleCharStream}, {@code JavaCharStream}, {@code CharStream},
 * {@code AbstractCharStream}, {@code Provider}, {@code StringProvider}, {@code StreamProvider}, {@code TokenManager});
 * JJTree adds {@code Node}, {@code SimpleNode}, {@code PTreeConstants}, {@code JJTPState}, {@code PVisitor},
 * {@code PDefaultVisitor} and, with {@code MULTI=true}, one class {@code NODE_PREFIX + name} (default prefix
 * {@code AST}) per node the grammar declares: each {@code #Name} annotation, and each production unless
 * {@code NODE_DEFAULT_VOID=true} (https://javacc.github.io/javacc/documentation/jjtree.html). Nothing else is.
 */
final class JavaccGrammars {

    private static final Set<String> PLUGINS = Set.of("javacc-maven-plugin", "ph-javacc-maven-plugin");
    /** Goals and the source directory each reads by default (relative to the module's basedir). */
    private static final Map<String, String> GOALS = Map.of("javacc", "src/main/javacc", "jjtree", "src/main/jjtree",
            "jjtree-javacc", "src/main/jjtree");
    private static final List<String> SUPPORT = List.of("ParseException", "Token", "TokenMgrError", "TokenMgrException",
            "SimpleCharStream", "JavaCharStream", "CharStream", "AbstractCharStream", "Provider", "StringProvider",
            "StreamProvider", "TokenManager");
    private static final List<String> TREE_SUPPORT = List.of("Node", "SimpleNode");
    private static final int MAX_GRAMMARS = 16;

    private static final Pattern PARSER_BEGIN = Pattern.compile("\\bPARSER_BEGIN\\s*\\(\\s*([A-Za-z_]\\w*)\\s*\\)");
    private static final Pattern PARSER_END = Pattern.compile("\\bPARSER_END\\s*\\(");
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([A-Za-z_][\\w.]*)\\s*;", Pattern.MULTILINE);
    private static final Pattern OPTIONS = Pattern.compile("^\\s*options\\s*\\{(.*?)}", Pattern.DOTALL);
    /** A node annotation {@code #Name} or {@code #Name(...)}; a private token label {@code < #DIGIT: ...>} is none. */
    private static final Pattern NODE = Pattern.compile("(?<!\\w)(?<!<\\s{0,8})#\\s*([A-Za-z_]\\w*)");
    /** A BNF production: {@code Type Name(params) [throws ..] [#Node] : {}}: Java methods have no ':' there. */
    private static final Pattern PRODUCTION = Pattern.compile(
            "^[ \\t]*(?:(?:public|private|protected|static|final)\\s+)*[\\w.<>\\[\\], ]+?\\s+([A-Za-z_]\\w*)\\s*\\([^()]*\\)"
                    + "\\s*(?:throws\\s+[\\w.,\\s]+?)?\\s*(#\\s*[A-Za-z_]\\w*(?:\\s*\\([^()]*\\))?)?\\s*:\\s*\\{",
            Pattern.MULTILINE);

    private JavaccGrammars() {
    }

    /**
     * The top-level types (package folder → simple names) the module's JavaCC plugin executions generate; empty when
     * its POM (with the parents the tree holds) runs none.
     */
    static Map<String, Set<String>> generatedTypes(String module, SourceTree tree,
                                                  Function<String, Optional<byte[]>> reader) {
        Map<String, Set<String>> out = new TreeMap<>();
        List<PomChain.Pom> chain = PomChain.of(module + "pom.xml", tree, reader);
        for (Execution e : executions(chain)) {
            String dir = e.sourceDirectory().orElse(GOALS.get(e.goal()));
            String basedirRelative = dir.replace('\\', '/').replaceFirst("^\\$\\{(?:project\\.|pom\\.)?basedir}(?=/|$)", ".");
            if (basedirRelative.contains("${")) {
                continue;
            }
            Optional<String> folder = PomChain.resolve(module, basedirRelative).map(f -> f.isEmpty() ? "" : f + "/");
            if (folder.isEmpty()) {
                continue;
            }
            boolean jjtree = !e.goal().equals("javacc");
            int read = 0;
            for (String p : tree.files().keySet()) {
                String lower = p.toLowerCase(java.util.Locale.ROOT);
                boolean grammar = lower.endsWith(".jj") || (jjtree && lower.endsWith(".jjt"));
                if (!p.startsWith(folder.get()) || !grammar || read++ >= MAX_GRAMMARS) {
                    continue;
                }
                reader.apply(p).ifPresent(b -> add(new String(b, StandardCharsets.UTF_8), e.packageName(),
                        jjtree && lower.endsWith(".jjt"), out));
            }
        }
        return out;
    }

    /** Whether {@code path} (a jar's class or a sources jar's .java) is a type {@code generated} holds, or nested in one. */
    static boolean generates(Map<String, Set<String>> generated, String path) {
        int slash = path.lastIndexOf('/');
        String folder = slash < 0 ? "" : path.substring(0, slash);
        String name = path.substring(slash + 1);
        Set<String> names = generated.get(folder);
        if (names == null) {
            return false;
        }
        if (name.endsWith(".java")) {
            return names.contains(name.substring(0, name.length() - 5));
        }
        if (!name.endsWith(".class")) {
            return false;
        }
        String simple = name.substring(0, name.length() - 6);
        int dollar = simple.indexOf('$');
        return names.contains(dollar < 0 ? simple : simple.substring(0, dollar));
    }

    private record Execution(String goal, Optional<String> sourceDirectory, Optional<String> packageName) {
    }

    /** The plugin's executions in the chain's {@code <build><plugins>}, configured as Maven merges them. */
    private static List<Execution> executions(List<PomChain.Pom> chain) {
        List<Execution> out = new ArrayList<>();
        for (PomChain.Pom pom : chain) {
            Optional<Element> plugins = MavenRegistry.childElement(pom.project(), "build")
                    .flatMap(b -> MavenRegistry.childElement(b, "plugins"));
            for (Element plugin : plugins.map(p -> SourceRoots.children(p, "plugin")).orElse(List.of())) {
                String artifactId = MavenRegistry.child(plugin, "artifactId").orElse("");
                if (!PLUGINS.contains(artifactId)) {
                    continue;
                }
                Optional<Element> shared = MavenRegistry.childElement(plugin, "configuration");
                for (Element execution : MavenRegistry.childElement(plugin, "executions")
                        .map(e -> SourceRoots.children(e, "execution")).orElse(List.of())) {
                    Optional<Element> own = MavenRegistry.childElement(execution, "configuration");
                    for (Element goal : MavenRegistry.childElement(execution, "goals").map(g -> SourceRoots.children(g, "goal"))
                            .orElse(List.of())) {
                        String name = goal.getTextContent().trim();
                        if (GOALS.containsKey(name)) {
                            out.add(new Execution(name, setting(own, shared, "sourceDirectory"),
                                    setting(own, shared, "packageName")));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static Optional<String> setting(Optional<Element> own, Optional<Element> shared, String name) {
        return own.flatMap(c -> MavenRegistry.child(c, name)).or(() -> shared.flatMap(c -> MavenRegistry.child(c, name)))
                .filter(v -> !v.isBlank());
    }

    /** Adds the types one grammar generates. */
    static void add(String grammar, Optional<String> packageName, boolean jjtree, Map<String, Set<String>> out) {
        String text = grammar.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ");
        Matcher begin = PARSER_BEGIN.matcher(text);
        if (!begin.find()) {
            return;
        }
        String parser = begin.group(1);
        Matcher end = PARSER_END.matcher(text);
        int unitEnd = end.find(begin.end()) ? end.start() : text.length();
        String unit = text.substring(begin.end(), unitEnd);
        Matcher pkg = PACKAGE.matcher(unit);
        String pack = packageName.orElse(pkg.find() ? pkg.group(1) : "");
        Set<String> names = out.computeIfAbsent(pack.replace('.', '/'), k -> new LinkedHashSet<>());
        names.addAll(List.of(parser, parser + "Constants", parser + "TokenManager"));
        names.addAll(SUPPORT);
        if (!jjtree) {
            return;
        }
        names.addAll(TREE_SUPPORT);
        names.addAll(List.of(parser + "TreeConstants", "JJT" + parser + "State", parser + "Visitor",
                parser + "DefaultVisitor"));
        Matcher options = OPTIONS.matcher(text.substring(0, begin.start()));
        String opts = options.find() ? options.group(1) : "";
        if (!option(opts, "MULTI").equals("true")) {
            return; // every node is a SimpleNode
        }
        String prefix = option(opts, "NODE_PREFIX");
        prefix = prefix.isEmpty() ? "AST" : prefix.replaceAll("^\"|\"$", "");
        boolean defaultVoid = option(opts, "NODE_DEFAULT_VOID").equals("true");
        String grammarBody = text.substring(unitEnd);
        Set<String> nodes = new LinkedHashSet<>();
        Matcher node = NODE.matcher(grammarBody);
        while (node.find()) {
            nodes.add(node.group(1));
        }
        if (!defaultVoid) {
            Matcher production = PRODUCTION.matcher(grammarBody);
            while (production.find()) {
                if (production.group(2) == null) {
                    nodes.add(production.group(1)); // with an annotation, that name (found above) is the node's
                }
            }
        }
        nodes.remove("void");
        for (String n : nodes) {
            names.add(prefix + n);
        }
    }

    /** The value of a JavaCC option ({@code NAME = value;}), upper-cased for booleans; "" when not set. */
    private static String option(String options, String name) {
        Matcher m = Pattern.compile("(?i)\\b" + name + "\\s*=\\s*(\"[^\"]*\"|[\\w.]+)\\s*;").matcher(options);
        if (!m.find()) {
            return "";
        }
        String v = m.group(1);
        return v.startsWith("\"") ? v : v.toLowerCase(java.util.Locale.ROOT);
    }
}
