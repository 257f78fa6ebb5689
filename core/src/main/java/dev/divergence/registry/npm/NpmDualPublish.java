package dev.divergence.registry.npm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.divergence.model.Artifact;
import dev.divergence.model.ArtifactFile;
import dev.divergence.model.FileStatus;
import dev.divergence.registry.GeneratedFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * dual-publish (https://github.com/ai/dual-publish) re-applied to the source: it runs clean-publish, then, in the copy
 * it publishes, turns every {@code index.js} (and {@code index.browser.js}/{@code index.native.js}) from CommonJS into
 * ESM, writes a CommonJS copy {@code index.cjs} whose relative {@code require}s point at {@code index.cjs} files, and
 * writes {@code type}/{@code main}/{@code module}/{@code react-native}/{@code browser}/{@code exports} into the
 * {@code package.json} of each such folder. A published file is explained only when it is byte for byte what the
 * version of dual-publish the source's lock file pins writes from the tracked file (after clean-publish's
 * {@code cleanComments} when the source configures it): a token added anywhere stays a difference.
 *
 * <p>Modelled: the versions nanoid 3.x published with, read one by one from the tool's source (0.8.6 to 4.0.0, see
 * {@link #VARIANTS}). Not modelled, so left visible: other versions, a {@code files} field (it changes what the tool
 * globs), and clean-publish options given other than in the package.json section or {@code .clean-publish}. The
 * {@code process.env.NODE_ENV} copies ({@code index.dev.js}/{@code index.prod.js}, 1.0.2 on) are modelled.
 */
public final class NpmDualPublish {

    public static final String RULE = "npm.dual-publish";

    private static final ObjectMapper JSON = dev.divergence.registry.ManifestParsers.JSON;

    /** How each read version writes, in the order they were released (process-dir.js, replacePackage). */
    enum Variant {
        /** 0.8.6: conditions require, import, browser; the browser field overwritten; eslintIgnore deleted. */
        V0_8,
        /** 0.9.0-0.10.2: as 0.8.6 without deleting eslintIgnore (0.10.3 escaped the dots of its relative test). */
        V0_9,
        /** 0.10.3: the browser condition first. */
        V0_10_3,
        /** 0.11.0: {@code "."} first, types/style conditions after the loop. */
        V0_11,
        /** 1.0.2: NODE_ENV copies index.dev.js/index.prod.js; exports' browser condition follows the root's. */
        V1_0_2,
        /** 1.0.3-1.0.4: each subpath's own NODE_ENV copies. */
        V1_0_3,
        /** 1.0.5: a {@code default} condition. */
        V1_0_5,
        /** 1.0.6: browser field merged, not overwritten. */
        V1_0_6,
        /** 1.0.8-3.0.0: index.browser.cjs written and mapped, an empty root browser dropped. */
        V1_0_8,
        /** 3.0.1: types/style conditions before the loop. */
        V3_0_1,
        /**
         * 4.0.0: no {@code types} condition before the loop; with a root {@code types} ending {@code .d.ts}, each
         * subpath's {@code require}/{@code import} are {@code {types, default}} objects (the root's types, its
         * {@code .d.cts} twin for require) and each processed folder's {@code types} file is copied to a {@code .d.cts}.
         */
        V4_0_0;

        boolean from(Variant v) {
            return compareTo(v) >= 0;
        }
    }

    /** The versions whose process-dir.js was read, and how each writes. Any other version is not modelled. */
    static final Map<String, Variant> VARIANTS = Map.ofEntries(
            Map.entry("0.8.6", Variant.V0_8), Map.entry("0.9.0", Variant.V0_9), Map.entry("0.10.0", Variant.V0_9),
            Map.entry("0.10.1", Variant.V0_9), Map.entry("0.10.2", Variant.V0_9), Map.entry("0.10.3", Variant.V0_10_3),
            Map.entry("0.11.0", Variant.V0_11), Map.entry("1.0.2", Variant.V1_0_2), Map.entry("1.0.3", Variant.V1_0_3),
            Map.entry("1.0.4", Variant.V1_0_3), Map.entry("1.0.5", Variant.V1_0_5), Map.entry("1.0.6", Variant.V1_0_6),
            Map.entry("1.0.8", Variant.V1_0_8), Map.entry("2.0.0", Variant.V1_0_8), Map.entry("2.0.1", Variant.V1_0_8),
            Map.entry("2.0.2", Variant.V1_0_8), Map.entry("3.0.0", Variant.V1_0_8), Map.entry("3.0.1", Variant.V3_0_1),
            Map.entry("4.0.0", Variant.V4_0_0));

