package dev.divergence.model;

/** Properties of a file or archive entry that matter for safety; a flag alone is evidence, not a verdict. */
public enum RiskFlag {
    /** A {@code .pth} file: processed by site.py at every interpreter start. */
    PTH_FILE,
    /** A {@code .pth} line that starts with {@code import}: executed at every interpreter start. */
    PTH_EXECUTES,
    /** Runs at install time: {@code setup.py}, an npm lifecycle script (preinstall, install, postinstall, prepare). */
    INSTALL_SCRIPT,
    /** A long run of base64/hex characters: an encoded payload. */
    ENCODED_BLOB,
    /** Dynamic code execution or process spawning: exec/eval/compile, subprocess, os.system, b64decode. */
    DYNAMIC_EXEC,
    /** Native code: ELF, PE or Mach-O magic, or a native extension's name (.so, .dll, .pyd, .dylib, .node). */
    BINARY,
    /** Very long lines typical of minified or obfuscated code. */
    OBFUSCATED,
    /** A dependency declared by the published manifest but not by the source's (npm package.json). */
    NEW_DEPENDENCY,
    /**
     * Executable code: a module of the package's language or a script, or a source an install compiles (C/C++,
     * Cython, Rust of a Python extension; an npm addon's C/C++ that node-gyp builds).
     */
    CODE,
    /** Entry name with "..": would escape the extraction directory. */
    PATH_TRAVERSAL,
    /** Entry name that is absolute. */
    ABSOLUTE_PATH,
    /** Symbolic or hard link entry (recorded, never followed). */
    LINK,
    /** Device, FIFO or other special entry. */
    SPECIAL_ENTRY,
    /** Two entries with the same normalised name. */
    DUPLICATE_ENTRY,
    /** Two entries whose names differ only by case or Unicode normalisation (they collide on extraction). */
    NAME_COLLISION,
    /** An entry name with control characters, NUL, or bytes that are not UTF-8. */
    ODD_NAME,
    /** An entry name longer than 1,024 characters or deeper than 64 folders. */
    LONG_PATH,
    /** An archive inside the archive (recorded as a file, never opened). */
    NESTED_ARCHIVE,
    /** A zip entry whose local header disagrees with the central directory (tools would see different files). */
    HEADER_MISMATCH,
    /** Size recorded in the archive header differs from the bytes read. */
    SIZE_MISMATCH,
    /** The downloaded bytes do not match the digest the registry published. */
    DIGEST_MISMATCH,
    /**
     * The content is in no branch or tag but in a ref anyone can create or that is not the project's history
     * ({@code refs/pull/*}, {@code refs/remotes/*}, ...): evidence that the release was built from such a commit.
     */
    UNTRUSTED_REF_ONLY,
    /**
     * Runs without being named: sitecustomize/usercustomize, a wheel's {@code *.data/scripts/}, an in-tree build
     * backend or build hook, npm {@code bin}/{@code main}/{@code exports} targets and gyp files, a jar's
     * agent/main class or service provider. Unexplained, it is HIGH_RISK.
     */
    AUTO_EXEC,
    /** An entry point (console script, plugin) the published metadata declares and the source does not. */
    ENTRY_POINT,
    /**
     * Code the package's own manifest makes the entry of {@code require}/{@code import} or a command (npm
     * {@code main}, {@code exports}, {@code bin} targets): runs when the package is used, not at install. Judged as
     * code — by its added lines when modified — and, when new, also HIGH_RISK for process execution or eval.
     */
    ENTRY_MODULE,
    /**
     * The entry inflates beyond the per-entry compression-ratio limit: its content was neither hashed nor scanned
     * (its digests are empty), the entries after it were read. No build of a source writes such padding.
     */
    LIMIT_EXCEEDED,
    /**
     * A symbolic or hard link whose target is a regular file of the same archive, inside its top folder: an
     * installer that creates links (tar, pip, yarn, bun; npm creates none) gives the link's path the target's
     * bytes, so the link carries the target's content flags and is judged by them, not as an escape.
     */
    LINK_IN_ARCHIVE,
    /**
     * Compiled Python bytecode ({@code .pyc}/{@code .pyo}): the import system runs a sourceless {@code pkg/x.pyc} in
     * place of a missing {@code x.py}, and an unchecked-hash {@code __pycache__} entry in place of the source beside
     * it (PEP 552), yet nothing in it can be read or reviewed. Unexplained by the source (new, modified, from history),
     * it is HIGH_RISK.
     */
    PYTHON_BYTECODE,
    /**
     * A manifest the consumer's installer reads (npm's {@code package.json}; an sdist's {@code pyproject.toml},
     * {@code setup.cfg}, {@code Cargo.toml}, {@code Cargo.lock}; a {@code Requires-Dist} of METADATA/PKG-INFO) that
     * this tool cannot parse, while the installer may: its install scripts, dependencies and entry points cannot be
     * compared with the source's, so what installing it does cannot be shown. Unexplained, it is HIGH_RISK.
     */
    UNREADABLE_MANIFEST
}
