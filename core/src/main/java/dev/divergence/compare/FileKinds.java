package dev.divergence.compare;

import dev.divergence.model.Ecosystem;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileKind;
import dev.divergence.model.FileStatus;
import dev.divergence.model.RiskFlag;
import dev.divergence.registry.EcosystemPlugins;
import dev.divergence.registry.FileFacts;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@link FileKind} of a file row (the files table's {@code kind}), first rule that applies:
 * <ol>
 *   <li>{@code CODE} when the file carries a flag saying it runs (.pth, install script, runs without being named,
 *       binary, dynamic execution, new dependency or entry point) — whatever its name, so that {@code README}
 *       named by npm {@code bin} is code, not documentation (the plain {@code CODE} flag is the extension, below);</li>
 *   <li>{@code BUILD_OUTPUT} for {@code BUILD_OUTPUT} rows, bytecode ({@code .class}, {@code .pyc}) and source maps;</li>
 *   <li>{@code METADATA} for the ecosystem's manifests and packaging metadata ({@code package.json},
 *       {@code PKG-INFO}, {@code *.dist-info/}, {@code *.egg-info/}, {@code pyproject.toml}, {@code setup.cfg},
 *       {@code requirements*.txt}, {@code pom.xml}, {@code META-INF/MANIFEST.MF}, {@code META-INF/maven/}, lock
 *       files, ...);</li>
 *   <li>{@code DOC} for a documentation name (README, CHANGELOG, CHANGES, HISTORY, NEWS, LICENSE/LICENCE, COPYING,
 *       NOTICE, AUTHORS, CONTRIBUTORS, CONTRIBUTING, SECURITY, CODE_OF_CONDUCT) with no extension or a text one
 *       (.md, .rst, .txt, .adoc, .markdown), any {@code .md}/{@code .rst}/{@code .adoc}/{@code .markdown} file, and
 *       javadoc's {@code package.html}/{@code overview.html};</li>
 *   <li>{@code TEST} under a {@code test}/{@code tests}/{@code __tests__}/{@code spec} folder (Maven's
 *       {@code src/test/}), or named {@code test_*.py}, {@code *_test.py}, {@code conftest.py},
 *       {@code *.test.js}/{@code *.spec.ts} and the like;</li>
 *   <li>{@code CODE} by extension (the languages the ecosystems ship: .py, .js, .ts, .java, .kt, shell ...);</li>
 *   <li>{@code OTHER}.</li>
 * </ol>
 * A plain {@code .txt} is documentation only under a documentation name: {@code setup.py} may read any text file
 * (e.g. its dependency list), so unknown text stays {@code OTHER}.
 */
public final class FileKinds {

    /** Flags that say a file runs or changes what runs. */
    private static final Set<RiskFlag> RUNS = Set.of(RiskFlag.PTH_FILE, RiskFlag.PTH_EXECUTES,
            RiskFlag.INSTALL_SCRIPT, RiskFlag.AUTO_EXEC, RiskFlag.BINARY, RiskFlag.DYNAMIC_EXEC,
            RiskFlag.NEW_DEPENDENCY, RiskFlag.ENTRY_POINT, RiskFlag.UNREADABLE_MANIFEST);

    static final Pattern DOC_NAME = Pattern.compile(
            "(readme|changelog|changes|history|news|release[-_]?notes|license|licence|copying|copyright|notice"
            + "|authors|contributors|contributing|security|code[-_]of[-_]conduct)"
            + "([-_][a-z0-9]+)*(\\.[a-z]{2}(-[a-z]{2})?)?(\\.(md|markdown|rst|txt|adoc|asciidoc|text))?");
    private static final Set<String> DOC_EXTENSIONS = Set.of("md", "markdown", "rst", "adoc", "asciidoc");

    /**
     * What no ecosystem in particular owns; each ecosystem adds its manifests, metadata paths, test names, languages
     * and build outputs ({@link FileFacts}), all of which apply to every package (a wheel may ship JavaScript).
     */
    private static final FileFacts.Union FACTS = FileFacts.union();
    private static final Set<String> METADATA_NAMES = Set.of(".gitignore", ".gitattributes", "makefile",
            "gnumakefile", "cmakelists.txt");

    static final Pattern TEST_DIR = Pattern.compile("(^|.*/)(test|tests|__tests__|spec|specs|testing)/.*");

    private static final Set<String> CODE_EXTENSIONS = Set.of("wasm", "sh", "bash", "zsh", "ps1", "bat", "cmd", "c",
            "h", "cc", "cpp", "cxx", "hpp", "rs", "go", "rb", "pl", "php", "lua", "so", "dll", "dylib", "exe");

    private FileKinds() {
    }