    // JavaScript's \s, \S and . (ECMAScript WhiteSpace and LineTerminator), which Java's differ from.
    private static final String WS = "\\t\\n\\x0B\\f\\r \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF";
    private static final String S = "[" + WS + "]";
    private static final String NS = "[^" + WS + "]";
    private static final String DOT = "[^\\n\\r\\u2028\\u2029]";
    /** JavaScript's {@code ^} under the {@code m} flag: the start, or just after a line terminator. */
    private static final String LINE_START = "(?<![^\\n\\r\\u2028\\u2029])";

    private static final Pattern EXPORTED = Pattern.compile("(^|\\n)module" + DOT + "exports" + S + "*=" + S + "*" + NS);
    private static final Pattern NAMED = Pattern.compile(
            "(^|\\n)(let|const|var)" + S + "+(\\{[^}]+\\}|" + NS + "+)" + S + "*=" + S + "*require\\([^)]+\\)");
    private static final Pattern NAME = Pattern.compile(
            "(" + LINE_START + "|\\n)(let" + S + "+|const" + S + "+|var" + S + "+)(" + NS + "+|\\{[^}]+\\})" + S + "*=");
    private static final Pattern NAMELESS = Pattern.compile("(^|\\n)require\\(([^)]+)\\)");
    private static final Pattern REQUIRE_ARG = Pattern.compile("require\\(([^)]+)\\)");
    private static final Pattern INDEX_WITHOUT_EXT = Pattern.compile("/index[\"']");
    private static final Pattern ASSET = Pattern.compile("\\.(svg|png|css|sass)[\"']\\z");
    private static final Pattern RELATIVE = Pattern.compile("^[\"']\\.\\.?([\"']\\z|/)");
    /** Before 0.10.3 the dots were unescaped: any one or two characters then a quote or a slash. */
    private static final Pattern RELATIVE_LOOSE = Pattern.compile("^[\"']" + DOT + DOT + "?([\"']\\z|/)");
    private static final Pattern INDEX_JS_END = Pattern.compile("/index\\.js([\"'])\\z");
    private static final Pattern SLASH_QUOTE_END = Pattern.compile("/[\"']\\z");
    private static final Pattern QUOTE_END = Pattern.compile("[\"']\\z");
    private static final Pattern WRONG_EXPORT = Pattern.compile("module\\.exports" + S + "*=" + S + "*\\{" + S + "*\\w+:");
    private static final Pattern LEFT_REQUIRE = Pattern.compile("(\\W|^)require\\(");
    private static final Pattern LEFT_EXPORTS = Pattern.compile("(\\W|^)(module\\.)?exports\\.");
    private static final Pattern PROCESSED = Pattern.compile("(^|/|\\\\)index(\\.browser|\\.native)?\\.js");
    private static final Pattern ENV_CONDITION = Pattern.compile(
            "process" + DOT + "env" + DOT + "NODE_ENV" + S + "*[!=]==?" + S + "*[\"'`](production|development)[\"'`]");
    private static final String NODE_ENV = "process" + DOT + "env" + DOT + "NODE_ENV" + S + "*";
    private static final Pattern PROD_CONDITION = Pattern.compile(NODE_ENV + "(===?" + S + "*[\"'`]production[\"'`]|!==?"
            + S + "*[\"'`]development[\"'`])");
    private static final Pattern DEV_CONDITION = Pattern.compile(NODE_ENV + "(!==?" + S + "*[\"'`]production[\"'`]|===?"
            + S + "*[\"'`]development[\"'`])");
    private static final Pattern LINE_COMMENT = Pattern.compile(S + "*//" + DOT + "*\\n");
    private static final Pattern BLOCK_COMMENT = Pattern.compile(S + "*/\\*[^/]+\\*/\\n?");
    private static final Pattern NEWLINES = Pattern.compile("\\n+");
    private static final Pattern LEADING_NEWLINES = Pattern.compile(LINE_START + "\\n+");

    /**
     * One release's dual-publish run as the source says it was made: the version pinned, whether clean-publish
     * removed comments first, the tarball's top folder, the source folder of the package, and the files the tool
     * processed (tracked {@code index.js}/{@code index.browser.js}/{@code index.native.js} files the tarball ships).
     */
    record Run(String version, Variant variant, boolean cleanComments, String prefix, String sourceDir,
               List<String> files, Set<String> envTargets) {

        String describe() {
            return "dual-publish " + version + (cleanComments ? " after clean-publish cleanComments" : "");
        }
    }

    private NpmDualPublish() {
    }

    /**
     * The run, when the package is provably dual-published: the source's package.json declares {@code dual-publish}
     * as a dependency and a lock file at the package or the repository root pins one version of it that was read.
     */
    static Optional<Run> run(GeneratedFiles.SourceView view) {
        LastRun last = LAST.get();
        if (last != null && last.view().get() == view) {
            return last.run(); // one artifact's files are classified one after another on a thread
        }
        Optional<Run> run = find(view);
        LAST.set(new LastRun(new java.lang.ref.WeakReference<>(view), run));
        return run;
    }

