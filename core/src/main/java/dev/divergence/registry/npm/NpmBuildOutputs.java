package dev.divergence.registry.npm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.divergence.registry.GeneratedFiles.SourceView;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.ignore.FastIgnoreRule;
import org.eclipse.jgit.ignore.IgnoreNode;

/**
 * Which shipped files are a package's build output, from two facts about this very release rather than a folder
 * list: the published {@code package.json} names them ({@code files}, or the folder of a {@code main}, {@code module},
 * {@code exports}, {@code types}, {@code bin}, {@code browser} target), and the repository's {@code .gitignore}
 * files at the commit ignore them (so the build wrote them and Git never held them). A file the source tree holds
 * at that path is build output only when it is ignored as well (a tracked file that the build overwrites).
 * https://docs.npmjs.com/cli/configuring-npm/package-json#files, https://git-scm.com/docs/gitignore
 */
final class NpmBuildOutputs {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fields whose targets are files the build produces and npm or bundlers load. */
    private static final List<String> PATH_FIELDS = List.of("main", "module", "types", "typings", "browser", "bin",
            "exports", "unpkg", "jsdelivr");

    private final String root;
    private final Map<String, FastIgnoreRule> filesRules = new java.util.LinkedHashMap<>();
    /** Top folders of entry-point targets ({@code dist-node/} for {@code main: dist-node/index.js}). */
    private final Set<String> targetFolders = new LinkedHashSet<>();
    private final Set<String> targets = new LinkedHashSet<>();
    private final SourceView view;
    private final Map<String, Optional<IgnoreNode>> ignoreFiles = new HashMap<>();

    private NpmBuildOutputs(String root, SourceView view) {
        this.root = root;
        this.view = view;
    }

    /** Reads the published package.json at the tarball root; none (or malformed) names nothing. */
    static NpmBuildOutputs of(SourceView view) {
        Optional<String> manifest = view.artifactFiles().stream().map(f -> f.path())
                .filter(p -> p.matches("[^/]+/package\\.json")).findFirst();
        if (manifest.isEmpty()) {
            return new NpmBuildOutputs("", view);
        }
        NpmBuildOutputs b = new NpmBuildOutputs(manifest.get().substring(0, manifest.get().length() - "package.json".length()), view);
        try {
            JsonNode pkg = JSON.readTree(view.artifactBytes(manifest.get()).orElse(new byte[0]));
            if (pkg != null && pkg.isObject()) {
                b.read(pkg);
            }
        } catch (IOException e) {
            // malformed: it names nothing (and is itself a difference the package.json rule reports)
        }
        return b;
    }

    /**
     * Scripts whose output is in the publisher's working tree when {@code npm publish} packs it
     * (https://docs.npmjs.com/cli/using-npm/scripts): {@code prepare}, {@code prepack} and {@code prepublishOnly} run
     * on publish (npm 4+); {@code prepublish} ran on publish up to npm 6 and, in every npm, on the publisher's own
     * {@code npm install}/{@code npm ci} (npm 7 only stopped running it on publish), as does {@code prepare}.
     * Dates cannot tell the npm of an old release (the registry rewrote many packuments' {@code time}), and need
     * not: what such a script writes is in the tree either way.
     */
    static final List<String> PUBLISH_SCRIPTS = List.of("prepublish", "prepare", "prepack", "prepublishOnly");

    /**
     * The files (artifact paths) that a publish-time script of the source's package.json at the commit writes by a
     * stdout redirect or a well-known output flag ({@link NpmScripts#writtenFiles}), with why: build output the
     * publisher's tree regenerated (mime 1.x: {@code "prepublish": "node build/build.js > types.json"}). The
     * repository's manifest decides, not the published one: a script only the tarball declares explains nothing.
     */
    static Map<String, String> scriptWritten(SourceView view) {
        Optional<String> manifest = view.artifactFiles().stream().map(f -> f.path())
                .filter(p -> p.matches("[^/]+/package\\.json")).findFirst();
        if (manifest.isEmpty()) {
            return Map.of();
        }
        String root = manifest.get().substring(0, manifest.get().length() - "package.json".length());
        JsonNode src;
        try {
            Optional<byte[]> bytes = view.alignment().sourcePath(manifest.get()).flatMap(view::sourceBytes);
            src = bytes.isEmpty() ? null : JSON.readTree(bytes.get());
        } catch (IOException e) {
            src = null;
        }
        if (src == null || !src.isObject()) {
            return Map.of();
        }
        JsonNode scripts = src.path("scripts");
        Set<String> names = new java.util.HashSet<>();
        scripts.fieldNames().forEachRemaining(names::add);
        Map<String, String> out = new java.util.LinkedHashMap<>();
        // each publish script, and what it runs by name (qs: "prepublish": "npm run dist", "dist": "browserify ...
        // > dist/qs.js"), with the pre/post scripts npm runs around a named one; each script read once
        java.util.ArrayDeque<String[]> todo = new java.util.ArrayDeque<>();
        Set<String> seen = new java.util.HashSet<>();
        for (String script : PUBLISH_SCRIPTS) {
            todo.add(new String[] {script, script});
        }
        while (!todo.isEmpty()) {
            String[] next = todo.poll();
            String script = next[0];
            if (!seen.add(script) || !scripts.path(script).isTextual()) {
                continue;
            }
            String cmd = scripts.path(script).asText("");
            String by = script.equals(next[1]) ? "the " + script + " script" : "the " + script + " script (run by "
                    + next[1] + ")";
            for (String file : NpmScripts.writtenFiles(cmd)) {
                out.putIfAbsent(root + file, "written by " + by + " of the source's package.json: "
                        + (cmd.length() > 120 ? cmd.substring(0, 120) + "..." : cmd));
            }
            for (String run : NpmScripts.scriptsRun(cmd, names)) {
                for (String s : List.of("pre" + run, run, "post" + run)) {
                    todo.add(new String[] {s, next[1]});
                }
            }
        }
        return out;
    }

