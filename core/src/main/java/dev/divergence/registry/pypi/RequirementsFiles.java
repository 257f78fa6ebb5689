package dev.divergence.registry.pypi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.divergence.compare.Normalizations;
import dev.divergence.model.Artifact;
import dev.divergence.model.ArtifactFile;
import dev.divergence.model.ArtifactKind;
import dev.divergence.model.FileStatus;
import dev.divergence.model.RiskFlag;
import dev.divergence.registry.GeneratedFiles;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Requirements files an sdist's build reads its dependencies from: setuptools'
 * {@code [tool.setuptools.dynamic] dependencies = {file = [...]}} (and {@code optional-dependencies}), setup.cfg's
 * {@code install_requires = file: ...} (and {@code extras_require}, {@code setup_requires}, {@code tests_require}),
 * hatch-requirements-txt's {@code [tool.hatch.metadata.hooks.requirements_txt]}, and any {@code requirements*.txt} or
 * {@code .in} whose path the published setup.py names (read by hand into {@code install_requires}, the common idiom);
 * the {@code -r}/{@code -c} files they include, followed. All are named by the published files, which are what the
 * build obeys. Such a file is compared with the source's as pip's requirements-file format
 * (https://pip.pypa.io/en/stable/reference/requirements-file-format/): each requirement as PEP 508 data
 * ({@link Pep508}), each option, include or URL line as its text. A requirement the source's file does not have (or
 * has with another spec, URL, marker or extra) and an option, include or URL line it does not have is a new
 * dependency ({@value PypiGeneratedFiles#NEW_DEPENDENCY}, HIGH_RISK), as for the other dependency sources.
 */
final class RequirementsFiles implements GeneratedFiles.ContentRule {

    /** Requirements files by their usual names: compared as data, before the shared text normalisations. */
    static final Pattern BY_NAME = Pattern.compile("(?:.*/)?requirements[^/]*\\.(?:txt|in)", Pattern.CASE_INSENSITIVE);
    /** How many requirements files of one sdist are followed (includes too). */
    private static final int MAX_FILES = 32;
    private static final Pattern INCLUDE = Pattern.compile("^(?:-r|--requirement|-c|--constraint)(?:\\s*=\\s*|\\s+|(?=[^-\\s]))(\\S+)");
    /** pip's {@code COMMENT_RE} ({@code (^|\\s+)#.*$}), its {@code \\s} Python's whitespace; applied to one line. */
    private static final Pattern COMMENT = Pattern.compile("(^|[" + PythonText.SPACE + "]+)#.*$", Pattern.DOTALL);
    /** Where a requirement line's own options start ({@code --hash=...}, {@code --config-settings ...}). */
    private static final Pattern LINE_OPTIONS = Pattern.compile("\\s+--?[A-Za-z]");
    private static final Pattern HASH = Pattern.compile("--hash(?:\\s*=\\s*|\\s+)\\S+");

    /** The last artifact's files: every file of one artifact is explained with the same view. */
    private record Memo(WeakReference<GeneratedFiles.SourceView> view, String root, Set<String> files) {
    }

    private static final AtomicReference<Memo> LAST = new AtomicReference<>();

    @Override
    public String id() {
        return PypiGeneratedFiles.NEW_DEPENDENCY;
    }

    @Override
    public Optional<GeneratedFiles.Decision> explain(Artifact artifact, String path, byte[] bytes, Optional<byte[]> source,
                                                     String version, GeneratedFiles.SourceView view) {
        Optional<String> root = PypiGeneratedFiles.sdistRoot(artifact);
        Optional<GeneratedFiles.Decision> finding = Optional.empty();
        if (artifact.kind() == ArtifactKind.SDIST && root.isPresent() && path.startsWith(root.get())
                && named(root.get(), view).contains(path)) {
            finding = compare(bytes, source);
        }
        if (finding.isPresent() || source.isEmpty() || !BY_NAME.matcher(path).matches()) {
            return finding;
        }
        // compared as data (PypiGeneratedFiles#comparedAsData): the shared normalisations come after
        return Normalizations.explain(bytes, source.get(), version)
                .map(e -> GeneratedFiles.Decision.of(e.status(), e.ruleId()));
    }

    /**
     * Compared in both readings of the format: pip's ({@link #parse}) and setuptools' ({@link #parseSetuptools}, for
     * the {@code file:} directives and dynamic {@code file} specs it reads); what either reading finds is reported,
     * so a line whose meaning differs between them (a comment ending in a backslash) cannot hide a requirement.
     */
    static Optional<GeneratedFiles.Decision> compare(byte[] bytes, Optional<byte[]> source) {
        String mine = new String(bytes, StandardCharsets.UTF_8);
        Optional<String> theirs = source.map(b -> new String(b, StandardCharsets.UTF_8));
        List<String> details = new ArrayList<>(findings(parse(mine), theirs.map(RequirementsFiles::parse)));
        for (String d : findings(parseSetuptools(mine), theirs.map(RequirementsFiles::parseSetuptools))) {
            if (!details.contains(d)) {
                details.add(d + " (as setuptools reads the file)");
            }
        }
        if (oneLine(mine)) {
            for (String d : findings(parseSetuptoolsFileDirective(mine),
                    theirs.map(RequirementsFiles::parseSetuptoolsFileDirective))) {
                if (!details.contains(d)) {
                    details.add(d + " (as setuptools reads a one-line setup.cfg file: directive, split at ';')");
                }
            }
        }
        if (details.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new GeneratedFiles.Decision(source.isPresent() ? FileStatus.MODIFIED : FileStatus.PHANTOM,
                PypiGeneratedFiles.NEW_DEPENDENCY, Set.of(RiskFlag.NEW_DEPENDENCY),
                Optional.of(String.join("; ", details) + " (a build of this sdist reads its dependencies from this file)")));
    }

    private static List<String> findings(Parsed mine, Optional<Parsed> source) {
        Parsed theirs = source.orElse(new Parsed(List.of(), Set.of()));
        List<String> details = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (Pep508.Requirement r : mine.requirements()) {
            Pep508.Match m = Pep508.match(r, theirs.requirements());
            if (m == Pep508.Match.CHANGED || m == Pep508.Match.NEW) {
                changed.add(PypiGeneratedFiles.describe(r, m, theirs.requirements()));
            }
        }
        if (!changed.isEmpty()) {
            details.add("dependencies the source does not declare " + changed);
        }
        Set<String> lines = new TreeSet<>(mine.other());
        lines.removeAll(theirs.other());
        if (!lines.isEmpty()) {
            details.add("pip options, includes or URL lines the source's file does not have " + lines);
        }
        return details;
    }

    /** A requirements file's requirements, and its other lines (options, includes, URLs, paths) as their text. */
    record Parsed(List<Pep508.Requirement> requirements, Set<String> other) {
    }

    /** pip's reading: backslash-continued lines joined, comments dropped, then one requirement or option a line. */
    static Parsed parse(String text) {
        return lines(pipLines(text));
    }

    /**
     * pip's {@code req_file.preprocess} up to its environment variables: {@code content.splitlines()} (so FF, VT,
     * FS/GS/RS, NEL, U+2028/U+2029 end a line too, red team round 9), {@code join_lines} (a line ending in a backslash,
     * unless it is a comment, continues with the next, its leading and trailing backslashes stripped) and
     * {@code ignore_comments} ({@code COMMENT_RE} removed, the line stripped, empty lines dropped).
     */
    static List<String> pipLines(String text) {
        List<String> joined = new ArrayList<>();
        StringBuilder pending = null;
        for (String raw : PythonText.splitlines(text)) {
            String line = raw;
            boolean comment = COMMENT.matcher(line).lookingAt();
            if (!line.endsWith("\\") || comment) {
                if (comment) {
                    line = " " + line;
                }
                if (pending != null) {
                    joined.add(pending.append(line).toString());
                    pending = null;
                } else {
                    joined.add(line);
                }
            } else {
                if (pending == null) {
                    pending = new StringBuilder();
                }
                pending.append(line.replaceAll("^\\\\+|\\\\+$", ""));
            }
        }
        if (pending != null) {
            joined.add(pending.toString());
        }
        List<String> out = new ArrayList<>();
        for (String line : joined) {
            String l = PythonText.strip(COMMENT.matcher(line).replaceFirst(""));
            if (!l.isEmpty()) {
                out.add(l);
            }
        }
        return out;
    }

    /**
     * setuptools' reading ({@code setuptools._reqs.parse_strings}: jaraco.text {@code yield_lines}, then
     * {@code drop_comment} (the text before the first {@code " #"}), then {@code join_continuation}, which drops a
     * trailing backslash with the character before it and appends the next line): comments go before continuations
     * are joined, the reverse of pip's order.
     */
    static Parsed parseSetuptools(String text) {
        return lines(setuptoolsLines(text));
    }

    /**
     * The strings {@code parse_strings} hands to {@code Requirement}: {@code yield_lines} splits with
     * {@code str.splitlines()} (FF, VT, FS/GS/RS, NEL, U+2028/U+2029 end a line too, red team round 9), strips each
     * line and drops empty and {@code #} lines; {@code drop_comment}; {@code join_continuation}.
     */
    static List<String> setuptoolsLines(String text) {
        List<String> stripped = new ArrayList<>();
        for (String raw : PythonText.splitlines(text)) {
            String l = PythonText.strip(raw);
            if (!l.isEmpty() && !l.startsWith("#")) {
                int c = l.indexOf(" #");
                stripped.add(c < 0 ? l : l.substring(0, c));
            }
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < stripped.size(); i++) {
            String item = stripped.get(i);
            boolean complete = true;
            while (item.endsWith("\\")) {
                if (i + 1 >= stripped.size()) {
                    complete = false; // join_continuation stops at a dangling continuation
                    break;
                }
                item = item.substring(0, Math.max(0, item.length() - 2)).strip() + stripped.get(++i);
            }
            if (complete) {
                lines.add(PythonText.strip(item));
            }
        }
        return lines;
    }

    /** A file with no line break as Python's universal newlines read it: setup.cfg's {@code file:} splits it at ';'. */
    private static boolean oneLine(String text) {
        return text.indexOf('\n') < 0 && text.indexOf('\r') < 0 && text.indexOf(';') >= 0;
    }

    /**
     * setup.cfg's {@code install_requires = file: ...} (and extras): setuptools' {@code _parse_requirements_list} runs
     * {@code _parse_list(text, ';')}, which splits a text without a newline at every {@code ;} (a marker's too),
     * strips the parts and drops {@code #} ones; {@code parse_strings} reads the parts after that.
     */
    static Parsed parseSetuptoolsFileDirective(String text) {
        List<String> parts = new ArrayList<>();
        for (String part : text.split(";", -1)) {
            String p = PythonText.strip(part);
            if (!p.isEmpty() && !p.startsWith("#")) {
                parts.add(p);
            }
        }
        return lines(setuptoolsLines(String.join("\n", parts)));
    }

    private static Parsed lines(List<String> lines) {
        List<Pep508.Requirement> reqs = new ArrayList<>();
        Set<String> other = new TreeSet<>();
        for (String line : lines) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("-")) {
                other.add(line.replaceAll("\\s+", " "));
                continue;
            }
            Matcher opts = LINE_OPTIONS.matcher(line);
            String req = line;
            if (opts.find()) {
                req = line.substring(0, opts.start());
                String rest = HASH.matcher(line.substring(opts.start())).replaceAll("").strip();
                if (!rest.isEmpty()) {
                    other.add(req + " " + rest.replaceAll("\\s+", " "));
                }
            }
            Optional<Pep508.Requirement> r = Pep508.parse(req);
            if (r.isPresent()) {
                reqs.add(r.get());
            } else {
                other.add(req); // a URL, a local path, an editable: what pip installs from it is not a name
            }
        }
        return new Parsed(reqs, other);
    }

    /** The sdist's requirements files its published configuration names (and those they include). */
    static Set<String> named(String root, GeneratedFiles.SourceView view) {
        Memo m = LAST.get();
        if (m != null && m.view().get() == view && m.root().equals(root)) {
            return m.files();
        }
        Set<String> files = Set.copyOf(find(root, view));
        LAST.set(new Memo(new WeakReference<>(view), root, files));
        return files;
    }

    private static Set<String> find(String root, GeneratedFiles.SourceView view) {
        Set<String> named = new LinkedHashSet<>();
        Optional<JsonNode> pyproject = PythonProject.toml(text(view, root + "pyproject.toml"));
        pyproject.ifPresent(p -> {
            JsonNode dyn = p.path("tool").path("setuptools").path("dynamic");
            add(named, root, "", dyn.path("dependencies").path("file"));
            dyn.path("optional-dependencies").forEach(e -> add(named, root, "", e.path("file")));
            JsonNode hatch = p.path("tool").path("hatch").path("metadata").path("hooks").path("requirements_txt");
            add(named, root, "", hatch.path("files"));
            hatch.path("optional-dependencies").forEach(e -> add(named, root, "", e));
        });
        text(view, root + "setup.cfg").flatMap(PythonProject::cfg).ifPresent(cfg -> {
            List<String> values = new ArrayList<>();
            Map<String, String> options = cfg.getOrDefault("options", Map.of());
            for (String key : List.of("install_requires", "setup_requires", "tests_require")) {
                Optional.ofNullable(options.get(key)).ifPresent(values::add);
            }
            values.addAll(cfg.getOrDefault("options.extras_require", Map.of()).values());
            for (String v : values) {
                String t = v.strip();
                if (t.startsWith("file:")) {
                    for (String f : t.substring(5).split(",")) {
                        add(named, root, "", f.strip());
                    }
                }
            }
        });
        text(view, root + "setup.py").ifPresent(py -> {
            for (ArtifactFile f : view.artifactFiles()) {
                if (!f.path().startsWith(root)) {
                    continue;
                }
                String rel = f.path().substring(root.length());
                if (BY_NAME.matcher(f.path()).matches() ? py.contains(rel) : namedByLiteral(py, rel)) {
                    named.add(f.path());
                }
            }
        });
        // pip follows -r and -c (relative to the including file); setuptools reads none, a hand-written reader may
        Deque<String> todo = new ArrayDeque<>(named);
        while (!todo.isEmpty() && named.size() < MAX_FILES) {
            String file = todo.poll();
            String dir = file.substring(root.length(), file.lastIndexOf('/') + 1);
            Optional<String> t = text(view, file);
            if (t.isEmpty()) {
                continue;
            }
            for (String line : pipLines(t.get())) {
                Matcher inc = INCLUDE.matcher(line);
                if (inc.find() && !inc.group(1).contains("://")) {
                    add(named, root, dir, inc.group(1)).ifPresent(todo::add);
                }
            }
        }
        return named;
    }

    /** Files a setup.py may read for anything but its dependencies: documentation, code, versions, other formats. */
    private static final Pattern NOT_A_REQUIREMENTS_LIST = Pattern.compile("(?i)(?:.*/)?(?:(?:readme|changelog|changes"
            + "|history|news|license|licence|copying|authors|contributors|notice|version)(?:[-_.][^/]*)?"
            + "|[^/]*\\.(?:md|rst|py|pyx|pxd|c|h|cc|cpp|hpp|json|toml|cfg|ini|ya?ml|html?|css|js))");

    /**
     * A setup.py reading a file it names by a string literal ({@code open('deps.txt')},
     * {@code Path('deps.txt').read_text()}, {@code os.path.join(here, 'deps.txt')}) may read its dependencies from it,
     * whatever its name (red team round 4: {@code deps.txt} into {@code install_requires}): unless the file is
     * documentation, code or a version, it is compared as a requirements list.
     */
    static boolean namedByLiteral(String py, String rel) {
        if (NOT_A_REQUIREMENTS_LIST.matcher(rel).matches()) {
            return false;
        }
        String name = rel.substring(rel.lastIndexOf('/') + 1);
        for (String literal : rel.equals(name) ? List.of(rel, "./" + rel) : List.of(rel, "./" + rel, name)) {
            if (py.contains("'" + literal + "'") || py.contains("\"" + literal + "\"")) {
                return true;
            }
        }
        return false;
    }

    private static void add(Set<String> out, String root, String dir, JsonNode spec) {
        if (spec.isTextual()) {
            add(out, root, dir, spec.asText());
        } else {
            spec.forEach(f -> {
                if (f.isTextual()) {
                    add(out, root, dir, f.asText());
                }
            });
        }
    }

    /** Adds {@code dir + rel} under the root; the path when it is new. */
    private static Optional<String> add(Set<String> out, String root, String dir, String rel) {
        if (rel.isBlank() || out.size() >= MAX_FILES) {
            return Optional.empty();
        }
        try {
            String p = java.nio.file.Path.of(dir + rel.replace('\\', '/')).normalize().toString().replace('\\', '/');
            if (!p.startsWith("../") && !p.equals("..") && !p.startsWith("/") && out.add(root + p)) {
                return Optional.of(root + p);
            }
        } catch (java.nio.file.InvalidPathException unusual) {
            // no entry of the archive has such a name
        }
        return Optional.empty();
    }

    /**
     * What a pyproject.toml says about where its dependencies are read from (setuptools' dynamic {@code file} specs,
     * hatch-requirements-txt's hook), as data: another file named there is another set of dependencies.
     */
    static JsonNode fileSpecs(JsonNode pyproject) {
        com.fasterxml.jackson.databind.node.ObjectNode out = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode();
        JsonNode dyn = pyproject.path("tool").path("setuptools").path("dynamic");
        for (String key : List.of("dependencies", "optional-dependencies")) {
            if (!dyn.path(key).isMissingNode()) {
                out.set("tool.setuptools.dynamic." + key, dyn.path(key));
            }
        }
        JsonNode hatch = pyproject.path("tool").path("hatch").path("metadata").path("hooks").path("requirements_txt");
        if (!hatch.isMissingNode()) {
            out.set("tool.hatch.metadata.hooks.requirements_txt", hatch);
        }
        return out;
    }

    private static Optional<String> text(GeneratedFiles.SourceView view, String path) {
        return view.artifactBytes(path).map(b -> new String(b, StandardCharsets.UTF_8));
    }
}
