package dev.divergence.registry.npm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The variables npm puts in a script's environment from the manifest whose script runs, as the shell (or cmd.exe)
 * expands them in a script word: {@code $npm_package_config_setup}, {@code ${npm_package_name}},
 * {@code %npm_package_version%}. npm 7+ (@npmcli/run-script's package-envs) exports {@code name}, {@code version},
 * {@code config}, {@code engines} and {@code bin}, objects and arrays flattened with {@code _}
 * ({@code config.setup} → {@code npm_package_config_setup}); npm 6 and older (npm-lifecycle) exported every field so,
 * with other characters of a key turned into {@code _}: both are taken, since the consumer's npm is not known
 * (https://docs.npmjs.com/cli/using-npm/scripts#packagejson-vars). A variable that is none of these, a command
 * substitution ({@code $(...)}, backquotes) or a parameter expansion with an operator can name any file: the word
 * cannot be told ({@link #lookup} knows nothing of it; {@code NpmScripts} marks such a word), and whoever reads it
 * must fail closed.
 */
final class NpmScriptEnv {

    /**
     * Variables whose value names no file of the package: npm's own program ({@code npm_execpath}), node's
     * ({@code npm_node_execpath}, {@code NODE}); replaced by the command they name.
     */
    private static final Map<String, String> PROGRAMS = Map.of("npm_execpath", "npm", "npm_node_execpath", "node",
            "NODE", "node");
    /** The manifest's variables, by name. */
    private final Map<String, String> vars;

    private NpmScriptEnv(Map<String, String> vars) {
        this.vars = vars;
    }

    /** The environment npm gives the scripts of {@code manifest} (a package.json's content). */
    static NpmScriptEnv of(JsonNode manifest) {
        Map<String, String> vars = new LinkedHashMap<>();
        if (manifest != null && manifest.isObject()) {
            flatten(manifest, "npm_package_", vars, 0);
            // npm 7+ reads bin normalised: a string is the command named after the package (scope left out)
            JsonNode bin = manifest.path("bin");
            String name = manifest.path("name").asText("");
            if (bin.isTextual() && !name.isEmpty()) {
                vars.putIfAbsent("npm_package_bin_" + name.substring(name.indexOf('/') + 1).replaceAll("[^A-Za-z0-9_]", "_"),
                        bin.asText());
            }
        }
        return new NpmScriptEnv(vars);
    }

    private static void flatten(JsonNode n, String prefix, Map<String, String> out, int depth) {
        if (depth > 16 || out.size() > 10_000) {
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = n.isObject() ? n.fields() : null;
        if (fields != null) {
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                put(e.getValue(), prefix + e.getKey(), out, depth);
            }
        } else {
            for (int i = 0; i < n.size(); i++) {
                put(n.get(i), prefix + i, out, depth);
            }
        }
    }

    private static void put(JsonNode v, String key, Map<String, String> out, int depth) {
        String sanitized = key.replaceAll("[^A-Za-z0-9_]", "_"); // npm 6; npm 7+ keeps the key as it is
        if (v.isContainerNode()) {
            flatten(v, key + "_", out, depth + 1);
            if (!sanitized.equals(key)) {
                flatten(v, sanitized + "_", out, depth + 1);
            }
        } else {
            String text = v.isNull() ? "null" : v.asText();
            out.putIfAbsent(key, text);
            out.putIfAbsent(sanitized, text);
        }
    }

    /** The value of an {@code npm_package_*} variable of this manifest, if it defines it. */
    Optional<String> value(String name) {
        return Optional.ofNullable(vars.get(name));
    }

    /**
     * The value the shell gives variable {@code name} in script {@code event} (npm's {@code npm_lifecycle_event}):
     * npm's package variables their values, {@code $PWD} {@code .} (the folder the command runs in), npm's and
     * node's program paths {@code npm}/{@code node}. Anything else — the consumer's environment, {@code $INIT_CWD},
     * {@code $HOME}, a package variable this manifest does not define — is not known.
     */
    Optional<String> lookup(String name, String event) {
        if (name.equals("npm_package_json")) {
            return Optional.of("package.json");
        }
        if (name.startsWith("npm_package_")) {
            return value(name);
        }
        if (name.equals("npm_lifecycle_event")) {
            return Optional.of(event);
        }
        if (name.equals("PWD")) {
            return Optional.of(".");
        }
        return Optional.ofNullable(PROGRAMS.get(name));
    }

    /** The {@code npm_package_*} variables a command reads ({@code $X}, {@code ${X}}, {@code %X%}). */
    static Set<String> packageVariables(String command) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = Pattern.compile("\\$\\{?(npm_package_[A-Za-z0-9_]+)|%(npm_package_[A-Za-z0-9_.-]+)%").matcher(command);
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return out;
    }
}