    public static FileKind of(Ecosystem ecosystem, FileDivergence f) {
        for (RiskFlag flag : f.riskFlags()) {
            if (RUNS.contains(flag)) {
                return FileKind.CODE;
            }
        }
        Optional<String> a = f.artifactPath();
        Optional<String> s = f.sourcePath();
        List<String> paths = a.isPresent() && s.isPresent() ? List.of(a.get(), s.get())
                : a.or(() -> s).map(List::of).orElse(List.of());
        return of(ecosystem, paths, f.status());
    }

    /**
     * A manifest or packaging-metadata file some ecosystem's installer or resolver reads ({@code PKG-INFO},
     * {@code *.dist-info/*}, {@code package.json}, {@code pom.xml}, ...): its own rules judge it, never the same bytes
     * found at another path of the repository.
     */
    public static boolean packagingMetadata(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return FACTS.metadataName(lower.substring(lower.lastIndexOf('/') + 1)) || FACTS.metadataPath(lower);
    }

    /** The kind by path alone (the first path is the artifact's when there is one). */
    static FileKind of(Ecosystem ecosystem, List<String> paths, FileStatus status) {
        if (paths.isEmpty()) {
            return FileKind.OTHER;
        }
        if (status == FileStatus.BUILD_OUTPUT) {
            return FileKind.BUILD_OUTPUT;
        }
        return byPaths(ecosystem, paths);
    }

    /** {@link #of(Ecosystem, List, FileStatus)} for one or more paths and any status but {@code BUILD_OUTPUT}. */
    private static FileKind byPaths(Ecosystem ecosystem, List<String> paths) {
        String path = paths.get(0).toLowerCase(Locale.ROOT);
        String name = path.substring(path.lastIndexOf('/') + 1);
        String ext = name.lastIndexOf('.') < 0 ? "" : name.substring(name.lastIndexOf('.') + 1);
        if (FACTS.buildOutput(ext)) {
            return FileKind.BUILD_OUTPUT;
        }
        if (METADATA_NAMES.contains(name) || FACTS.metadataName(name) || FACTS.metadataPath(path)) {
            return FileKind.METADATA;
        }
        if (ext.isEmpty() && (path.startsWith("bin/") || path.contains("/bin/"))) {
            return FileKind.CODE; // an executable script has no extension
        }
        if (docName(name) && !code(ext) || DOC_EXTENSIONS.contains(ext)
                || EcosystemPlugins.of(ecosystem).fileFacts().ownDocNames().contains(name)) {
            return FileKind.DOC;
        }
        for (String p : paths) {
            String lower = p.toLowerCase(Locale.ROOT);
            if (testDir(lower) || FACTS.testName(p.substring(p.lastIndexOf('/') + 1))) {
                return FileKind.TEST;
            }
        }
        return code(ext) ? FileKind.CODE : FileKind.OTHER;
    }

    /** Whether a path names code by its extension (any ecosystem's), or is an extension-less script under bin/. */
    public static boolean codePath(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        String name = lower.substring(lower.lastIndexOf('/') + 1);
        String ext = name.lastIndexOf('.') < 0 ? "" : name.substring(name.lastIndexOf('.') + 1);
        return code(ext) || ext.isEmpty() && (lower.startsWith("bin/") || lower.contains("/bin/"));
    }

    private static boolean code(String ext) {
        return CODE_EXTENSIONS.contains(ext) || FACTS.code(ext);
    }

    // The patterns above, answered without a regex where that is cheap (every file row asks): each method gives the
    // pattern's answer. A path with a line terminator (which '.' does not match) goes to the pattern itself.

    private static final String[] TEST_DIRS = {"test", "tests", "__tests__", "spec", "specs", "testing"};
    private static final String[] TEST_DIRS_INSIDE = java.util.Arrays.stream(TEST_DIRS).map(d -> "/" + d + "/")
            .toArray(String[]::new);
    private static final String[] DOC_WORDS = {"readme", "changelog", "changes", "history", "news", "release",
        "license", "licence", "copying", "copyright", "notice", "authors", "contributors", "contributing", "security",
        "code"};

    static boolean testDir(String lower) {
        if (hasLineTerminator(lower)) {
            return TEST_DIR.matcher(lower).matches();
        }
        for (int i = 0; i < TEST_DIRS.length; i++) {
            if (lower.startsWith(TEST_DIRS[i]) && lower.startsWith("/", TEST_DIRS[i].length())
                    || lower.contains(TEST_DIRS_INSIDE[i])) {
                return true;
            }
        }
        return false;
    }

    static boolean docName(String lowerName) {
        for (String w : DOC_WORDS) { // DOC_NAME starts with one of these
            if (lowerName.startsWith(w)) {
                return DOC_NAME.matcher(lowerName).matches();
            }
        }
        return false;
    }

    private static boolean hasLineTerminator(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return true;
            }
        }
        return false;
    }

    /** The kind of a path for the ecosystem, as {@link #of(Ecosystem, FileDivergence)} without flags. */
    public static FileKind ofPath(Ecosystem ecosystem, String path) {
        return of(ecosystem, List.of(path), FileStatus.MODIFIED);
    }

}
