package dev.divergence.registry.pypi;

import dev.divergence.model.RiskFlag;
import dev.divergence.registry.FileFacts;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What Python and its packaging tools make of a file (see {@link FileFacts} for each field's use). */
final class PypiFileFacts {

    private static final String ROT13 = "[\"']rot[-_ ]?13[\"']"; // a string naming the rot13 codec: a classic hider

    static final FileFacts FACTS = new FileFacts(
            Set.of("py", "pyw", "pyi", "pyx", "pxd", "pth", "pyd"),
            Set.of("pyc", "pyo"),
            Set.of("pkg-info", "pyproject.toml", "setup.cfg", "manifest.in", "tox.ini", "pipfile", "pipfile.lock",
                    "poetry.lock"),
            List.of("(^|.*/)[^/]+\\.(dist-info|egg-info)/.*", "(^|.*/)requirements[^/]*\\.(txt|in)"),
            List.of("test_[^/]*\\.py|[^/]*_test\\.py|conftest\\.py"),
            Set.of(),
            Set.of("py", "pyw", "pth", "pyx", "pyd"),
            Set.of("pyd"),
            // pip runs setup.py to build or install an sdist
            Map.of("setup.py", RiskFlag.INSTALL_SCRIPT),
            // site.py executes a .pth file's lines that start with "import" at every interpreter start
            Map.of("pth", RiskFlag.PTH_FILE),
            List.of("exec(", "eval(", "b64decode", "subprocess", "os.system(", "__import__(", "marshal.loads",
                    "zlib.decompress", "os.popen(", "os.exec", "os.spawn", "os.posix_spawn", "pty.spawn", "ctypes",
                    "pickle.loads", "cPickle.loads"),
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
            List.of());

    private PypiFileFacts() {
    }
}