    /**
     * The folder the package is published from when it is not the manifest's own: a build folder the repository's
     * .gitignore ignores at the commit, named by the source's own publish command — {@code cd DIR && npm publish} or
     * {@code npm publish DIR} (also {@code yarn}/{@code pnpm}) in a {@code package.json} script or a {@code Makefile}
     * recipe beside it (async's {@code cd build/ && npm publish}), or {@code publishConfig.directory} (pnpm, lerna).
     * Everything such a folder holds was written by the build: a shipped file with no source at its path is build
     * output. Empty for any other package, and when the folder is not ignored (a committed folder is compared as is).
     */
    static Optional<String> publishFolder(SourceView view) {
        Optional<String> manifest = view.artifactFiles().stream().map(f -> f.path())
                .filter(p -> p.matches("[^/]+/package\\.json")).findFirst();
        Optional<String> sourceManifest = manifest.flatMap(m -> view.alignment().sourcePath(m));
        if (sourceManifest.isEmpty()) {
            return Optional.empty();
        }
        String dir = sourceManifest.get().substring(0, sourceManifest.get().length() - "package.json".length());
        List<String[]> named = new java.util.ArrayList<>(); // folder, where
        try {
            JsonNode src = JSON.readTree(view.sourceBytes(sourceManifest.get()).orElse(new byte[0]));
            if (src != null && src.isObject()) {
                String d = src.path("publishConfig").path("directory").asText("");
                if (!d.isEmpty()) {
                    named.add(new String[] {d, "publishConfig.directory of the source's package.json"});
                }
                src.path("scripts").fields().forEachRemaining(e -> publishFolders(e.getValue().asText(""))
                        .forEach(f -> named.add(new String[] {f, "the " + e.getKey() + " script of the source's package.json"})));
            }
        } catch (IOException e) {
            // a malformed manifest names no folder
        }
        for (String makefile : List.of("Makefile", "makefile", "GNUmakefile")) {
            view.sourceBytes(dir + makefile).ifPresent(b -> publishFolders(new String(b, java.nio.charset.StandardCharsets.UTF_8))
                    .forEach(f -> named.add(new String[] {f, dir + makefile})));
        }
        NpmBuildOutputs ignore = new NpmBuildOutputs("", view);
        for (String[] n : named) {
            String folder = n[0].replace('\\', '/').replaceFirst("^(\\./)+", "").replaceAll("/+$", "");
            if (!folder.matches("[A-Za-z0-9_.@-]+(/[A-Za-z0-9_.@-]+)*") || folder.matches("(.*/)?\\.\\.?(/.*)?")) {
                continue; // the manifest's own folder, a parent, an absolute path or an expression: not a build folder
            }
            Optional<String> by = ignore.ignoredBy(dir + folder + "/package.json");
            if (by.isPresent()) {
                return Optional.of("published from " + folder + "/ (" + n[1] + "), a folder " + by.get() + " ignores");
            }
        }
        return Optional.empty();
    }

    private static final java.util.regex.Pattern CD_THEN_PUBLISH = java.util.regex.Pattern.compile(
            "(?:^|[;&|(]|\\s)cd\\s+([^\\s;&|()]+)\\s*(?:&&|;)\\s*(?:npm|yarn|pnpm)\\s+publish\\b");
    private static final java.util.regex.Pattern PUBLISH_ARGS = java.util.regex.Pattern.compile(
            "(?:^|[;&|(]|\\s)(?:npm|pnpm|yarn)\\s+publish((?:\\s+[^\\s;&|()]+)*)");
    /** npm publish's options that take a value as the next word. */
    private static final Set<String> VALUED = Set.of("--tag", "--access", "--otp", "--registry", "--workspace", "-w",
            "--userconfig", "--new-version", "--provenance-file");

