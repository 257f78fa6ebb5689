package dev.divergence.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Native sources that an install compiles and loads: C and C++ of a Python extension module that pip builds from an
 * sdist (setuptools {@code build_ext}, Cython's generated C), Rust that setuptools-rust or maturin builds, the addon
 * sources node-gyp compiles for an npm package with a {@code binding.gyp}. What runs in them is process execution
 * ({@code system(}, {@code popen(}, the {@code exec*} family, {@code fork(}, {@code posix_spawn(}), library loading
 * ({@code dlopen(}, {@code LoadLibrary}) and code that runs when the library loads, before anything calls it (a
 * {@code __attribute__((constructor))} function, an {@code .init_array} entry, MSVC's {@code .CRT$XC*} sections, Rust's
 * {@code #[ctor]}). Shared by the ecosystems that compile them ({@code pypi}, {@code npm}).
 */
public final class NativeSources {

    /** C and C++ sources and headers. */
    public static final Set<String> C_EXTENSIONS = Set.of("c", "cc", "cpp", "cxx", "c++", "h", "hh", "hpp", "hxx");

    /**
     * The text before a finding on its line, when that line is not a comment without a statement: one starting with
     * {@code //}, with a {@code /*} it does not close, or with a block comment's {@code * } (C's and Rust's comments).
     */
    private static final String STATEMENT_LINE =
            "(?m:^(?![ \\t]*(?://|/\\*(?![^\\n]*\\*/)|\\*(?:[ \\t/]|$))[^;\\n]*$)[^\\n]*?)";

    /**
     * C/C++ calls that start processes or load code, and functions that run at load: a C function name is bare. A
     * comment line without a statement in it — starting with {@code //}, with a {@code /*} that it does not close, or
     * with a block comment's {@code * } — is prose ("the operating system (as ...)", "applications that fork()") and
     * is not read; a line holding a {@code ;} or closing its comment ({@code /* x *}{@code / system("id");}) is.
     */
    public static final List<String> C_EXEC_CALLS = List.of(
            STATEMENT_LINE + "(?:"
                    + "(?<![\\w.$>])(?:system|_wsystem|popen|_popen|_wpopen)\\s*\\("
                    + "|(?<![\\w.$>])(?:execl|execlp|execle|execv|execvp|execvpe|execve|fexecve|posix_spawnp?)\\s*\\("
                    + "|(?<![\\w.$>])v?fork\\s*\\("
                    + "|(?<![\\w.$>])dlopen\\s*\\("
                    + "|\\b(?:LoadLibrary(?:Ex)?|CreateProcess(?:AsUser)?|ShellExecute(?:Ex)?|WinExec)[AW]?\\s*\\("
                    + "|__attribute__\\s*\\(\\(\\s*(?:__)?constructor"
                    + "|\\.init_array\\b|\\.CRT\\$XC)");

    /** C's process-starting and code-loading functions, as Rust names them through {@code libc} or {@code extern "C"}. */
    private static final String RUST_C_EXEC = "(?:system|popen|execl|execlp|execle|execv|execvp|execvpe|execve|fexecve"
            + "|fork|vfork|posix_spawnp?|dlopen)";

    /**
     * Rust's process execution, raw libc calls and load-time functions, outside comment lines as for C. A path may
     * have whitespace around its {@code ::}, and an import is a finding as much as a call ({@code use
     * std::process::Command as Cmd;} makes the later call {@code Cmd::new(}): any {@code Command::new(}; any
     * {@code std::process} path ({@code use std::process;}, {@code use std::{fs, process};},
     * {@code std::process::Command}) but {@code exit}, {@code abort}, {@code ExitCode} and {@code id}; any
     * {@code process::Command} (std's, tokio's); the exec family of {@code libc} and {@code nix::unistd} in a call or
     * an import; a bare call of a C exec function (after {@code use libc::*}) and its {@code extern "C"} declaration;
     * {@code #[ctor]}, {@code .init_array}.
     */
    public static final List<String> RUST_EXEC_CALLS = List.of(
            STATEMENT_LINE + "(?:"
                    + "\\bCommand\\s*::\\s*new\\s*\\("
                    + "|\\bstd\\s*::\\s*(?:\\{[^;]*?\\b)?process\\b(?!\\s*::\\s*(?:exit|abort|id|ExitCode)\\b)"
                    + "|\\bprocess\\s*::\\s*(?:\\{[^;]*?\\b)?Command\\b"
                    + "|\\blibc\\s*::\\s*(?:\\{[^;]*?\\b)?" + RUST_C_EXEC + "\\b"
                    + "|\\bnix\\s*::\\s*unistd\\s*::\\s*(?:\\{[^;]*?\\b)?(?:exec\\w*|fork)\\b"
                    + "|(?<![\\w.:>$])(?<!fn )" + RUST_C_EXEC + "\\s*\\("
                    + "|\\bextern\\s+\"C\"\\s*\\{[^}]*?\\bfn\\s+" + RUST_C_EXEC + "\\s*\\("
                    + "|#\\[\\s*(?:ctor\\s*::\\s*)?ctor\\s*\\]|\\.init_array\\b)");

    private NativeSources() {
    }

    /** The same fragments for every extension of a set, as {@link FileFacts#languageExecCalls} takes them. */
    public static Map<String, List<String>> forExtensions(Set<String> extensions, List<String> fragments) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        extensions.forEach(e -> out.put(e, fragments));
        return out;
    }
}