    private record LastRun(java.lang.ref.WeakReference<GeneratedFiles.SourceView> view, Optional<Run> run) {
    }

    private static final ThreadLocal<LastRun> LAST = new ThreadLocal<>();

    private static Optional<Run> find(GeneratedFiles.SourceView view) {
        Optional<NpmLayout.SourceManifest> found = NpmLayout.SourceManifest.of(view);
        if (found.isEmpty() || !(found.get().manifest().path("devDependencies").has("dual-publish")
                || found.get().manifest().path("dependencies").has("dual-publish"))) {
            return Optional.empty();
        }
        String prefix = found.get().prefix();
        String sourceDir = found.get().sourceDir();
        ObjectNode pkg = found.get().manifest();
        if (pkg.has("files") || view.tree().get(sourceDir + ".clean-publish.js").isPresent()
                || pkg.path("scripts").toString().contains("--clean-comment")) {
            return Optional.empty(); // files changes what the tool globs; a JS config or a flag is not read here
        }
        Optional<String> version = lockedVersion(view, sourceDir);
        Variant variant = version.map(VARIANTS::get).orElse(null);
        if (variant == null) {
            return Optional.empty();
        }
        boolean cleanComments = pkg.path("clean-publish").path("cleanComments").asBoolean(false)
                || object(view.sourceBytes(sourceDir + ".clean-publish")).map(c -> c.path("cleanComments")
                .asBoolean(false)).orElse(false);
        Set<String> bins = new TreeSet<>();
        if (!version.get().equals("0.8.6") && !version.get().equals("0.9.0")) {
            JsonNode bin = pkg.path("bin"); // from 0.10.0 the bin files are not processed
            if (bin.isTextual()) {
                bins.add(clean(bin.asText()));
            } else {
                bin.forEach(b -> bins.add(clean(b.asText())));
            }
        }
        Set<String> files = new TreeSet<>();
        for (ArtifactFile f : view.artifactFiles()) {
            if (f.type() != ArtifactFile.EntryType.FILE || !f.path().startsWith(prefix)) {
                continue;
            }
            String rel = f.path().substring(prefix.length());
            if (rel.endsWith(".js") && PROCESSED.matcher(rel).find() && !bins.contains(rel)
                    && !rel.endsWith(".test.js") && !rel.endsWith(".spec.js")
                    && view.tree().get(sourceDir + rel).isPresent()) {
                files.add(rel);
            }
        }
        Run run = new Run(version.get(), variant, cleanComments, prefix, sourceDir, List.copyOf(files), Set.of());
        if (!variant.from(Variant.V1_0_2)) {
            return Optional.of(run);
        }
        // findEnvTargets (1.0.2+): each index.browser.js, and each index.js without one beside it, whose text tests
        // process.env.NODE_ENV against "production" or "development"
        Set<String> browserDirs = new TreeSet<>();
        files.stream().filter(f -> f.endsWith("index.browser.js")).forEach(f -> browserDirs.add(dirname(f)));
        Set<String> targets = new TreeSet<>();
        for (String f : files) {
            if (f.endsWith("index.browser.js") || (f.endsWith("index.js") && !browserDirs.contains(dirname(f)))) {
                Optional<String> text = toolInput(view, run, f); // what the tool tests, proven or not
                if (text.isEmpty()) {
                    return Optional.empty();
                }
                if (ENV_CONDITION.matcher(text.get()).find()) {
                    targets.add(f);
                }
            }
        }
        return Optional.of(new Run(run.version(), variant, cleanComments, prefix, sourceDir, run.files(), Set.copyOf(targets)));
    }

    /** The text dual-publish read for a tracked file: the source, after clean-publish's cleanComments if configured. */
    static Optional<String> toolInput(GeneratedFiles.SourceView view, Run run, String rel) {
        return view.sourceBytes(run.sourceDir() + rel).flatMap(NpmDualPublish::utf8)
                .map(s -> run.cleanComments() ? cleanComments(s) : s);
    }

    /**
     * {@link #toolInput}, when it is the same program as the tracked file: cleanComments is a text regex that also
     * strips a {@code //} inside a string or a template literal (closing it early, un-commenting what followed), so
     * its output must be the source with comments removed by {@link NpmStrippedComments#difference}; empty if not.
     */
    static Optional<String> input(GeneratedFiles.SourceView view, Run run, String rel) {
        Optional<String> read = toolInput(view, run, rel);
        if (read.isEmpty() || !run.cleanComments()) {
            return read;
        }
        Optional<byte[]> source = view.sourceBytes(run.sourceDir() + rel);
        return NpmStrippedComments.difference(read.get().getBytes(StandardCharsets.UTF_8), source.orElseThrow())
                .isEmpty() ? read : Optional.empty();
    }

