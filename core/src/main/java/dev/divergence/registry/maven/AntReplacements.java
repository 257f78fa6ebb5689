package dev.divergence.registry.maven;

import dev.divergence.registry.RegistryException;
import dev.divergence.source.SourceTree;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.function.Function;
import org.w3c.dom.Element;

/**
 * The text replacements an Ant {@code build.xml} (or a Maven 1 {@code maven.xml}) at the repository's root makes in
 * the sources before javac reads them: {@code <replace token="/* JDBC_3_ANT_KEY" value=""/>} — commons-dbcp 1.x
 * uncomments its JDBC 3 methods so on a JDBC 3 JDK (https://ant.apache.org/manual/Tasks/replace.html; {@code value}
 * defaults to the empty string, and nested {@code <replacetoken>}/{@code <replacevalue>} give either as text). A
 * class's source is read for its names after them, as javac read it. Tokens or values naming a property, an empty
 * token and anything past the bounds are left out: they are not applied.
 */
final class AntReplacements {

    /** One {@code token → value} replacement, applied to the whole text as Ant does. */
    record Replacement(String token, String value) {
    }

    private static final int MAX_REPLACEMENTS = 64;
    private static final int MAX_LENGTH = 256;
    private static final Map<SourceTree, List<Replacement>> BY_TREE = Collections.synchronizedMap(new WeakHashMap<>());

    private AntReplacements() {
    }

    /** The replacements of the root build files of {@code tree}, read once per tree. */
    static List<Replacement> of(SourceTree tree, Function<String, Optional<byte[]>> reader) {
        return BY_TREE.computeIfAbsent(tree, t -> declared(t, reader));
    }

    /** {@code text} after every replacement, in the build file's order. */
    static String apply(String text, List<Replacement> replacements) {
        String out = text;
        for (Replacement r : replacements) {
            out = out.replace(r.token(), r.value());
        }
        return out;
    }

    private static List<Replacement> declared(SourceTree tree, Function<String, Optional<byte[]>> reader) {
        List<Replacement> out = new ArrayList<>();
        for (String path : List.of("build.xml", "maven.xml")) {
            Optional<byte[]> bytes = tree.get(path).isPresent() ? reader.apply(path) : Optional.empty();
            if (bytes.isEmpty()) {
                continue;
            }
            try {
                Element root = MavenRegistry.xml(bytes.get(), path).getDocumentElement();
                for (Element replace : AntCopies.descendants(root, "replace")) {
                    Optional<String> token = part(replace, "token", "replacetoken");
                    Optional<String> value = replace.hasAttribute("value") || !child(replace, "replacevalue").isEmpty()
                            ? part(replace, "value", "replacevalue") : Optional.of("");
                    if (token.isPresent() && value.isPresent() && !token.get().isEmpty()
                            && out.size() < MAX_REPLACEMENTS) {
                        out.add(new Replacement(token.get(), value.get()));
                    }
                }
            } catch (RegistryException | RuntimeException unreadable) {
                // a build file that does not parse replaces nothing here
            }
        }
        return List.copyOf(out);
    }

    /** The attribute, else the nested element's text; empty when absent, too long or naming a property. */
    private static Optional<String> part(Element replace, String attribute, String element) {
        String text = replace.hasAttribute(attribute) ? replace.getAttribute(attribute)
                : child(replace, element).stream().findFirst().map(Element::getTextContent).orElse(null);
        if (text == null || text.length() > MAX_LENGTH || text.contains("${")) {
            return Optional.empty();
        }
        return Optional.of(text);
    }

    private static List<Element> child(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getNodeName().substring(e.getNodeName().indexOf(':') + 1).equals(name)) {
                out.add(e);
            }
        }
        return out;
    }
}
