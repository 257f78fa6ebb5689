package dev.divergence.registry.npm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What tshy (https://github.com/isaacs/tshy, isaacs' TypeScript hybrid-module builder) writes into package.json when a
 * publish-time script runs it ({@code "prepare": "tshy"}): {@code exports} computed from the {@code tshy.exports}
 * config — an entry naming {@code ./src/X.ts} becomes
 * {@code {"import": {"types": "./dist/esm/X.d.ts", "default": "./dist/esm/X.js"}, "require": {"types":
 * "./dist/commonjs/X.d.ts", "default": "./dist/commonjs/X.js"}}} for the dialects it builds, any other entry is
 * copied as it is — and then {@code type}, {@code main}, {@code types} and {@code module} from that {@code exports}
 * (tshy's {@code exports.js}, {@code getExports} and {@code setMain}, read in tshy 3.3.2). A committed
 * {@code exports} left stale (lru-cache 10.2.1 committed {@code ./dist/mjs} targets its tshy config no longer
 * builds) is rewritten at publish.
 *
 * <p>Modelled only for what is exact: an object {@code tshy.exports} (no glob patterns, which depend on the source
 * file list), no extra dialects ({@code esmDialects}, {@code commonjsDialects}, {@code sourceDialects}), no
 * {@code liveDev}, no {@code imports} moved from the config, and no entry naming a polyfill module
 * ({@code -cjs.cts}); the published {@code exports} must then equal the computed one exactly, condition order
 * included (Node resolves conditions in order). The dist folders are those the artifact has: {@code dist/esm} and
 * {@code dist/commonjs}, or tshy's first releases' {@code dist/mjs} and {@code dist/cjs}, never both. The targets stay
 * entry modules, judged by their own content.
 */
final class NpmTshy {

    static final String RULE = "npm.package-json.tshy-exports";
    private static final Pattern POLYFILL = Pattern.compile(".*-[A-Za-z0-9_]+\\.[mc]ts$");
    private static final Pattern TS = Pattern.compile("\\.([mc]?)tsx?$");
    private static final Set<String> NOT_MODELLED = Set.of("esmDialects", "commonjsDialects", "sourceDialects",
            "liveDev", "imports");

    private NpmTshy() {
    }

    /**
     * The source manifest with the fields tshy writes at publish, when a publish-time script of the source runs tshy
     * and the published {@code exports} is exactly what tshy computes from the source's config; empty otherwise.
     * {@code artifactPaths} are the installed paths of the package (relative to its root).
     */
    static Optional<ObjectNode> rewritten(ObjectNode source, ObjectNode published, Set<String> artifactPaths) {
        JsonNode tshy = source.path("tshy");
        if (!tshy.isObject() || !tshy.equals(published.path("tshy")) || !tshy.path("exports").isObject()
                || NOT_MODELLED.stream().anyMatch(tshy::has) || !runsTshy(source)) {
            return Optional.empty();
        }
        List<String> dialects = List.of("esm", "commonjs");
        if (tshy.has("dialects")) {
            if (!tshy.get("dialects").isArray()) {
                return Optional.empty();
            }
            dialects = new java.util.ArrayList<>();
            for (JsonNode d : tshy.get("dialects")) {
                dialects.add(d.asText());
            }
        }
        boolean current = artifactPaths.stream().anyMatch(p -> p.startsWith("dist/esm/") || p.startsWith("dist/commonjs/"));
        boolean first = artifactPaths.stream().anyMatch(p -> p.startsWith("dist/mjs/") || p.startsWith("dist/cjs/"));
        if (current == first) {
            return Optional.empty();
        }
        String esmDir = current ? "./dist/esm/" : "./dist/mjs/";
        String cjsDir = current ? "./dist/commonjs/" : "./dist/cjs/";
        ObjectNode exports = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = tshy.get("exports").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode s = e.getValue();
            if (s.isNull()) {
                continue;
            }
            if (!s.isTextual() || !s.asText().startsWith("./src/")) {
                exports.set(e.getKey(), s.deepCopy()); // an external export: copied as it is
                continue;
            }
            String src = s.asText();
            if (POLYFILL.matcher(src).matches()) {
                return Optional.empty();
            }
            String target = TS.matcher(src.substring("./src/".length())).replaceFirst(".$1js");
            String imp = !src.endsWith(".cts") && dialects.contains("esm") ? esmDir + target : null;
            String req = !src.endsWith(".mts") && dialects.contains("commonjs") ? cjsDir + target : null;
            if (imp == null && req == null) {
                continue;
            }
            ObjectNode exp = exports.putObject(e.getKey());
            if (imp != null) {
                exp.putObject("import").put("types", imp.replaceFirst("\\.(m?)js$", ".d.$1ts")).put("default", imp);
            }
            if (req != null) {
                exp.putObject("require").put("types", req.replaceFirst("\\.(c?)js$", ".d.$1ts")).put("default", req);
            }
        }
        JsonNode got = published.path("exports");
        if (!got.equals(exports) || !got.toString().equals(exports.toString())) {
            return Optional.empty(); // not what tshy writes, or another condition order
        }
        ObjectNode out = source.deepCopy();
        out.set("exports", exports);
        // setMain: type, then main/types from exports["."]'s require, module from its import; each as tshy wrote it
        // or as the source had it (tshy releases differ in which they write)
        JsonNode dot = exports.path(".");
        Map<String, Optional<String>> computed = Map.of(
                "type", Optional.of(source.path("type").asText("").equals("commonjs") ? "commonjs" : "module"),
                "main", resolve(dot, List.of("require")),
                "types", resolve(dot, List.of("require", "types")),
                "module", resolve(dot, List.of("import")));
        for (Map.Entry<String, Optional<String>> f : computed.entrySet()) {
            JsonNode p = published.get(f.getKey());
            boolean asTshy = p != null && p.isTextual() && f.getValue().filter(p.asText()::equals).isPresent();
            boolean dropped = p == null && source.has(f.getKey()) && f.getValue().isEmpty() && !f.getKey().equals("type");
            if (asTshy) {
                out.set(f.getKey(), p.deepCopy());
            } else if (dropped) {
                out.remove(f.getKey()); // tshy deletes main/types/module when exports["."] has no such target
            }
        }
        return Optional.of(out);
    }

    /** Whether a publish-time script of the manifest, or one it runs by name, runs tshy. */
    private static boolean runsTshy(ObjectNode source) {
        Map<String, String> scripts = NpmGeneratedFiles.scriptMap(source.path("scripts"));
        for (String s : NpmBuildOutputs.PUBLISH_SCRIPTS) {
            for (NpmScripts.Step step : NpmScripts.reached(s, scripts)) {
                String command = step.words().get(0); // wrappers such as npx are already looked through
                if (command.equals("tshy") || command.endsWith("/.bin/tshy")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** tshy's {@code resolveExport}: the first target under the conditions (with {@code node}, {@code default}). */
    static Optional<String> resolve(JsonNode exp, List<String> conditions) {
        if (exp.isTextual()) {
            return Optional.of(exp.asText());
        }
        if (exp.isArray()) {
            for (JsonNode e : exp) {
                Optional<String> u = resolve(e, conditions);
                if (u.isPresent()) {
                    return u;
                }
            }
            return Optional.empty();
        }
        if (!exp.isObject()) {
            return Optional.empty();
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = exp.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (conditions.contains(e.getKey()) || e.getKey().equals("node") || e.getKey().equals("default")) {
                Optional<String> u = resolve(e.getValue(), conditions);
                if (u.isPresent()) {
                    return u;
                }
            }
        }
        return Optional.empty();
    }
}