    /** clean-publish 3.4-4.x cleanComments (core.js): line comments, then runs of newlines, then leading newlines. */
    static String cleanComments(String s) {
        return cleanComments(s, false);
    }

    /**
     * clean-publish's cleanComments (core.js), a regex pass: line comments; with {@code blockComments} (5.x) then
     * {@code /\s*\/\*[^/]+\*\/\n?/gm}; then runs of newlines; then leading newlines.
     */
    static String cleanComments(String s, boolean blockComments) {
        String a = LINE_COMMENT.matcher(s).replaceAll("\n");
        if (blockComments) {
            a = BLOCK_COMMENT.matcher(a).replaceAll("\n");
        }
        String b = NEWLINES.matcher(a).replaceAll("\n");
        return LEADING_NEWLINES.matcher(b).replaceAll("");
    }

    /** replaceEnvConditions: the NODE_ENV tests of the ESM text made constant, for index.prod.js or index.dev.js. */
    static String envCopy(String esm, boolean production) {
        String a = PROD_CONDITION.matcher(esm).replaceAll(production ? "true" : "false");
        return DEV_CONDITION.matcher(a).replaceAll(production ? "false" : "true");
    }

    /** replaceToCJS: relative requires pointed at index.cjs; empty when the tool would have failed. */
    static Optional<String> toCjs(String src, boolean loose) {
        try {
            String out = replaceRequire(src,
                    (str, prefix, postfix) -> str,
                    (str, prefix, varType, name) -> prefix + varType + name + " = require(" + path(str, "cjs", loose) + ")",
                    (str, prefix) -> prefix + "require(" + path(str, "cjs", loose) + ")");
            return wellFormed(out);
        } catch (ToolError e) {
            return Optional.empty();
        }
    }

    /** replaceToESM: require → import, module.exports → export; empty when the tool would have failed. */
    static Optional<String> toEsm(String src, boolean loose, boolean checksWrongExport) {
        if (checksWrongExport && WRONG_EXPORT.matcher(src).find()) {
            return Optional.empty();
        }
        try {
            String esm = replaceRequire(src,
                    (str, prefix, postfix) -> postfix.equals("{") ? prefix + "export " + postfix
                            : prefix + "export default " + postfix,
                    (str, prefix, varType, name) -> prefix + "import " + name.replaceFirst(S + "*:" + S + "*", " as ")
                            + " from " + path(str, "js", loose),
                    (str, prefix) -> prefix + "import " + path(str, "js", loose));
            if (LEFT_REQUIRE.matcher(esm).find() || LEFT_EXPORTS.matcher(esm).find()) {
                return Optional.empty();
            }
            return wellFormed(esm);
        } catch (ToolError e) {
            return Optional.empty();
        }
    }

