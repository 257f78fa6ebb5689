package dev.divergence.registry.npm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which files of a package a module path loads, the way Node resolves one (https://nodejs.org/api/modules.html#all-together,
 * LOAD_AS_FILE and LOAD_AS_DIRECTORY): {@code X}, then {@code X} with an extension, then the folder's
 * {@code package.json} {@code main} and its {@code index} file. Every candidate the package holds is returned, not only
 * the one Node picks first, and {@code .cjs}/{@code .mjs} are tried as well: what is asked is which files can be
 * what runs, so a rule that keeps them compared fails closed. Paths are installed paths ({@code package/...}).
 */
final class NpmModules {

    /** LOAD_AS_FILE's extensions, with the ES module ones that {@code import} and loaders resolve. */
    static final List<String> EXTENSIONS = List.of(".js", ".cjs", ".mjs", ".json", ".node");
    /** Files whose text can name a module to load: JavaScript and TypeScript sources. */
    static final Pattern SCRIPT_FILE = Pattern.compile(".*\\.(js|cjs|mjs|jsx|ts|cts|mts|tsx)$");
    /** A relative module specifier in a string literal ({@code require("./version")}, {@code from '../x.js'}). */
    private static final Pattern RELATIVE_LITERAL = Pattern.compile("([\"'`])(\\.\\.?/[^\"'`\\s]*)\\1");
    private static final ObjectMapper JSON = new ObjectMapper();

    private NpmModules() {
    }

    /**
     * The installed paths of {@code present} that {@code specifier} can load when resolved from folder {@code fromDir}
     * (an installed folder ending in {@code /}): a path leaving the package loads none of its files.
     *
     * @param manifest reads a folder's {@code package.json} (installed path) for its {@code main}
     */
    static Set<String> resolve(String fromDir, String specifier, Set<String> present,
                               Function<String, Optional<byte[]>> manifest) {
        Set<String> out = new LinkedHashSet<>();
        Optional<String> base = normalize(fromDir, specifier);
        if (base.isEmpty()) {
            return out;
        }
        asFile(base.get(), present, out);
        asDirectory(base.get(), present, manifest, out, 0);
        return out;
    }

    private static void asFile(String x, Set<String> present, Set<String> out) {
        if (present.contains(x)) {
            out.add(x);
        }
        for (String ext : EXTENSIONS) {
            if (present.contains(x + ext)) {
                out.add(x + ext);
            }
        }
    }

    private static void asDirectory(String x, Set<String> present, Function<String, Optional<byte[]>> manifest,
                                    Set<String> out, int depth) {
        String pj = x + "/package.json";
        if (depth < 4 && present.contains(pj)) {
            try {
                JsonNode n = JSON.readTree(manifest.apply(pj).orElse(new byte[0]));
                String main = n == null ? "" : n.path("main").asText("");
                Optional<String> target = main.isBlank() ? Optional.empty() : normalize(x + "/", main);
                if (target.isPresent()) {
                    asFile(target.get(), present, out);
                    asDirectory(target.get(), present, manifest, out, depth + 1);
                }
            } catch (IOException e) {
                // an unreadable main: Node falls back to the index file, as below
            }
        }
        asFile(x + "/index", present, out);
    }

    /** {@code fromDir + specifier} with {@code .} and {@code ..} segments resolved; empty when it leaves the package. */
    static Optional<String> normalize(String fromDir, String specifier) {
        String s = specifier.replace('\\', '/');
        if (s.isEmpty() || s.startsWith("/") || s.contains("\0")) {
            return Optional.empty();
        }
        String root = fromDir.substring(0, fromDir.indexOf('/') + 1); // package/
        Deque<String> parts = new ArrayDeque<>();
        for (String p : (fromDir.substring(root.length()) + s).split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (parts.isEmpty()) {
                    return Optional.empty();
                }
                parts.removeLast();
            } else {
                parts.addLast(p);
            }
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of(root + String.join("/", parts));
    }

    /**
     * The installed paths the package's own scripts can load by a relative specifier: every {@code "./x"} or
     * {@code '../x'} string literal of every shipped JavaScript/TypeScript file, resolved from that file's folder
     * (any such literal, not only a {@code require} argument: a specifier can reach {@code require} through a
     * variable). A file's reference to itself does not count.
     *
     * @param scripts installed path to the file's bytes, for every script file of the package
     */
    static Set<String> loadedByPackage(java.util.Map<String, byte[]> scripts, Set<String> present,
                                       Function<String, Optional<byte[]>> manifest) {
        Set<String> out = new LinkedHashSet<>();
        scripts.forEach((path, bytes) -> {
            String dir = path.substring(0, path.lastIndexOf('/') + 1);
            Matcher m = RELATIVE_LITERAL.matcher(new String(bytes, StandardCharsets.UTF_8));
            while (m.find()) {
                for (String hit : resolve(dir, m.group(2), present, manifest)) {
                    if (!hit.equals(path)) {
                        out.add(hit);
                    }
                }
            }
        });
        return out;
    }

    static boolean scriptFile(String path) {
        return SCRIPT_FILE.matcher(path).matches();
    }
}
