package dev.divergence.registry.pypi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.divergence.registry.GeneratedFiles;
import dev.divergence.registry.pypi.Pep508.Requirement;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Python project's source declares, read without running anything: its dependencies and its entry points,
 * from {@code pyproject.toml} ({@code [project]}, PEP 621; Poetry's {@code [tool.poetry]}), {@code setup.cfg}
 * ({@code [options]}) or a {@code setup.py} whose arguments are literals. Anything computed (a {@code dynamic}
 * field no static file answers, a {@code setup.py} that builds its lists) is unknown: empty, never a guess.
 */
final class PythonProject {

    private static final TomlMapper TOML = dev.divergence.registry.ManifestParsers.TOML;
    private static final Pattern NAME = Pattern.compile("^\\s*([A-Za-z0-9][A-Za-z0-9._-]*)");
    private static final Pattern STRING = Pattern.compile("'([^'\\\\\\n\\r]*)'|\"([^\"\\\\\\n\\r]*)\"");
    /** A Python comment: to the end of its physical line, only LF once {@link PythonText#universalNewlines} ran. */
    private static final Pattern COMMENT = Pattern.compile("#[^\\n]*");

    private PythonProject() {
    }

    /** PEP 503 normalisation: lowercase, runs of {@code -_.} become {@code -}. */
    static String normalize(String name) {
        return Pep508.normalize(name);
    }

    /** Parses one PEP 508 requirement (a runtime one unless its marker names an extra); empty when it is not one. */
    static Optional<Requirement> requirement(String text) {
        return Pep508.parse(text);
    }

    /**
     * The folder holding the project's build configuration: from the folder common to every aligned file, the first
     * one upwards with a pyproject.toml, setup.py or setup.cfg (a vendored project's setup.py below it never counts).
     */
    static Optional<String> root(GeneratedFiles.SourceView view) {
        String common = null;
        for (String p : view.alignment().sourcePaths().values()) {
            String dir = p.substring(0, p.lastIndexOf('/') + 1);
            if (common == null) {
                common = dir;
            } else {
                int i = 0;
                while (i < Math.min(common.length(), dir.length()) && common.charAt(i) == dir.charAt(i)) {
                    i++;
                }
                common = common.substring(0, common.lastIndexOf('/', i - 1) + 1);
            }
        }
        if (common == null) {
            return Optional.empty();
        }
        for (String d = common; ; d = d.substring(0, d.lastIndexOf('/', d.length() - 2) + 1)) {
            if (view.tree().get(d + "pyproject.toml").isPresent() || view.tree().get(d + "setup.py").isPresent()
                    || view.tree().get(d + "setup.cfg").isPresent()) {
                return Optional.of(d);
            }
            if (d.isEmpty()) {
                return Optional.empty();
            }
        }
    }

    /** Every requirement the source declares (runtime and extras), or empty when that cannot be known. */
    static Optional<List<Requirement>> dependencies(GeneratedFiles.SourceView view) {
        Optional<String> root = root(view);
        if (root.isEmpty()) {
            return Optional.empty();
        }
        String d = root.get();
        Optional<JsonNode> pyproject = toml(view.sourceText(d + "pyproject.toml"));
        if (view.tree().get(d + "pyproject.toml").isPresent() && pyproject.isEmpty()) {
            return Optional.empty(); // present and unreadable
        }
        JsonNode project = pyproject.map(p -> p.path("project")).orElse(null);
        List<Requirement> out = new ArrayList<>();
        if (project != null && project.isObject()) {
            boolean dynamicDeps = contains(project.path("dynamic"), "dependencies");
            boolean dynamicExtras = contains(project.path("dynamic"), "optional-dependencies");
            out.addAll(projectDependencies(project));
            if (!dynamicDeps && !dynamicExtras) {
                return Optional.of(out);
            }
            JsonNode dyn = pyproject.get().path("tool").path("setuptools").path("dynamic");
            if (dynamicDeps && !requirementsFiles(view, d, dyn.path("dependencies"), "", out)) {
                return legacy(view, d, out);
            }
            if (dynamicExtras) {
                JsonNode extras = dyn.path("optional-dependencies");
                if (!extras.isObject()) {
                    return legacy(view, d, out);
                }
                for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) extras::fields) {
                    if (!requirementsFiles(view, d, e.getValue(), normalize(e.getKey()), out)) {
                        return Optional.empty();
                    }
                }
            }
            return Optional.of(out);
        }
        JsonNode poetry = pyproject.map(p -> p.path("tool").path("poetry")).orElse(null);
        if (poetry != null && poetry.isObject()) {
            out.addAll(PoetryDependencies.of(poetry));
            return Optional.of(out);
        }
        return legacy(view, d, out);
    }

    /** PEP 621 {@code [project]} {@code dependencies} (runtime) and {@code optional-dependencies} (by extra). */
    static List<Requirement> projectDependencies(JsonNode project) {
        List<Requirement> out = new ArrayList<>();
        project.path("dependencies").forEach(r -> requirement(r.asText()).ifPresent(out::add));
        project.path("optional-dependencies").fields().forEachRemaining(extra -> extra.getValue().forEach(
                r -> requirement(r.asText()).map(q -> q.inGroup(normalize(extra.getKey()))).ifPresent(out::add)));
        return out;
    }

    /**
     * What one pyproject.toml declares as requirements: {@code [project]} (PEP 621) and {@code [tool.poetry]}, whether
     * or not a backend reads both (a change to either is what some build of the file installs).
     */
    static List<Requirement> pyprojectDependencies(JsonNode pyproject) {
        List<Requirement> out = new ArrayList<>(projectDependencies(pyproject.path("project")));
        JsonNode poetry = pyproject.path("tool").path("poetry");
        if (poetry.isObject()) {
            out.addAll(PoetryDependencies.of(poetry));
        }
        return out;
    }

    /**
     * setup.cfg {@code [options] install_requires} and {@code [options.extras_require]} as setuptools reads them
     * ({@code _parse_requirements_list}: one requirement a line, or {@code ;}-separated on one line; {@code #} lines
     * skipped). A {@code file:} value is kept as its text (a requirement named after it), so a changed one differs.
     */
    static List<Requirement> setupCfgDependencies(Map<String, Map<String, String>> cfg) {
        List<Requirement> out = new ArrayList<>();
        String install = cfg.getOrDefault("options", Map.of()).get("install_requires");
        requirementLines(install).forEach(r -> requirement(r).ifPresent(out::add));
        cfg.getOrDefault("options.extras_require", Map.of()).forEach((extra, v) -> requirementLines(v)
                .forEach(r -> requirement(r).map(q -> q.inGroup(normalize(extra))).ifPresent(out::add)));
        return out;
    }

    /**
     * setuptools' {@code _parse_list(value, ";")} without comment lines ({@code str.splitlines()} when the value has a
     * newline, so a form feed ends an item too); a {@code file:} directive is one item.
     */
    static List<String> requirementLines(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (String l : value.contains("\n") ? PythonText.splitlines(value) : List.of(value.split(";"))) {
            String t = PythonText.strip(l);
            if (!t.isEmpty() && !t.startsWith("#")) {
                out.add(t.startsWith("file:") ? "file-directive @ " + squash(t) : t);
            }
        }
        return out;
    }

    /** {@code {file = ["requirements.txt"]}}: each file's lines; false when that is not the shape. */
    private static boolean requirementsFiles(GeneratedFiles.SourceView view, String root, JsonNode spec, String group,
                                             List<Requirement> out) {
        JsonNode files = spec.path("file");
        if (files.isMissingNode()) {
            return false;
        }
        List<String> names = new ArrayList<>();
        if (files.isTextual()) {
            names.add(files.asText());
        } else {
            files.forEach(f -> names.add(f.asText()));
        }
        for (String n : names) {
            Optional<String> text = view.sourceText(root + n.replaceFirst("^\\./", ""));
            if (text.isEmpty()) {
                return false;
            }
            // setuptools' _parse_requirements_list, then parse_strings (str.splitlines, drop_comment, continuations)
            for (String l : RequirementsFiles.setuptoolsLines(text.get())) {
                if (l.startsWith("-")) {
                    return false; // -r, -c, -e: not a requirement list setuptools reads literally
                }
                requirement(l).map(r -> r.inGroup(group)).ifPresent(out::add);
            }
        }
        return true;
    }

    /** setup.cfg {@code [options]}, else a setup.py with literal lists. */
    private static Optional<List<Requirement>> legacy(GeneratedFiles.SourceView view, String root,
                                                      List<Requirement> out) {
        Optional<Map<String, Map<String, String>>> parsed = cfg(view.sourceText(root + "setup.cfg").orElse(""));
        if (parsed.isEmpty()) {
            return Optional.empty(); // setuptools would reject it: nothing in it is known
        }
        Map<String, Map<String, String>> cfg = parsed.get();
        String install = cfg.getOrDefault("options", Map.of()).get("install_requires");
        Map<String, String> extras = cfg.getOrDefault("options.extras_require", Map.of());
        Optional<String> setupPy = view.sourceText(root + "setup.py");
        if (view.tree().get(root + "setup.py").isPresent() && setupPy.isEmpty()) {
            return Optional.empty();
        }
        if (install != null || !extras.isEmpty()) {
            if ((install != null && install.strip().startsWith("file:"))
                    || extras.values().stream().anyMatch(v -> v.strip().startsWith("file:"))) {
                return Optional.empty(); // read from a file setuptools resolves: not modelled
            }
            out.addAll(setupCfgDependencies(cfg));
        }
        if (setupPy.isPresent()) {
            String py = setupPy.get();
            for (String kw : List.of("install_requires", "extras_require")) {
                if (!py.contains(kw)) {
                    continue;
                }
                Optional<List<String>> literals = setupArgument(view, root, py, kw);
                if (literals.isEmpty()) {
                    return Optional.empty();
                }
                // extras_require's literal is read flat (its keys among its strings): the extra of each is unknown
                boolean extrasLiteral = kw.equals("extras_require");
                literals.get().forEach(r -> requirement(r).map(q -> extrasLiteral
                        ? q.inGroup(Pep508.ANY_GROUP).withMarker(Optional.empty()) : q).ifPresent(out::add));
            }
            if (py.contains("**") && install == null && !py.contains("install_requires")) {
                return Optional.empty(); // setup(**kwargs): arguments built at run time
            }
        }
        return Optional.of(out);
    }

    private static final String IDENTIFIER = "[A-Za-z_][A-Za-z0-9_]*";
    /** A one-line string literal, escapes included ({@code '\\n'}). */
    private static final Pattern ESCAPED_STRING = Pattern.compile("'((?:[^'\\\\\\n]|\\\\.)*)'|\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    /** What the requirements-file idiom may consist of besides string literals. */
    private static final Pattern FILE_IDIOM_REST = Pattern.compile(
            "(?:\\b(?:open|read|strip|rstrip|split|splitlines|list|encoding)\\b|[().,=\\s])*");
    private static final Pattern OPEN = Pattern.compile("^(?:list\\(\\s*)?open\\(\\s*(?:'([^'\\\\\\n]+)'|\"([^\"\\\\\\n]+)\")");

    /**
     * The requirement strings of setup.py's {@code keyword=} argument, when they can be known without running it: a
     * literal ({@link #literalArgument}); a module-level name bound exactly once (and never mutated) to a literal or to
     * the idiom below; or the lines of a requirements file read by the idiom
     * {@code [list(]open('FILE'[, encoding=...]).read()[.strip()].split('\\n')|.splitlines()[)]}. Every name then
     * comes from a file of the repository; anything else is empty (unknown).
     */
    static Optional<List<String>> setupArgument(GeneratedFiles.SourceView view, String root, String source,
                                                String keyword) {
        String py = PythonText.universalNewlines(source); // Python's physical lines: CR and CRLF end a line too
        Optional<List<String>> literal = literalArgument(py, keyword);
        if (literal.isPresent()) {
            return literal;
        }
        Optional<String> expression = expressionAfter(py, "\\b" + keyword + "\\s*=(?!=)\\s*", false);
        if (expression.isEmpty()) {
            return Optional.empty();
        }
        String e = expression.get();
        if (e.matches(IDENTIFIER)) {
            Matcher bindings = Pattern.compile("(?<![A-Za-z0-9_.])" + e + "\\s*(?:=(?!=)|\\+=|\\|=|-=|\\[|\\.)").matcher(py);
            int count = 0;
            while (bindings.find()) {
                count++;
            }
            // bound once, at the start of a line, and never subscripted, extended or called a method on
            Matcher binding = Pattern.compile("(?md)^" + e + "\\s*=(?!=)\\s*").matcher(py);
            if (count != 1 || !binding.find()) {
                return Optional.empty();
            }
            Optional<List<String>> bound = literalArgument(py.substring(binding.start()), e);
            if (bound.isPresent()) {
                return bound;
            }
            Optional<String> value = expressionAfter(py.substring(binding.start()), "^" + e + "\\s*=\\s*", true);
            return value.isEmpty() ? Optional.empty() : requirementsFileIdiom(view, root, value.get());
        }
        return requirementsFileIdiom(view, root, e);
    }

    private static Optional<List<String>> requirementsFileIdiom(GeneratedFiles.SourceView view, String root, String e) {
        Matcher open = OPEN.matcher(e);
        if (!open.find()) {
            return Optional.empty();
        }
        String file = open.group(1) != null ? open.group(1) : open.group(2);
        List<String> others = new ArrayList<>();
        Matcher s = ESCAPED_STRING.matcher(e.substring(open.end()));
        while (s.find()) {
            others.add(s.group(1) != null ? s.group(1) : s.group(2));
        }
        String rest = ESCAPED_STRING.matcher(e.substring(open.end())).replaceAll("");
        if (!FILE_IDIOM_REST.matcher(rest).matches()
                || !others.stream().allMatch(o -> o.equals("\\n") || o.equalsIgnoreCase("utf-8") || o.equalsIgnoreCase("utf8"))) {
            return Optional.empty();
        }
        Optional<String> text = view.sourceText(root + file.replaceFirst("^\\./", ""));
        if (text.isEmpty()) {
            return Optional.empty();
        }
        // whatever the idiom splits at, setup() reads the list with parse_strings: str.splitlines() again
        List<String> out = new ArrayList<>();
        for (String l : RequirementsFiles.setuptoolsLines(text.get())) {
            if (l.startsWith("-")) {
                return Optional.empty(); // -r, -c, -e, --index-url: not what setuptools reads as a requirement
            }
            out.add(l);
        }
        return Optional.of(out);
    }

    /**
     * The Python expression after the first match of {@code prefix}: up to a comma or closing bracket at depth 0
     * (an argument), or to the end of the line at depth 0 ({@code toLineEnd}, a statement); string literals skipped.
     */
    private static Optional<String> expressionAfter(String py, String prefix, boolean toLineEnd) {
        Matcher m = Pattern.compile(prefix, Pattern.MULTILINE | Pattern.UNIX_LINES).matcher(py);
        if (!m.find()) {
            return Optional.empty();
        }
        int depth = 0;
        char quote = 0;
        for (int i = m.end(); i < py.length(); i++) {
            char c = py.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
                depth--;
            } else if (depth == 0 && (c == ',' || c == ')' || c == ']' || c == '}' || c == '#'
                    || (c == '\n' && toLineEnd))) {
                String e = py.substring(m.end(), i).strip();
                return e.isEmpty() ? Optional.empty() : Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /**
     * The string literals of {@code keyword=[...]} or {@code keyword={...}} when the value is a literal list or dict
     * of string literals (and lists of them) and nothing else; empty otherwise.
     */
    static Optional<List<String>> literalArgument(String source, String keyword) {
        String py = PythonText.universalNewlines(source); // a comment ends at CR, CRLF or LF, and nowhere else
        Matcher m = Pattern.compile("\\b" + keyword + "\\s*=\\s*([\\[{])").matcher(py);
        if (!m.find()) {
            return Optional.empty();
        }
        int depth = 0;
        int i = m.start(1);
        int end = -1;
        boolean inString = false;
        char quote = 0;
        for (; i < py.length(); i++) {
            char c = py.charAt(i);
            if (inString) {
                if (c == quote) {
                    inString = false;
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                inString = true;
                quote = c;
            } else if (c == '[' || c == '{') {
                depth++;
            } else if (c == ']' || c == '}') {
                if (--depth == 0) {
                    end = i + 1;
                    break;
                }
            }
        }
        if (end < 0) {
            return Optional.empty();
        }
        String literal = COMMENT.matcher(py.substring(m.start(1), end)).replaceAll("");
        List<String> out = new ArrayList<>();
        Matcher s = STRING.matcher(literal);
        while (s.find()) {
            out.add(s.group(1) != null ? s.group(1) : s.group(2));
        }
        // Only strings, brackets, colons and commas: a name, a call or a comprehension makes it computed.
        String rest = STRING.matcher(literal).replaceAll("").replaceAll("[\\s\\[\\]{}:,]", "");
        return rest.isEmpty() ? Optional.of(out) : Optional.empty();
    }

    /** Declared entry points as {@code group -> name -> value}, or empty when that cannot be known. */
    static Optional<Map<String, Map<String, String>>> entryPoints(GeneratedFiles.SourceView view) {
        Optional<String> root = root(view);
        if (root.isEmpty()) {
            return Optional.empty();
        }
        String d = root.get();
        Optional<JsonNode> pyproject = toml(view.sourceText(d + "pyproject.toml"));
        Map<String, Map<String, String>> out = new TreeMap<>();
        JsonNode project = pyproject.map(p -> p.path("project")).orElse(null);
        boolean dynamic = project != null && (contains(project.path("dynamic"), "scripts")
                || contains(project.path("dynamic"), "gui-scripts") || contains(project.path("dynamic"), "entry-points"));
        if (project != null && project.isObject()) {
            out.putAll(projectEntryPoints(project));
            if (!dynamic) {
                return Optional.of(out);
            }
        }
        JsonNode poetry = pyproject.map(p -> p.path("tool").path("poetry")).orElse(null);
        if (poetry != null && poetry.isObject() && !dynamic) {
            poetryEntryPoints(poetry).forEach((g, m) -> out.computeIfAbsent(g, k -> new TreeMap<>()).putAll(m));
            return Optional.of(out);
        }
        Optional<Map<String, Map<String, String>>> parsed = cfg(view.sourceText(d + "setup.cfg").orElse(""));
        if (parsed.isEmpty()) {
            return Optional.empty(); // setuptools would reject it: nothing in it is known
        }
        setupCfgEntryPoints(parsed.get()).forEach((g, m) -> out.computeIfAbsent(g, k -> new TreeMap<>()).putAll(m));
        Optional<String> py = view.sourceText(d + "setup.py");
        if (py.isPresent() && py.get().contains("entry_points")) {
            Optional<Map<String, Map<String, String>>> fromPy = literalEntryPoints(py.get());
            if (fromPy.isEmpty()) {
                return Optional.empty();
            }
            fromPy.get().forEach((g, m) -> out.computeIfAbsent(g, k -> new TreeMap<>()).putAll(m));
        }
        return Optional.of(out);
    }

    /** PEP 621 {@code scripts}, {@code gui-scripts} and {@code entry-points} of a {@code [project]} table. */
    static Map<String, Map<String, String>> projectEntryPoints(JsonNode project) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        put(out, "console_scripts", project.path("scripts"));
        put(out, "gui_scripts", project.path("gui-scripts"));
        project.path("entry-points").fields().forEachRemaining(g -> put(out, g.getKey(), g.getValue()));
        return out;
    }

    /** {@code [tool.poetry.scripts]} and {@code [tool.poetry.plugins]}. */
    static Map<String, Map<String, String>> poetryEntryPoints(JsonNode poetry) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        poetry.path("scripts").fields().forEachRemaining(e -> out.computeIfAbsent("console_scripts",
                k -> new TreeMap<>()).put(e.getKey(), squash(e.getValue().isTextual() ? e.getValue().asText()
                : e.getValue().path("callable").asText(e.getValue().path("reference").asText()))));
        poetry.path("plugins").fields().forEachRemaining(g -> put(out, g.getKey(), g.getValue()));
        return out;
    }

    /** What one pyproject.toml declares as entry points ({@code [project]} and {@code [tool.poetry]}). */
    static Map<String, Map<String, String>> pyprojectEntryPoints(JsonNode pyproject) {
        Map<String, Map<String, String>> out = new TreeMap<>(projectEntryPoints(pyproject.path("project")));
        JsonNode poetry = pyproject.path("tool").path("poetry");
        if (poetry.isObject()) {
            poetryEntryPoints(poetry).forEach((g, m) -> out.computeIfAbsent(g, k -> new TreeMap<>()).putAll(m));
        }
        return out;
    }

    /** setup.cfg {@code [options.entry_points]}: a group per option, one {@code name = target} a line. */
    static Map<String, Map<String, String>> setupCfgEntryPoints(Map<String, Map<String, String>> cfg) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        cfg.getOrDefault("options.entry_points", Map.of()).forEach((group, value) -> {
            for (String line : lines(value)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    out.computeIfAbsent(group, k -> new TreeMap<>()).put(line.substring(0, eq).strip(),
                            squash(line.substring(eq + 1)));
                } else {
                    // a line setuptools cannot read as an entry point (or a file: directive): kept as written
                    out.computeIfAbsent(group, k -> new TreeMap<>()).put(line, "");
                }
            }
        });
        return out;
    }

    /** {@code entry_points={'group': ['name = mod:fn', ...]}} written as literals. */
    private static Optional<Map<String, Map<String, String>>> literalEntryPoints(String py) {
        Optional<List<String>> literals = literalArgument(py, "entry_points");
        if (literals.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Map<String, String>> out = new TreeMap<>();
        String group = null;
        for (String s : literals.get()) {
            int eq = s.indexOf('=');
            if (eq < 0) {
                group = s.strip();
            } else if (group != null) {
                out.computeIfAbsent(group, k -> new TreeMap<>()).put(s.substring(0, eq).strip(), squash(s.substring(eq + 1)));
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(out);
    }

    /**
     * setup.cfg as setuptools reads it, with {@code configparser.ConfigParser}'s defaults: every line stripped for
     * comments ({@code #} and {@code ;} at the start) and section headers, option names lower-cased, {@code =} or
     * {@code :} as delimiter, a line indented deeper than its option continues it. A line configparser would reject
     * (an option before any section, a line with no delimiter) makes the whole file unknown (empty), so nothing
     * declared in it can explain a published file.
     */
    static Map<String, Map<String, String>> ini(String text) {
        return cfg(text).orElse(Map.of());
    }

    private static final Pattern SECTION = Pattern.compile("\\[(.+)\\]");
    private static final Pattern OPTION = Pattern.compile("(.*?)\\s*([=:])\\s*(.*)$");

    /** {@link #ini}, or empty when configparser would raise on the text. */
    static Optional<Map<String, Map<String, String>>> cfg(String text) {
        Map<String, Map<String, String>> out = new HashMap<>();
        Map<String, String> section = null;
        String key = null;
        int indent = Integer.MAX_VALUE;
        for (String line : text.split("\r\n|\r|\n", -1)) {
            String value = line.strip();
            if (value.startsWith("#") || value.startsWith(";")) {
                continue; // a full-line comment; it neither ends nor continues a value
            }
            if (value.isEmpty()) {
                if (section != null && key != null) {
                    section.merge(key, "\n", String::concat); // empty_lines_in_values
                }
                continue;
            }
            int level = line.indexOf(value.charAt(0));
            if (section != null && key != null && level > indent) {
                section.merge(key, "\n" + value, String::concat);
                continue;
            }
            indent = level;
            Matcher h = SECTION.matcher(value);
            if (h.lookingAt()) {
                if (out.containsKey(h.group(1))) {
                    return Optional.empty(); // DuplicateSectionError (strict)
                }
                section = new HashMap<>();
                out.put(h.group(1), section);
                key = null;
                continue;
            }
            Matcher o = OPTION.matcher(value);
            if (section == null || !o.matches() || o.group(1).isEmpty()) {
                return Optional.empty(); // MissingSectionHeaderError / ParsingError
            }
            key = o.group(1).stripTrailing().toLowerCase(Locale.ROOT);
            if (section.containsKey(key)) {
                return Optional.empty(); // DuplicateOptionError (strict)
            }
            section.put(key, o.group(3).strip());
        }
        out.values().forEach(s -> s.replaceAll((k, v) -> v.strip()));
        return Optional.of(out);
    }

    /** One {@code name = value} of an entry_points.txt section. */
    record EntryPoint(String group, String name, String value) {
    }

    /** What an installer reads from an entry_points.txt, and the lines it would not turn into an entry point. */
    record EntryPointsFile(List<EntryPoint> entries, List<String> unattributed) {
    }

    /**
     * entry_points.txt exactly as {@code importlib.metadata} ({@code Sectioned.read} and {@code Pair.parse}) and
     * pkg_resources read it: every line stripped first (so an indented {@code [group]} is a section header),
     * blank lines and {@code #} comments skipped ({@code ;} is not a comment), a header is a line starting with
     * {@code [} and ending with {@code ]} with the brackets stripped, every other line is split on its first
     * {@code =}. Lines before the first header and lines without {@code =} are unattributed: importlib drops or
     * rejects them, and a file holding them is not what any packaging tool writes.
     */
    static EntryPointsFile entryPointsTxt(String text) {
        List<EntryPoint> entries = new ArrayList<>();
        List<String> unattributed = new ArrayList<>();
        String group = null;
        int n = 0;
        for (String raw : PythonText.splitlines(text)) {
            n++;
            String line = PythonText.strip(raw);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                group = line.replaceAll("^[\\[\\]]+|[\\[\\]]+$", "");
                continue;
            }
            int eq = line.indexOf('=');
            if (group == null || eq < 0) {
                unattributed.add("line " + n + ": " + line);
                continue;
            }
            entries.add(new EntryPoint(group, line.substring(0, eq).strip(), line.substring(eq + 1).strip()));
        }
        return new EntryPointsFile(entries, unattributed);
    }

    /** The header fields of a METADATA / PKG-INFO file, and the header-block lines no field took. */
    record MetadataHeaders(List<Map.Entry<String, String>> fields, List<String> unattributed) {
        /** Every value of a field, its name compared case-insensitively as {@code Message.get_all} does. */
        List<String> all(String name) {
            return fields.stream().filter(f -> f.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
        }

        Optional<String> first(String name) {
            return all(name).stream().findFirst();
        }
    }

    /** {@code email.feedparser.headerRE}: what may start a line of the header block. */
    private static final Pattern HEADER_LINE = Pattern.compile("^(?:From |[\\x21-\\x39\\x3b-\\x7e]*:|[\\t ])");

    /**
     * A METADATA or PKG-INFO header block as {@code email.parser} (compat32, what importlib.metadata and pip use)
     * reads it: lines end at CR, LF or CRLF; the block ends at the first empty line or the first line that cannot
     * start a header (which then begins the body); field names are matched case-insensitively by readers; a line
     * starting with space or tab continues the previous field (folding). A continuation with no field before it, a
     * line starting with {@code :}, a misplaced {@code From } line, or a body that starts without the empty line
     * are parser defects: recorded as unattributed so the file is never explained.
     */
    static MetadataHeaders rfc822(String text) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        List<String> unattributed = new ArrayList<>();
        String[] lines = text.split("\r\n|\r|\n", -1);
        String name = null;
        StringBuilder value = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                break; // the header/body separator (or the end of the text)
            }
            if (!HEADER_LINE.matcher(line).lookingAt()) {
                unattributed.add("line " + (i + 1) + " ends the header block without an empty line: " + line);
                break;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (name == null) {
                    unattributed.add("line " + (i + 1) + " continues no header: " + line);
                } else {
                    value.append('\n').append(line);
                }
                continue;
            }
            if (name != null) {
                fields.add(Map.entry(name, value.toString()));
                name = null;
            }
            if (line.startsWith("From ")) {
                if (i > 0) {
                    unattributed.add("line " + (i + 1) + " is a misplaced envelope header: " + line);
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon == 0) {
                unattributed.add("line " + (i + 1) + " has no header name: " + line);
                continue;
            }
            name = line.substring(0, colon);
            value = new StringBuilder(line.substring(colon + 1).replaceFirst("^[ \t]+", ""));
        }
        if (name != null) {
            fields.add(Map.entry(name, value.toString()));
        }
        return new MetadataHeaders(fields, unattributed);
    }

    /**
     * setuptools' {@code _parse_list(value)} for an {@code [options.entry_points]} option: {@code str.splitlines()}
     * when the value has a newline, else split at {@code ,}; parts stripped, empty ones dropped.
     */
    private static List<String> lines(String value) {
        List<String> out = new ArrayList<>();
        if (value != null) {
            for (String l : value.contains("\n") ? PythonText.splitlines(value) : List.of(value.split(","))) {
                if (!PythonText.strip(l).isEmpty()) {
                    out.add(PythonText.strip(l));
                }
            }
        }
        return out;
    }

    static String squash(String value) {
        return value.replaceAll("\\s+", "");
    }

    private static void put(Map<String, Map<String, String>> out, String group, JsonNode entries) {
        entries.fields().forEachRemaining(e -> out.computeIfAbsent(group, k -> new TreeMap<>())
                .put(e.getKey(), squash(e.getValue().asText())));
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode n : array) {
            if (n.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    static Optional<JsonNode> toml(Optional<String> text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(TOML.readTree(text.get()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