    /**
     * The package.json dual-publish writes in a folder holding a processed {@code index.js}: {@code existing} (the
     * folder's own, or at the root clean-publish's) with the tool's fields set; {@code files} as {@link Run#files}.
     */
    static ObjectNode manifest(ObjectNode existing, String file, List<String> files, Set<String> env, Variant v) {
        ObjectNode pkg = existing.deepCopy();
        pkg.put("type", "module");
        pkg.put("main", "index.cjs");
        pkg.put("module", "index.js");
        pkg.put("react-native", "index.js");
        String base = file.substring(0, file.length() - ".js".length());
        boolean root = file.equals("index.js");
        if (v == Variant.V0_8 && root) {
            pkg.remove("eslintIgnore");
        }
        if (!v.from(Variant.V0_10_3)) { // 0.8.6-0.10.2 write exports first, browser/react-native after
            if (root) {
                exportsOld(pkg, files);
            }
        }
        if (files.contains(base + ".browser.js")
                || (v == Variant.V1_0_2 && (env.contains(file) || env.contains(base + ".browser.js")))) {
            if (v.from(Variant.V1_0_6)) {
                if (!truthy(pkg.get("browser"))) {
                    pkg.putObject("browser");
                }
                ObjectNode b = pkg.get("browser").isObject() ? (ObjectNode) pkg.get("browser") : null;
                if (b == null) {
                    throw new ToolError(); // a string browser field: JS would set a property on a string, ignored
                }
                b.put("./index.js", "./index.browser.js");
                if (v.from(Variant.V1_0_8)) {
                    b.put("./index.cjs", "./index.browser.cjs");
                }
            } else {
                pkg.putObject("browser").put("./index.js", "./index.browser.js");
            }
        }
        if (files.contains(base + ".native.js")) {
            pkg.putObject("react-native").put("./index.js", "./index.native.js");
        }
        if (v.from(Variant.V0_10_3) && root) {
            if (v.from(Variant.V1_0_8) && !truthy(pkg.get("browser"))) {
                pkg.putObject("browser");
            }
            ObjectNode exports = pkg.putObject("exports");
            if (v.from(Variant.V0_11)) {
                exports.putObject(".");
            }
            if (v.from(Variant.V3_0_1)) {
                types(pkg, exports, v);
            }
            for (String i : files) {
                if (i.endsWith(".browser.js") || i.endsWith(".native.js")) {
                    continue;
                }
                String path = i.equals("index.js") ? "." : "./" + dirname(i);
                exports.put(path + "/package.json", path + "/package.json");
                ObjectNode entry;
                if (v.from(Variant.V0_11) && exports.path(path).isObject()) {
                    entry = (ObjectNode) exports.get(path);
                } else {
                    entry = exports.putObject(path);
                }
                String browser = i.substring(0, i.length() - 3) + ".browser.js";
                // 1.0.2 asked whether the root (not this subpath) had NODE_ENV copies: its bug, modelled as it was
                boolean envCopies = v == Variant.V1_0_2 ? env.contains("index.js") || env.contains("index.browser.js")
                        : v.from(Variant.V1_0_3) && (env.contains(i) || env.contains(browser));
                if (envCopies) {
                    ObjectNode b = entry.putObject("browser");
                    b.put("development", path + "/index.dev.js");
                    b.put("production", path + "/index.prod.js");
                    if (v.from(Variant.V1_0_5)) {
                        b.put("default", path + "/index.prod.js");
                    }
                } else if (files.contains(browser)) {
                    entry.put("browser", path + "/index.browser.js");
                }
                if (v.from(Variant.V4_0_0) && pkg.has("types") && !pkg.get("types").isNull()) {
                    if (!pkg.get("types").isTextual()) {
                        throw new ToolError(); // pkg.types.endsWith on a non-string throws
                    }
                    String t = pkg.get("types").asText();
                    if (t.endsWith(".d.ts")) {
                        entry.putObject("require").put("types", t.substring(0, t.length() - 5) + ".d.cts")
                                .put("default", path + "/index.cjs");
                        entry.putObject("import").put("types", t).put("default", path + "/index.js");
                        entry.put("default", path + "/index.js");
                        continue;
                    }
                }
                entry.put("require", path + "/index.cjs");
                entry.put("import", path + "/index.js");
                if (v.from(Variant.V1_0_5)) {
                    entry.put("default", path + "/index.js");
                }
            }
            if (v.from(Variant.V0_11) && !v.from(Variant.V3_0_1)) {
                types(pkg, exports, v);
            }
            if (v.from(Variant.V1_0_8) && pkg.get("browser").isObject() && pkg.get("browser").isEmpty()) {
                pkg.remove("browser");
            }
        }
        return pkg;
    }

    private static void exportsOld(ObjectNode pkg, List<String> files) {
        ObjectNode exports = pkg.putObject("exports");
        for (String i : files) {
            if (i.endsWith(".browser.js") || i.endsWith(".native.js")) {
                continue;
            }
            String path = i.equals("index.js") ? "." : "./" + dirname(i);
            exports.put(path + "/package.json", path + "/package.json");
            ObjectNode entry = exports.putObject(path);
            entry.put("require", path + "/index.cjs");
            entry.put("import", path + "/index.js");
            if (files.contains(i.substring(0, i.length() - 3) + ".browser.js")) {
                entry.put("browser", path + "/index.browser.js");
            }
        }
    }

    private static void types(ObjectNode pkg, ObjectNode exports, Variant v) {
        for (String type : v.from(Variant.V4_0_0) ? List.of("style", "styl", "sass", "less")
                : List.of("types", "style", "styl", "sass", "less")) {
            if (truthy(pkg.get(type))) {
                if (!pkg.get(type).isTextual()) {
                    throw new ToolError(); // used as a key: only a string is modelled
                }
                String t = pkg.get(type).asText();
                exports.put(t, t);
                ((ObjectNode) exports.get(".")).put(type, t);
            }
        }
    }

