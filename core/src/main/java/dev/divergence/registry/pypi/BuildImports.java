package dev.divergence.registry.pypi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.divergence.registry.GeneratedFiles.SourceView;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sdist's own Python modules that building it imports, so that they run on the installing machine
 * ({@code AUTO_EXEC}): every module {@code setup.py} imports ({@code import X}, {@code import X.Y as Z},
 * {@code from X import Y}, {@code from X.Y import Z}, {@code __import__("X")}, {@code importlib.import_module("X")}) —
 * the project folder is {@code sys.path[0]} when setup.py runs, so {@code sys.path.insert(0, here); import versioneer}
 * runs the sdist's {@code versioneer.py} (red team round 8, c2) —, and the modules setuptools imports by its
 * configuration: {@code [tool.setuptools.cmdclass]} and {@code [tool.setuptools.dynamic]} {@code attr} in
 * pyproject.toml, {@code cmdclass} and {@code attr:} values in setup.cfg (c3). Each resolves to {@code X.py} or
 * {@code X/__init__.py} (and every package {@code __init__.py} on the way, which Python imports first) in the
 * project folder, in {@code src/}, and under the declared {@code package_dir} (pyproject's
 * {@code [tool.setuptools.package-dir]}, setup.cfg's {@code package_dir}, a literal one in setup.py). Only files the
 * sdist holds are named: {@code import os} names nothing unless the sdist ships an {@code os.py} there, which would
 * shadow the standard library's. What those modules import in turn (absolutely, or relatively to their package) is
 * followed the same way, at most {@link #MAX_FILES} files.
 */
final class BuildImports {

    static final int MAX_FILES = 256;

    private static final int FLAGS = Pattern.UNICODE_CHARACTER_CLASS | Pattern.MULTILINE;
    private static final String DOTTED = "[\\w.]+";
    /** {@code import a.b as c, d}: at a statement's start (a line's, or after {@code ;} or {@code :}). */
    private static final Pattern IMPORT = Pattern.compile("(?:^|[;:])[ \\t]*import[ \\t]+([^\\n#;]+)", FLAGS);
    /** {@code from ..a.b import (x, y as z)}. */
    private static final Pattern FROM = Pattern.compile(
            "(?:^|[;:])[ \\t]*from[ \\t]+(\\.*)[ \\t]*(" + DOTTED + ")?[ \\t]+import[ \\t]*(\\([^)]*\\)|[^\\n#;]+)", FLAGS);
    /** A module loaded by a literal name. */
    private static final Pattern LOAD = Pattern.compile(
            "(?:__import__|import_module)\\(\\s*(?:'(" + DOTTED + ")'|\"(" + DOTTED + ")\")", FLAGS);
    /** A literal {@code package_dir={"": "src", "pkg": "lib/pkg"}} entry in setup.py. */
    private static final Pattern PACKAGE_DIR = Pattern.compile("package_dir\\s*=\\s*\\{([^}]*)\\}");
    private static final Pattern PAIR = Pattern.compile("['\"]([\\w.]*)['\"]\\s*:\\s*['\"]([^'\"]*)['\"]",
            Pattern.UNICODE_CHARACTER_CLASS);

    private BuildImports() {
    }

    /** The paths (with the sdist root) of the modules building the sdist imports. */
    static Set<String> files(String root, SourceView view, Optional<JsonNode> pyproject) {
        Set<String> present = new HashSet<>();
        view.artifactFiles().forEach(f -> present.add(f.path()));
        Optional<String> setupPy = text(view, root + "setup.py");
        Optional<Map<String, Map<String, String>>> cfg = text(view, root + "setup.cfg").map(PythonProject::ini);
        Map<String, String> packageDir = packageDirs(pyproject, cfg, setupPy);
        List<String> folders = new ArrayList<>(List.of(root, root + "src/"));
        Optional.ofNullable(packageDir.get("")).map(d -> folder(root, d)).ifPresent(folders::add);

        Set<String> out = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        // the modules setuptools imports by its configuration
        Set<String> configured = new LinkedHashSet<>();
        pyproject.ifPresent(p -> {
            JsonNode st = p.path("tool").path("setuptools");
            st.path("cmdclass").forEach(v -> configured.add(moduleOf(v.asText(""))));
            st.path("dynamic").forEach(v -> {
                if (v.has("attr")) {
                    configured.add(moduleOf(v.path("attr").asText("")));
                }
            });
        });
        cfg.ifPresent(c -> c.forEach((section, options) -> options.forEach((k, v) -> {
            String value = v.strip();
            if (value.startsWith("attr:")) {
                configured.add(moduleOf(value.substring(5).strip()));
            }
            if (k.equals("cmdclass")) {
                for (String line : value.split("\n")) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        configured.add(moduleOf(line.substring(eq + 1).strip()));
                    }
                }
            }
        })));
        for (String module : configured) {
            if (!module.isEmpty()) {
                resolveAbsolute(module, root, folders, packageDir, present, out, todo);
            }
        }
        setupPy.ifPresent(t -> imports(t, root, root, folders, packageDir, present, out, todo));
        // and what those modules import in turn
        Set<String> read = new HashSet<>();
        while (!todo.isEmpty() && read.size() < MAX_FILES) {
            String file = todo.poll();
            if (!read.add(file)) {
                continue;
            }
            String dir = file.substring(0, file.lastIndexOf('/') + 1);
            text(view, file).ifPresent(t -> imports(t, dir, root, folders, packageDir, present, out, todo));
        }
        return out;
    }

    private static Optional<String> text(SourceView view, String path) {
        return view.artifactBytes(path).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    /** {@code pkg.mod.Name} to {@code pkg.mod}, as setuptools' {@code rsplit('.', 1)}; a bare name is {@code __init__}. */
    static String moduleOf(String qualified) {
        String q = qualified.strip();
        int colon = q.indexOf(':');
        if (colon >= 0) {
            q = q.substring(0, colon); // entry-point style "mod:obj"
        }
        int dot = q.lastIndexOf('.');
        return dot < 0 ? (q.isEmpty() ? "" : "__init__") : q.substring(0, dot);
    }

    /** Top-level package name ("" for the root) to its folder relative to the project. */
    static Map<String, String> packageDirs(Optional<JsonNode> pyproject, Optional<Map<String, Map<String, String>>> cfg,
                                           Optional<String> setupPy) {
        Map<String, String> out = new LinkedHashMap<>();
        pyproject.ifPresent(p -> p.path("tool").path("setuptools").path("package-dir").fields()
                .forEachRemaining(e -> out.putIfAbsent(e.getKey(), e.getValue().asText(""))));
        cfg.map(c -> c.getOrDefault("options", Map.of()).get("package_dir")).ifPresent(v -> {
            for (String line : v.split("\n")) {
                int eq = line.indexOf('=');
                if (eq >= 0) {
                    out.putIfAbsent(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
                }
            }
        });
        setupPy.ifPresent(t -> {
            Matcher m = PACKAGE_DIR.matcher(t);
            while (m.find()) {
                Matcher pair = PAIR.matcher(m.group(1));
                while (pair.find()) {
                    out.putIfAbsent(pair.group(1), pair.group(2));
                }
            }
        });
        return out;
    }

    private static String folder(String root, String rel) {
        String r = rel.replace('\\', '/').replaceFirst("^(\\./)+", "");
        if (r.isEmpty() || r.equals(".")) {
            return root;
        }
        return root + (r.endsWith("/") ? r : r + "/");
    }

    /** Every module a Python text imports, resolved: absolutely in the folders, relatively from {@code dir}. */
    private static void imports(String text, String dir, String root, List<String> folders, Map<String, String> packageDir,
                                Set<String> present, Set<String> out, Deque<String> todo) {
        String t = text.replace("\\\r\n", " ").replace("\\\n", " ");
        Matcher im = IMPORT.matcher(t);
        while (im.find()) {
            for (String part : im.group(1).split(",")) {
                String name = part.strip().split("\\s+")[0];
                if (name.matches(DOTTED)) {
                    resolveAbsolute(name, root, folders, packageDir, present, out, todo);
                }
            }
        }
        Matcher from = FROM.matcher(t);
        while (from.find()) {
            int level = from.group(1).length();
            String base = from.group(2) == null ? "" : from.group(2);
            List<String> names = new ArrayList<>();
            for (String part : from.group(3).replace("(", "").replace(")", "").split(",")) {
                String n = part.strip().split("\\s+")[0];
                if (n.matches("\\w+")) {
                    names.add(n);
                }
            }
            if (level == 0) {
                resolveAbsolute(base, root, folders, packageDir, present, out, todo);
                for (String n : names) {
                    resolveAbsolute(base + "." + n, root, folders, packageDir, present, out, todo);
                }
            } else {
                String d = dir;
                for (int i = 1; i < level && d.length() > root.length(); i++) {
                    d = d.substring(0, d.lastIndexOf('/', d.length() - 2) + 1);
                }
                if (!base.isEmpty()) {
                    resolveIn(d, base, present, out, todo);
                }
                for (String n : names) {
                    resolveIn(d, base.isEmpty() ? n : base + "." + n, present, out, todo);
                }
            }
        }
        Matcher load = LOAD.matcher(t);
        while (load.find()) {
            resolveAbsolute(load.group(1) != null ? load.group(1) : load.group(2), root, folders, packageDir, present,
                    out, todo);
        }
    }

    private static void resolveAbsolute(String dotted, String root, List<String> folders, Map<String, String> packageDir,
                                        Set<String> present, Set<String> out, Deque<String> todo) {
        if (dotted.isEmpty() || dotted.startsWith(".") || dotted.contains("..")) {
            return;
        }
        for (String f : folders) {
            resolveIn(f, dotted, present, out, todo);
        }
        String top = dotted.contains(".") ? dotted.substring(0, dotted.indexOf('.')) : dotted;
        String mapped = packageDir.get(top);
        if (mapped != null && !top.isEmpty()) {
            String pkg = folder(root, mapped);
            add(pkg + "__init__.py", present, out, todo);
            if (dotted.contains(".")) {
                resolveIn(pkg, dotted.substring(dotted.indexOf('.') + 1), present, out, todo);
            }
        }
    }

    /** {@code a.b.c} from folder F: {@code F/a.py}, {@code F/a/__init__.py}, {@code F/a/b.py}, ... that exist. */
    private static void resolveIn(String folder, String dotted, Set<String> present, Set<String> out, Deque<String> todo) {
        String cur = folder;
        for (String part : dotted.split("\\.")) {
            if (part.isEmpty()) {
                return;
            }
            add(cur + part + ".py", present, out, todo);
            add(cur + part + "/__init__.py", present, out, todo);
            cur = cur + part + "/";
        }
    }

    private static void add(String path, Set<String> present, Set<String> out, Deque<String> todo) {
        if (present.contains(path) && out.size() < MAX_FILES && out.add(path)) {
            todo.add(path);
        }
    }
}