    /** The folders a shell text publishes: {@code cd DIR && npm publish}, {@code npm publish DIR}. */
    static List<String> publishFolders(String text) {
        List<String> out = new java.util.ArrayList<>();
        java.util.regex.Matcher cd = CD_THEN_PUBLISH.matcher(text);
        while (cd.find()) {
            out.add(cd.group(1));
        }
        java.util.regex.Matcher pub = PUBLISH_ARGS.matcher(text);
        while (pub.find()) {
            String[] words = pub.group(1).strip().split("\\s+");
            for (int i = 0; i < words.length; i++) {
                String w = words[i];
                if (w.isEmpty() || w.startsWith("$") || w.startsWith("`")) {
                    break;
                }
                if (w.startsWith("-")) {
                    if (VALUED.contains(w)) {
                        i++;
                    }
                    continue;
                }
                if (!w.endsWith(".tgz")) {
                    out.add(w); // npm publish <folder>; a tarball is packed elsewhere, not a folder
                }
                break;
            }
        }
        return out;
    }

    /** Whether the published package.json names this artifact path itself as an entry ({@code main}, {@code exports}, ...). */
    boolean entryTarget(String artifactPath) {
        return artifactPath.startsWith(root) && targets.contains(artifactPath.substring(root.length()));
    }

    private void read(JsonNode pkg) {
        for (JsonNode f : pkg.path("files")) {
            String e = f.asText("").trim();
            if (e.isEmpty() || e.startsWith("!")) {
                continue; // a negation names nothing
            }
            String entry = e.replaceFirst("^(\\./)+", "").replaceFirst("^/+", "");
            // npm-packlist reads `files` as gitignore-style patterns anchored at the package root
            filesRules.put(entry, new FastIgnoreRule("/" + entry));
        }
        for (String field : PATH_FIELDS) {
            leaves(pkg.path(field));
        }
    }

    private void leaves(JsonNode n) {
        if (n.isTextual()) {
            String t = n.asText().replace('\\', '/').replaceFirst("^(\\./)+", "");
            if (t.isEmpty() || t.startsWith("/") || t.startsWith("../") || t.contains("*")) {
                return;
            }
            targets.add(t);
            if (t.indexOf('/') > 0) {
                targetFolders.add(t.substring(0, t.indexOf('/') + 1));
            }
        } else if (n.isContainerNode()) {
            n.forEach(this::leaves);
        }
    }

    /**
     * Why {@code artifactPath} is build output, or empty: named by the published package.json and ignored by the
     * repository at the commit.
     */
    Optional<String> why(String artifactPath) {
        if (!artifactPath.startsWith(root)) {
            return Optional.empty();
        }
        String rel = artifactPath.substring(root.length());
        Optional<String> named = namedBy(rel);
        if (named.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> src = view.alignment().sourcePath(artifactPath);
        if (src.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> ignoredBy = ignoredBy(src.get());
        return ignoredBy.map(g -> "named by package.json " + named.get() + ", ignored by " + g);
    }

    private Optional<String> namedBy(String rel) {
        if (targets.contains(rel)) {
            return Optional.of("entry point");
        }
        for (String folder : targetFolders) {
            if (rel.startsWith(folder)) {
                return Optional.of("entry point folder " + folder);
            }
        }
        for (Map.Entry<String, FastIgnoreRule> r : filesRules.entrySet()) {
            if (r.getValue().isMatch(rel, false, false)) {
                return Optional.of("files entry " + r.getKey());
            }
        }
        return Optional.empty();
    }

    /**
     * The .gitignore that ignores {@code path} at the commit, Git's way: a path is ignored when it or one of its
     * folders is, and for each the deepest .gitignore with a matching rule decides (its last matching rule wins).
     */
    Optional<String> ignoredBy(String path) {
        String[] parts = path.split("/");
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                prefix.append('/');
            }
            prefix.append(parts[i]);
            Optional<String> by = decide(prefix.toString(), i < parts.length - 1);
            if (by.isPresent()) {
                return by;
            }
        }
        return Optional.empty();
    }

    /** The .gitignore that ignores exactly this path (a folder when {@code dir}), or empty when none does. */
    private Optional<String> decide(String path, boolean dir) {
        String d = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "";
        while (true) {
            String gi = d.isEmpty() ? ".gitignore" : d + "/.gitignore";
            Optional<IgnoreNode> node = ignoreFiles.computeIfAbsent(gi, this::parse);
            if (node.isPresent()) {
                String rel = d.isEmpty() ? path : path.substring(d.length() + 1);
                Boolean ignored = node.get().checkIgnored(rel, dir);
                if (ignored != null) {
                    return ignored ? Optional.of(gi) : Optional.empty();
                }
            }
            if (d.isEmpty()) {
                return Optional.empty();
            }
            d = d.contains("/") ? d.substring(0, d.lastIndexOf('/')) : "";
        }
    }

    private Optional<IgnoreNode> parse(String gitignore) {
        Optional<byte[]> bytes = view.sourceBytes(gitignore);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        IgnoreNode node = new IgnoreNode();
        try {
            node.parse(gitignore, new ByteArrayInputStream(bytes.get()));
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(node);
    }
}
