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
        return segments(fromDir.substring(root.length()) + s).filter(parts -> !parts.isEmpty())
                .map(parts -> root + String.join("/", parts));
    }

    /**
     * The segments of a relative {@code path} with {@code .} and {@code ..} resolved; empty when {@code ..} climbs above
     * where the path starts (out of the package).
     */
    static Optional<List<String>> segments(String path) {
        Deque<String> parts = new ArrayDeque<>();
        for (String p : path.split("/")) {
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
        return Optional.of(List.copyOf(parts));
    }

    /**
     * A call that loads a module by a computed name: {@code require(x)}, {@code require(path.join(__dirname, "v"))},
     * {@code import(x)}, {@code module.require(x)}, a {@code createRequire} (its function can take any name), or
     * {@code require} handed on as a value ({@code load(require)}, {@code const r = require}). A call whose argument
     * is one string literal is not computed ({@code function require(} is a declaration).
     */
    private static final Pattern COMPUTED_LOAD = Pattern.compile(
            "(?<![\\w$])(?<!function )(?:require|import)\\s*\\(\\s*(?!(?:\"[^\"\\\\\\n]*\"|'[^'\\\\\\n]*'"
            + "|`[^`$\\\\]*`)\\s*[,)])|\\bcreateRequire\\b"
            // require handed on as a value (load(require), const r = require, [require], {r: require}, return require):
            // whoever receives it can load any name
            + "|(?:[=(,\\[:?]|\\breturn)\\s*(?:module\\s*\\.\\s*)?require\\s*(?:[),;\\]}:]|$)", Pattern.MULTILINE);

    /**
     * Which of {@code candidates} (installed paths) the package's own scripts can be loading, failing closed: a
     * candidate named by a relative specifier literal ({@code "./x"}, {@code '../x'}, resolved from the file's folder,
     * any such literal, not only a {@code require} argument: a specifier can reach {@code require} through a
     * variable); one whose file name (without its extension; an {@code index} file's folder name too) another file
     * mentions right after a quote or a {@code /} and before a quote or a {@code /} ({@code __dirname + "/version"},
     * {@code path.join(__dirname, "version")}, {@code require("pkg/version")}); and every candidate when some file loads
     * a module by a computed name ({@link #COMPUTED_LOAD}), since any of them can be what it names. A file's reference
     * to itself does not count.
     *
     * @param scripts installed path to the file's bytes, for every script file of the package
     */
    static Set<String> loadedByPackage(java.util.Map<String, byte[]> scripts, Set<String> present,
                                       Function<String, Optional<byte[]>> manifest, Set<String> candidates) {
        Set<String> out = new LinkedHashSet<>();
        java.util.Map<String, Pattern> mentions = new java.util.LinkedHashMap<>();
        for (String c : candidates) {
            mentions.put(c, mention(c));
        }
        scripts.forEach((path, bytes) -> {
            String dir = path.substring(0, path.lastIndexOf('/') + 1);
            String text = new String(bytes, StandardCharsets.UTF_8);
            Matcher m = RELATIVE_LITERAL.matcher(text);
            while (m.find()) {
                for (String hit : resolve(dir, m.group(2), present, manifest)) {
                    if (!hit.equals(path) && candidates.contains(hit)) {
                        out.add(hit);
                    }
                }
            }
            boolean computed = COMPUTED_LOAD.matcher(text).find();
            mentions.forEach((c, p) -> {
                if (!c.equals(path) && (computed || p.matcher(text).find())) {
                    out.add(c);
                }
            });
        });
        return out;
    }

    /** A mention of the module's file name in a path or a specifier (see {@link #loadedByPackage}). */
    private static Pattern mention(String installedPath) {
        String[] parts = installedPath.split("/");
        String file = parts[parts.length - 1];
        String base = file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file;
        List<String> names = new java.util.ArrayList<>(List.of(base));
        if (base.equals("index") && parts.length > 2) {
            names.add(parts[parts.length - 2]); // require("./lib") loads lib/index.js
        }
        String alternatives = names.stream().filter(n -> !n.isEmpty()).map(Pattern::quote)
                .collect(java.util.stream.Collectors.joining("|"));
        return Pattern.compile("(?<=[\"'`/])(?:" + alternatives + ")(?:\\.[A-Za-z0-9]+)*(?=[\"'`/])");
    }

    static boolean scriptFile(String path) {
        return SCRIPT_FILE.matcher(path).matches();
    }
}
