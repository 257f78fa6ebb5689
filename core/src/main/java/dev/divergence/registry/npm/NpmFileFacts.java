package dev.divergence.registry.npm;

import dev.divergence.registry.FileFacts;
import dev.divergence.registry.NativeSources;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What JavaScript, Node and npm make of a file (see {@link FileFacts} for each field's use). */
final class NpmFileFacts {

    private static final String ROT13 = "[\"']rot[-_ ]?13[\"']";
    /** {@code require("child_" + "process")}: a module name assembled to hide it. */
    private static final String ASSEMBLED_CHILD_PROCESS = "child_[\"'`]\\s*\\+";
    /**
     * {@code module.require(x)}, {@code module.parent.require(x)}, {@code require.main.require(x)}: a module object's
     * own require, which a {@code (?<!\\.)require} misses.
     */
    private static final String MODULE_REQUIRE =
            "(?<![\\w.$])(?:module(?:\\s*\\.\\s*parent)?|require\\s*\\.\\s*main)\\s*\\.\\s*require";
    /** {@code createRequire(import.meta.url)(x)}: a require made on the spot and called at once. */
    private static final String CREATE_REQUIRE = "\\bcreateRequire\\s*\\((?:[^()\\n]|\\([^()\\n]*\\))*\\)";
    /**
     * Every call that loads a module by the name it is given: {@code require(}, {@code import(},
     * {@code module.require(}, {@code createRequire(...)(} ({@code process.mainModule.require} is an exec call).
     */
    private static final String LOADER = "(?<![\\w.$])(?:require|import)|" + MODULE_REQUIRE + "|" + CREATE_REQUIRE;
    /** A member key that is a plain string literal or a number: {@code window["foo"]}, {@code self[0]}. */
    private static final String LITERAL_KEY = "\\s*(?:\"[^\"\\\\\\n]*\"|'[^'\\\\\\n]*'|`[^`$\\\\\\n]*`|\\d+)\\s*\\]";
    /** A computed member's key up to its closing bracket (one level of nested brackets), on one line. */
    private static final String KEY = "(?:[^\\[\\]\\n]|\\[[^\\[\\]\\n]*\\]){1,300}\\]";
    /** What calls a member: {@code (}, {@code ?.(}, {@code .call(}, {@code .apply(}, {@code .bind(}. */
    private static final String CALLED = "\\s*(?:\\?\\.\\s*)?(?:\\(|\\.\\s*(?:call|apply|bind)\\s*\\()";
    /**
     * A global object's member whose key is computed (a concatenation, a template, a variable) and called:
     * {@code globalThis["ev" + "al"](body)}, {@code window[k](src)} (red team round 8, case c11). The key hides the
     * function from every name list; a literal key names it ({@code eval} and {@code Function} are caught as such).
     */
    private static final String GLOBAL_COMPUTED_CALL = "(?<![\\w$.])(?:globalThis|global|window|self)\\s*(?:\\?\\.\\s*)?\\[(?!"
            + LITERAL_KEY + ")" + KEY + CALLED;
    /**
     * Any object's member whose key is string literals joined by {@code +} and called ({@code g["ev" + "al"](x)},
     * {@code o['con' + 'structor']}): no code writes a fixed name in pieces but to hide it (minifiers fold them).
     */
    private static final String CONCATENATED_KEY = "\\[\\s*(?:\"[^\"\\\\\\n]*\"|'[^'\\\\\\n]*')(?:\\s*\\+\\s*(?:\"[^\"\\\\\\n]*\""
            + "|'[^'\\\\\\n]*'))+\\s*\\]" + CALLED;
    /**
     * The Function constructor reached through an object: {@code "".constructor.constructor(src)},
     * {@code x["constructor"]["constructor"]}, {@code Function.prototype.constructor},
     * {@code (function(){}).constructor(src)} ({@code x.constructor.constructor.prototype}, a prototype-pollution
     * test's path, reaches no constructor call).
     */
    private static final String CONSTRUCTOR_CHAIN = "(?:\\.\\s*constructor|\\[\\s*[\"'`]constructor[\"'`]\\s*\\])\\s*"
            + "(?:\\.\\s*constructor\\b|\\[\\s*[\"'`]constructor[\"'`]\\s*\\])(?!\\s*\\.\\s*prototype\\b)"
            + "|\\bFunction\\s*\\.\\s*prototype\\s*\\.\\s*constructor\\b"
            + "|(?:\\bfunction\\s*\\*?\\s*\\(\\s*\\)|\\(\\s*\\)\\s*=>)\\s*\\{\\s*\\}\\s*\\)\\s*\\.\\s*constructor\\s*\\(";
    /**
     * eval and Function called without being written as a call: {@code Reflect.apply(eval, ..)},
     * {@code Reflect.construct(Function, ..)}, {@code eval.call(..)}, {@code Function.apply(..)}.
     */
    private static final String REFLECTED_EVAL = "\\bReflect\\s*\\.\\s*(?:apply|construct)\\s*\\(\\s*"
            + "(?:(?:globalThis|window|global|self)\\s*\\.\\s*)?(?:eval|Function)\\b"
            + "|(?<![\\w.$])(?:eval|Function)\\s*\\.\\s*(?:call|apply|bind)\\s*\\(";
    /** Function in parentheses: {@code new (Function)(src)}, {@code (0, Function)(src)}, {@code (Function)(src)}. */
    private static final String WRAPPED_EVAL = "\\bnew\\s*\\(\\s*(?:0\\s*,\\s*)?Function\\b(?!\\s*\\.)"
            + "|(?<![\\w.$])Function\\s*\\)\\s*\\((?!\\s*[\"'`]return this[\"'`]\\s*\\))";
    /** JavaScript and TypeScript sources, to which {@link #JS_CALLS} apply. */
    private static final Set<String> JS_SOURCES = Set.of("js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx");
    /**
     * Node's module compiler ({@code module._compile(src, name)} runs a string as a module, as require hooks do), the
     * vm module's other code makers, and process starts through an object whose module the text never names (a
     * module got by a computed name or handed in, Bun's and Deno's own APIs): {@code execFile(},
     * {@code spawn(cmd, [argv...])}, {@code Bun.spawn(}, {@code Deno.run(}/{@code new Deno.Command(}. JavaScript
     * names only (Rust's {@code thread::spawn(} is a thread). A bare {@code spawn(x)} is not one: sagas and
     * state-machine actors spawn too (redux-saga, xstate); nor is a regex's {@code .exec(}.
     */
    static final List<String> JS_CALLS = List.of("\\._compile\\s*\\(",
            "(?<![\\w$])(?<!function\\s{1,8})execFile\\s*\\(", "(?<![\\w$])spawn\\s*\\(\\s*[^,()\\n]+,\\s*\\[",
            "\\bBun\\s*\\.\\s*spawn\\s*\\(", "\\bDeno\\s*\\.\\s*(?:run\\s*\\(|Command\\b)",
            "\\bvm\\.(?:SourceTextModule|SyntheticModule)\\b|\\bnew\\s+vm\\.",
            "(?:\\brequire\\s*\\(\\s*|\\bfrom\\s+)[\"'`](?:node:)?vm[\"'`]");
    /** The sources node-gyp compiles into the addon on install (a {@code binding.gyp} package): C and C++. */
    private static final Set<String> COMPILED_AT_INSTALL = NativeSources.C_EXTENSIONS;

    static final FileFacts FACTS = new FileFacts(
            union(Set.of("js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx", "coffee", "vue", "svelte", "node", "gyp",
                    "gypi"), COMPILED_AT_INSTALL),
            Set.of("map"),
            Set.of("package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
                    ".npmignore", ".npmrc", "tsconfig.json", "jsconfig.json", "bower.json", "component.json"),
            List.of(),
            List.of("[^/]*\\.(test|spec)\\.[cm]?[jt]sx?"),
            Set.of(),
            union(Set.of("js", "mjs", "cjs", "ts", "node"), COMPILED_AT_INSTALL),
            Set.of("node"), // a compiled addon, loaded by require
            Map.of(),
            Map.of(),
            List.of("eval(", "child_process", "Function(", "fromCharCode", "runInThisContext", "runInNewContext",
                    "runInContext", "vm.Script", "compileFunction", "process.binding", "process._linkedBinding",
                    "mainModule.require", "_load(", "getBuiltinModule", "process.dlopen", "eval: true", "eval:true",
                    "eval:!0"),
            List.of("child_process", "\\b(?:execSync|execFileSync|spawnSync)\\s*\\(",
                    "\\b(?:runInThisContext|runInNewContext|runInContext|compileFunction)\\s*\\(", "\\bvm\\.Script\\b",
                    "\\bprocess\\.(?:binding|_linkedBinding|dlopen)\\s*\\(", "\\bmainModule\\.require\\b",
                    "\\b_load\\s*\\(", "\\bgetBuiltinModule\\b", "(?<![\\w.$])eval\\s*\\(",
                    // a bare exec(..) (child_process's, shelljs's, bound by destructuring) — unless the file declares
                    // a function exec of its own, which such calls then call (a test's helper), and binds no other
                    // exec: no destructuring or import of one, no const/let/var, assignment or parameter of that name
                    "^(?!(?=[\\s\\S]*\\bfunction\\s+exec\\s*\\()(?![\\s\\S]*(?:[{,]\\s*exec\\s*[,}:]"
                            + "|\\b(?:const|let|var|import)\\s+exec\\b|(?<![\\w.$])exec\\s*=(?!=)|[(,]\\s*exec\\s*[,)=]"
                            + "|(?<![\\w.$])exec\\s*=>)))[\\s\\S]*?(?<![\\w.$])exec\\s*\\(",
                    // worker_threads: new Worker(code, { eval: true }) runs a string as a module with require
                    "(?<![\\w.$])eval[\"']?\\s*:\\s*(?:true|!0|1)\\b",
                    // indirect eval: (0, eval)(x), (eval)(x), globalThis.eval(x), window["eval"](x)
                    // ((0, eval)("this") is the global-object shim of UMD bundles, as Function("return this") is)
                    "(?<![\\w.$])eval\\s*\\)\\s*\\((?!\\s*[\"'`]this[\"'`]\\s*\\))",
                    "\\b(?:globalThis|window|global|self)\\s*(?:\\??\\.\\s*eval|\\[\\s*[\"'`](?:eval|Function|execScript)[\"'`]\\s*\\])"
                            + "\\s*\\(",
                    GLOBAL_COMPUTED_CALL, CONCATENATED_KEY, CONSTRUCTOR_CHAIN, REFLECTED_EVAL, WRAPPED_EVAL,
                    // the global shim Function("return this") is everywhere in bundles and runs nothing
                    "(?<![\\w.$])(?:new\\s+)?Function\\s*\\((?!\\s*[\"'`]return this[\"'`]\\s*\\))"),
            // require(x), module.require(x), createRequire(url)(x) and import(x) with anything but a plain string
            // literal load what is computed at run time
            List.of("(?:" + LOADER + ")\\s*\\((?!" + FileFacts.LITERAL_ARG + "[,)]|" + FileFacts.METHOD_PARAMS + ")",
                    ROT13, ASSEMBLED_CHILD_PROCESS),
            // in build output a bare identifier or member chain (bundlers' dynamic loaders) is expected in require(x);
            // module.require(x) and createRequire(url)(x) are no bundler's: only a string literal is quiet there
            List.of("(?<![\\w.$])require\\s*\\((?!" + FileFacts.LITERAL_ARG + "[,)]|\\s*[A-Za-z_$][\\w$.]*\\s*\\)|"
                    + FileFacts.METHOD_PARAMS + ")",
                    "(?:" + MODULE_REQUIRE + "|" + CREATE_REQUIRE + ")\\s*\\((?!" + FileFacts.LITERAL_ARG + "[,)])",
                    ROT13, ASSEMBLED_CHILD_PROCESS),
            Set.of(),
            List.of(),
            Map.of(),
            // an inline source map: base64 that bundlers write, not a payload
            List.of("sourceMappingURL=data:application/json;(?:charset=[\\w-]+;)?base64,[A-Za-z0-9+/=]+"),
            languageExecCalls());

    private NpmFileFacts() {
    }

    private static Map<String, List<String>> languageExecCalls() {
        Map<String, List<String>> calls = new LinkedHashMap<>(
                NativeSources.forExtensions(COMPILED_AT_INSTALL, NativeSources.C_EXEC_CALLS));
        JS_SOURCES.forEach(ext -> calls.put(ext, JS_CALLS));
        return calls;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.addAll(b);
        return Set.copyOf(out);
    }
}