    /**
     * The root package.json as dual-publish leaves it, from the source's, for {@link NpmGeneratedFiles}' field by
     * field comparison (which also checks clean-publish's removals). Empty when the package is not dual-published, the
     * tool would have failed, or the published {@code exports} lists some condition in another order than the tool
     * writes (Node tries conditions in order; the order of subpath keys is not compared, Node looks them up exactly).
     */
    static Optional<ObjectNode> rootManifest(String path, ObjectNode source, ObjectNode published,
                                             GeneratedFiles.SourceView view) {
        if (!published.path("type").asText("").equals("module")) {
            return Optional.empty(); // dual-publish always writes it: a manifest without it is compared as it is
        }
        Optional<Run> run = run(view);
        if (run.isEmpty() || !path.equals(run.get().prefix() + "package.json") || !run.get().files().contains("index.js")) {
            return Optional.empty();
        }
        ObjectNode expected;
        try {
            expected = manifest(source, "index.js", run.get().files(), run.get().envTargets(), run.get().variant());
        } catch (ToolError e) {
            return Optional.empty();
        }
        JsonNode want = expected.path("exports");
        JsonNode got = published.path("exports");
        for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode g = got.get(e.getKey());
            // equal as JSON (order-blind) but not as text (in order, nested conditions too): another resolution order
            if (g != null && g.equals(e.getValue()) && !g.toString().equals(e.getValue().toString())) {
                return Optional.empty();
            }
        }
        return Optional.of(expected);
    }

    /** A note naming the run, for the root package.json's row. */
    static String note(GeneratedFiles.SourceView view) {
        return run(view).map(r -> "type/main/module/react-native/browser/exports written by " + r.describe()
                + " for " + r.files()).orElse("");
    }

    /** The content rule for the files dual-publish writes besides the root package.json. */
    static final class Rule implements GeneratedFiles.ContentRule {
        @Override
        public String id() {
            return RULE;
        }

        @Override
        public Optional<GeneratedFiles.Decision> explain(Artifact artifact, String path, byte[] bytes,
                                                         Optional<byte[]> source, String version,
                                                         GeneratedFiles.SourceView view) {
            boolean cjs = path.endsWith(".cjs");
            String name = path.substring(path.lastIndexOf('/') + 1);
            boolean envCopy = (name.equals("index.dev.js") || name.equals("index.prod.js")) && source.isEmpty();
            boolean js = path.endsWith(".js") && source.isPresent();
            boolean folderManifest = path.endsWith("/package.json") && path.indexOf('/') < path.lastIndexOf('/');
            boolean typesCopy = path.endsWith(".d.cts") && source.isEmpty();
            if (!cjs && !js && !folderManifest && !envCopy && !typesCopy) {
                return Optional.empty();
            }
            Optional<Run> found = run(view);
            if (found.isEmpty() || !path.startsWith(found.get().prefix())) {
                return Optional.empty();
            }
            Run run = found.get();
            String rel = path.substring(run.prefix().length());
            Optional<String> expected;
            String why;
            if (typesCopy) {
                // 4.0.0's cloneTypesFile: a processed folder's package.json types (X.d.ts) copied to X.d.cts
                String dir = rel.substring(0, rel.length() - name.length());
                Optional<String> types = run.variant().from(Variant.V4_0_0) && run.files().contains(dir + "index.js")
                        ? object(view.sourceBytes(run.sourceDir() + dir + "package.json"))
                        .map(m -> m.path("types")).filter(JsonNode::isTextual).map(JsonNode::asText)
                        .filter(t -> t.endsWith(".d.ts")) : Optional.empty();
                Optional<String> typesFile = types.flatMap(t -> NpmModules.normalize(dir, t));
                if (typesFile.isEmpty() || !(typesFile.get().substring(0, typesFile.get().length() - 5) + ".d.cts").equals(rel)) {
                    return Optional.empty();
                }
                expected = view.sourceBytes(run.sourceDir() + typesFile.get()).map(b -> new String(b, StandardCharsets.UTF_8));
                why = typesFile.get() + " copied to " + rel + " by " + run.describe() + " (types for require)";
            } else if (envCopy) {
                String dir = rel.substring(0, rel.length() - name.length());
                List<String> from = run.envTargets().stream()
                        .filter(t -> t.equals(dir + "index.browser.js") || t.equals(dir + "index.js")).toList();
                if (from.size() != 1) {
                    return Optional.empty();
                }
                boolean production = name.equals("index.prod.js");
                expected = input(view, run, from.get(0)).flatMap(s -> toEsm(s, loose(run), checksWrongExport(run)))
                        .map(esm -> envCopy(esm, production));
                why = "ESM of " + from.get(0) + " with process.env.NODE_ENV tests set for "
                        + (production ? "production" : "development") + " by " + run.describe();
            } else if (cjs) {
                String from = rel.substring(0, rel.length() - ".cjs".length()) + ".js";
                boolean written = run.files().contains(from) && !from.endsWith("index.native.js")
                        && (!from.endsWith("index.browser.js") || run.variant().from(Variant.V1_0_8));
                if (!written || view.tree().get(run.sourceDir() + rel).isPresent()) {
                    return Optional.empty();
                }
                expected = input(view, run, from).flatMap(s -> toCjs(s, loose(run)));
                why = "CommonJS copy of " + from + " written by " + run.describe()
                        + " (relative require() specifiers pointed at .cjs files)";
            } else if (js) {
                if (!run.files().contains(rel)) {
                    return Optional.empty();
                }
                expected = input(view, run, rel).flatMap(s -> toEsm(s, loose(run), checksWrongExport(run)));
                why = rel + " rewritten as ESM by " + run.describe() + " (require → import, module.exports → export)";
            } else {
                String dir = rel.substring(0, rel.length() - "package.json".length());
                if (!run.files().contains(dir + "index.js")) {
                    return Optional.empty();
                }
                Optional<byte[]> own = view.sourceBytes(run.sourceDir() + rel);
                Optional<ObjectNode> existing = own.isPresent() ? object(own) : Optional.of(JSON.createObjectNode());
                expected = existing.filter(NpmDualPublish::plainKeys).flatMap(e -> {
                    try {
                        return Optional.of(stringify(manifest(e, dir + "index.js", run.files(), run.envTargets(), run.variant())));
                    } catch (ToolError x) {
                        return Optional.empty();
                    }
                });
                why = "package.json of " + dir + " written by " + run.describe()
                        + (own.isPresent() ? " over the tracked one" : "");
            }
            if (expected.isEmpty() || !java.util.Arrays.equals(expected.get().getBytes(StandardCharsets.UTF_8), bytes)) {
                return Optional.empty();
            }
            FileStatus status = source.isPresent() ? FileStatus.MATCH_NORMALIZED : FileStatus.GENERATED;
            return Optional.of(new GeneratedFiles.Decision(status, RULE, Set.of(), Optional.of(why)));
        }

        private static boolean loose(Run run) {
            return VARIANTS.get(run.version()).compareTo(Variant.V0_10_3) < 0;
        }

        private static boolean checksWrongExport(Run run) {
            return !List.of("0.8.6", "0.9.0", "0.10.0", "0.10.1").contains(run.version());
        }
    }

    /**
     * The version of dual-publish a lock file at the package folder or the repository root pins: yarn.lock,
     * pnpm-lock.yaml (v5 {@code /dual-publish/X:}, v6+ {@code /dual-publish@X:} or {@code dual-publish@X:}) or
     * package-lock.json. Empty when none pins exactly one.
     */
    static Optional<String> lockedVersion(GeneratedFiles.SourceView view, String sourceDir) {
        Set<String> found = new TreeSet<>();
        for (String dir : sourceDir.isEmpty() ? List.of("") : List.of(sourceDir, "")) {
            view.sourceText(dir + "yarn.lock").ifPresent(t -> {
                Matcher m = Pattern.compile("(?m)^\"?dual-publish@[^\\n]*:\\n(?:[ \\t]+[^\\n]*\\n)*?[ \\t]+version:? \"?([0-9.]+)\"?")
                        .matcher(t);
                while (m.find()) {
                    found.add(m.group(1));
                }
            });
            view.sourceText(dir + "pnpm-lock.yaml").ifPresent(t -> {
                Matcher m = Pattern.compile("(?m)^\\s+/?dual-publish[/@]([0-9.]+):").matcher(t);
                while (m.find()) {
                    found.add(m.group(1));
                }
            });
            object(view.sourceBytes(dir + "package-lock.json")).ifPresent(l -> {
                JsonNode v = l.path("packages").path("node_modules/dual-publish").path("version");
                if (v.isMissingNode()) {
                    v = l.path("dependencies").path("dual-publish").path("version");
                }
                if (v.isTextual()) {
                    found.add(v.asText());
                }
            });
            if (!found.isEmpty()) {
                break;
            }
        }
        return found.size() == 1 ? Optional.of(found.iterator().next()) : Optional.empty();
    }

    private interface Exported {
        String apply(String str, String prefix, String postfix);
    }

    private interface Named {
        String apply(String str, String prefix, String varType, String name);
    }

    private interface Nameless {
        String apply(String str, String prefix);
    }

    /** A run dual-publish stops with an error (nothing published from it). */
    private static final class ToolError extends RuntimeException {
        ToolError() {
            super(null, null, false, false);
        }
    }

    private static String replaceRequire(String source, Exported exported, Named named, Nameless nameless) {
        String a = replace(EXPORTED, source, str -> exported.apply(str, prefix(str), str.substring(str.length() - 1)));
        String b = replace(NAMED, a, str -> {
            Matcher m = NAME.matcher(str);
            if (!m.find()) {
                throw new ToolError(); // JS would throw a TypeError destructuring null
            }
            return named.apply(str, m.group(1), m.group(2), m.group(3));
        });
        return replace(NAMELESS, b, str -> nameless.apply(str, prefix(str)));
    }

    /** String.prototype.replace with a global regex and a function: each match replaced by the function's text. */
    private static String replace(Pattern p, String s, Function<String, String> f) {
        Matcher m = p.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(f.apply(m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String prefix(String str) {
        return str.charAt(0) == '\n' ? "\n" : "";
    }

    /** getPath: a relative specifier gets {@code /index.EXT}; assets and packages stay as they are. */
    private static String path(String statement, String ext, boolean loose) {
        Matcher m = REQUIRE_ARG.matcher(statement);
        if (!m.find()) {
            throw new ToolError();
        }
        String path = m.group(1);
        if (INDEX_WITHOUT_EXT.matcher(path).find()) {
            throw new ToolError(); // "Replace `index` in require() to `index.js`"
        }
        if (ASSET.matcher(path).find()) {
            return path;
        }
        if (!(loose ? RELATIVE_LOOSE : RELATIVE).matcher(path).find()) {
            return path;
        }
        Matcher index = INDEX_JS_END.matcher(path);
        if (index.find()) {
            return path.substring(0, index.start()) + "/index." + ext + index.group(1);
        }
        Matcher end = QUOTE_END.matcher(path);
        end.find();
        String quote = end.group();
        String head = path.substring(0, end.start());
        return SLASH_QUOTE_END.matcher(path).find() ? head + "index." + ext + quote : head + "/index." + ext + quote;
    }

    /** Text with a lone surrogate would be written by Node as U+FFFD, by Java as '?': not modelled. */
    private static Optional<String> wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.empty();
            }
        }
        return Optional.of(s);
    }

    private static Optional<String> utf8(byte[] b) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty(); // Node would substitute U+FFFD by its own rules: not modelled
        }
    }

    private static Optional<ObjectNode> object(Optional<byte[]> bytes) {
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(bytes.get());
            return n != null && n.isObject() ? Optional.of((ObjectNode) n) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** JavaScript orders integer-like keys first: a manifest with one is not modelled. */
    private static boolean plainKeys(JsonNode n) {
        if (n.isObject()) {
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                if (it.next().matches("0|[1-9][0-9]{0,9}")) {
                    return false;
                }
            }
        }
        for (JsonNode c : n) {
            if (!plainKeys(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean truthy(JsonNode n) {
        return n != null && !n.isNull() && !(n.isBoolean() && !n.asBoolean()) && !(n.isTextual() && n.asText().isEmpty())
                && !(n.isNumber() && n.asDouble() == 0);
    }

    private static String dirname(String p) {
        int slash = p.lastIndexOf('/');
        return slash < 0 ? "." : p.substring(0, slash);
    }

    private static String clean(String p) {
        return p.replace('\\', '/').replaceFirst("^(\\./)+", "");
    }

    /** {@code JSON.stringify(value, null, 2)}: two-space indent, no trailing newline. */
    static String stringify(JsonNode n) {
        StringBuilder b = new StringBuilder();
        write(n, b, "");
        return b.toString();
    }

    private static void write(JsonNode n, StringBuilder b, String indent) {
        if (n.isObject() || n.isArray()) {
            if (n.isEmpty()) {
                b.append(n.isObject() ? "{}" : "[]");
                return;
            }
            String inner = indent + "  ";
            b.append(n.isObject() ? "{\n" : "[\n");
            Iterator<Map.Entry<String, JsonNode>> fields = n.isObject() ? n.fields() : null;
            Iterator<JsonNode> items = n.isArray() ? n.elements() : null;
            boolean first = true;
            while (fields != null ? fields.hasNext() : items.hasNext()) {
                if (!first) {
                    b.append(",\n");
                }
                first = false;
                b.append(inner);
                JsonNode v;
                if (fields != null) {
                    Map.Entry<String, JsonNode> e = fields.next();
                    quote(e.getKey(), b);
                    b.append(": ");
                    v = e.getValue();
                } else {
                    v = items.next();
                }
                write(v, b, inner);
            }
            b.append('\n').append(indent).append(n.isObject() ? '}' : ']');
        } else if (n.isTextual()) {
            quote(n.asText(), b);
        } else if (n.isIntegralNumber() && n.canConvertToLong() && Math.abs(n.asLong()) < (1L << 53)) {
            b.append(n.asLong());
        } else if (n.isBoolean() || n.isNull()) {
            b.append(n.toString());
        } else {
            throw new ToolError(); // a fraction or a huge number: JavaScript's number formatting is not modelled
        }
    }

    private static void quote(String s, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
