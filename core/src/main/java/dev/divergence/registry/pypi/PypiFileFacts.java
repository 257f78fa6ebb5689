package dev.divergence.registry.pypi;

import dev.divergence.model.RiskFlag;
import dev.divergence.registry.FileFacts;
import dev.divergence.registry.NativeSources;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What Python and its packaging tools make of a file (see {@link FileFacts} for each field's use). */
final class PypiFileFacts {

    private static final String ROT13 = "[\"']rot[-_ ]?13[\"']"; // a string naming the rot13 codec: a classic hider

    /** Python's own modules and Cython's, whose text is Python: {@link #PYTHON_CALLS} apply to them. */
    private static final Set<String> PYTHON_SOURCES = Set.of("py", "pyw", "pyx", "pxi", "pth");
    /** Cython's sources and declarations: they call C functions by their bare names ({@code cimport libc.stdlib}). */
    private static final Set<String> CYTHON_SOURCES = Set.of("pyx", "pxd", "pxi");

    /**
     * Code made from text or loaded from a file at run time, beyond exec/eval: builtin {@code compile(} (never
     * {@code re.compile(} or another method, nor {@code def compile(} or an empty {@code compile()} in prose), a function or code object built by hand
     * ({@code types.FunctionType(}, {@code CodeType(}), {@code runpy}, and importlib's loading of a file by path
     * ({@code spec_from_file_location}, {@code exec_module}). Python's names: ordinary words in other languages.
     */
    static final List<String> PYTHON_CALLS = List.of(
            // compile() with nothing in it is prose ("the compile() builtin"), not a call
            "(?<![\\w.$])(?<!def\\s)compile\\s*\\((?!\\s*\\))",
            "\\b(?:FunctionType|CodeType)\\s*\\(",
            "\\brunpy\\.run_(?:path|module)\\b|(?<![\\w.$])run_(?:path|module)\\s*\\(",
            "\\bspec_from_file_location\\s*\\(", "\\.exec_module\\s*\\(",
            // a process start or an unpickler named as a function object, not only called: map(os.system, cmds),
            // f = os.system, Thread(target=os.popen), getattr(os, 'system'), from os import system
            "\\bos\\.(?:system|popen|exec[lv]p?e?|spawn[lv]p?e?|posix_spawnp?)\\b",
            "\\bgetattr\\s*\\(\\s*os\\s*,\\s*[\"'](?:system|popen|exec|spawn|posix_spawn)",
            "\\bfrom\\s+os\\s+import\\b[^\\n]*\\b(?:system|popen|exec[lv]p?e?|spawn[lv]p?e?|posix_spawnp?)\\b",
            // deserialisers and interpreters that run code: pickle/marshal by import or Unpickler, PyYAML's unsafe
            // loaders, timeit's statement strings, code.InteractiveInterpreter, runpy
            "\\bfrom\\s+(?:c?[Pp]ickle|_pickle|marshal|dill|shelve)\\s+import\\b", "\\b(?:c?[Pp]ickle|_pickle|dill)\\.Unpickler\\b",
            "\\b(?:unsafe_load(?:_all)?|UnsafeLoader)\\b", "\\btimeit\\.(?:timeit|repeat|Timer)\\s*\\(",
            "\\b(?:InteractiveInterpreter|InteractiveConsole)\\b|\\.runsource\\s*\\(|\\.runcode\\s*\\(",
            "\\bimport\\s+runpy\\b|\\bfrom\\s+runpy\\s+import\\b");

    /**
     * Sources a build compiles when pip installs an sdist (setuptools {@code build_ext}: C, C++, Cython; Rust through
     * setuptools-rust or maturin): code that runs in the installing process, judged as code.
     */
    private static final Set<String> COMPILED_AT_INSTALL = union(NativeSources.C_EXTENSIONS,
            Set.of("pyx", "pxd", "pxi", "rs"));

    static final FileFacts FACTS = new FileFacts(
            union(Set.of("py", "pyw", "pyi", "pth", "pyd"), COMPILED_AT_INSTALL),
            Set.of("pyc", "pyo"),
            Set.of("pkg-info", "pyproject.toml", "setup.cfg", "manifest.in", "tox.ini", "pipfile", "pipfile.lock",
                    "poetry.lock"),
            List.of("(^|.*/)[^/]+\\.(dist-info|egg-info)/.*", "(^|.*/)requirements[^/]*\\.(txt|in)"),
            List.of("test_[^/]*\\.py|[^/]*_test\\.py|conftest\\.py"),
            Set.of(),
            union(Set.of("py", "pyw", "pth", "pyd"), COMPILED_AT_INSTALL),
            Set.of("pyd"),
            // pip runs setup.py to build or install an sdist
            Map.of("setup.py", RiskFlag.INSTALL_SCRIPT),
            // site.py executes a .pth file's lines that start with "import" at every interpreter start; the import
            // system runs bytecode in place of (or without) its source
            Map.of("pth", RiskFlag.PTH_FILE, "pyc", RiskFlag.PYTHON_BYTECODE, "pyo", RiskFlag.PYTHON_BYTECODE),
            List.of("exec(", "eval(", "b64decode", "subprocess", "os.system(", "__import__(", "marshal.loads",
                    "zlib.decompress", "os.popen(", "os.exec", "os.spawn", "os.posix_spawn", "pty.spawn", "ctypes",
                    "pickle.loads", "cPickle.loads", "Unpickler", "unsafe_load", "UnsafeLoader",
                    "runsource(", "from pickle import", "getattr(os,"),
            List.of("\\bsubprocess\\b", "\\bos\\.(?:system|popen|exec[lv]p?e?|spawn[lv]p?e?|posix_spawnp?)\\s*\\(",
                    "\\bpty\\.spawn\\b", "\\bctypes\\b", "\\b(?:c?[Pp]ickle|marshal)\\.loads?\\b",
                    "\\bbuiltins\\.(?:exec|eval)\\s*\\(", "(?<![\\w.$])(?:eval|exec)\\s*\\(", "\\bb64decode\\b",
                    "__import__\\s*\\("),
            // importlib.import_module(x) loads a module named at run time
            List.of("\\bimport_module\\s*\\((?!" + FileFacts.LITERAL_ARG + "[,)]|" + FileFacts.METHOD_PARAMS + ")", ROT13),
            List.of("\\bimport_module\\s*\\((?!" + FileFacts.LITERAL_ARG + "[,)]|\\s*[A-Za-z_$][\\w$.]*\\s*\\)|"
                    + FileFacts.METHOD_PARAMS + ")", ROT13),
            // Python's own files: "from x import (a, b)" is a parenthesised import list, not a call
            Set.of("py", "pyw", "pyx", "pth"),
            List.of("\\bimport_module\\s*\\((?!" + FileFacts.LITERAL_ARG + "[,)])", ROT13),
            Map.of(),
            List.of(),
            languageExecCalls());

    private PypiFileFacts() {
    }

    private static Map<String, List<String>> languageExecCalls() {
        Map<String, List<String>> calls = new LinkedHashMap<>(
                NativeSources.forExtensions(NativeSources.C_EXTENSIONS, NativeSources.C_EXEC_CALLS));
        calls.put("rs", NativeSources.RUST_EXEC_CALLS);
        PYTHON_SOURCES.forEach(ext -> calls.put(ext, PYTHON_CALLS));
        CYTHON_SOURCES.forEach(ext -> calls.merge(ext, NativeSources.C_EXEC_CALLS, PypiFileFacts::concat));
        return calls;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.addAll(b);
        return Set.copyOf(out);
    }
}
