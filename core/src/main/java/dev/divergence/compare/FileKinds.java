package dev.divergence.compare;

import dev.divergence.model.Ecosystem;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileKind;
import dev.divergence.model.FileStatus;
import dev.divergence.model.RiskFlag;
import java.util.List;
import java.util.Locale;
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
            RiskFlag.NEW_DEPENDENCY, RiskFlag.ENTRY_POINT);

    static final Pattern DOC_NAME = Pattern.compile(
            "(readme|changelog|changes|history|news|release[-_]?notes|license|licence|copying|copyright|notice"
            + "|authors|contributors|contributing|security|code[-_]of[-_]conduct)"
            + "([-_][a-z0-9]+)*(\\.[a-z]{2}(-[a-z]{2})?)?(\\.(md|markdown|rst|txt|adoc|asciidoc|text))?");
    private static final Set<String> DOC_EXTENSIONS = Set.of("md", "markdown", "rst", "adoc", "asciidoc");

    private static final Set<String> METADATA_NAMES = Set.of("package.json", "package-lock.json",
            "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", ".npmignore", ".npmrc", ".gitignore",
            ".gitattributes", "pkg-info", "pyproject.toml", "setup.cfg", "manifest.in", "tox.ini", "pipfile", "pipfile.lock", "poetry.lock",
            "pom.xml", "pom.properties", "manifest.mf", "build.gradle", "build.gradle.kts", "settings.gradle", "makefile", "gnumakefile", "cmakelists.txt",
            "tsconfig.json", "jsconfig.json", "bower.json", "component.json");
    static final Pattern METADATA_PATH = Pattern.compile(
            "(^|.*/)[^/]+\\.(dist-info|egg-info)/.*|(^|.*/)meta-inf/maven/.*|(^|.*/)requirements[^/]*\\.(txt|in)");

    static final Pattern TEST_DIR = Pattern.compile("(^|.*/)(test|tests|__tests__|spec|specs|testing)/.*");
    static final Pattern TEST_NAME = Pattern.compile(
            "test_[^/]*\\.py|[^/]*_test\\.py|conftest\\.py|[^/]*\\.(test|spec)\\.[cm]?[jt]sx?|[^/]*Tests?\\.java");

    private static final Set<String> CODE_EXTENSIONS = Set.of("py", "pyw", "pyi", "pyx", "pxd", "pth", "js", "mjs",
            "cjs", "jsx", "ts", "mts", "cts", "tsx", "coffee", "vue", "svelte", "wasm", "sh", "bash", "zsh", "ps1",
            "bat", "cmd", "java", "kt", "kts", "groovy", "scala", "clj", "c", "h", "cc", "cpp", "cxx", "hpp", "rs",
            "go", "rb", "pl", "php", "lua", "so", "pyd", "dll", "dylib", "node", "exe", "jar", "gyp", "gypi");

    private FileKinds() {
    }

    public static FileKind of(Ecosystem ecosystem, FileDivergence f) {
        if (f.riskFlags().stream().anyMatch(RUNS::contains)) {
            return FileKind.CODE;
        }
        List<String> paths = new java.util.ArrayList<>();
        f.artifactPath().ifPresent(paths::add);
        f.sourcePath().ifPresent(paths::add);
        return of(ecosystem, paths, f.status());
    }

    /** The kind by path alone (the first path is the artifact's when there is one). */
    static FileKind of(Ecosystem ecosystem, List<String> paths, FileStatus status) {
        if (paths.isEmpty()) {
            return FileKind.OTHER;
        }
        String path = paths.get(0).toLowerCase(Locale.ROOT);
        String name = path.substring(path.lastIndexOf('/') + 1);
        String ext = name.lastIndexOf('.') < 0 ? "" : name.substring(name.lastIndexOf('.') + 1);
        if (status == FileStatus.BUILD_OUTPUT || ext.equals("class") || ext.equals("pyc") || ext.equals("pyo")
                || ext.equals("map")) {
            return FileKind.BUILD_OUTPUT;
        }
        if (METADATA_NAMES.contains(name) || metadataPath(path)) {
            return FileKind.METADATA;
        }
        if (ext.isEmpty() && (path.startsWith("bin/") || path.contains("/bin/"))) {
            return FileKind.CODE; // an executable script has no extension
        }
        if (docName(name) && !CODE_EXTENSIONS.contains(ext) || DOC_EXTENSIONS.contains(ext)
                || (ecosystem == Ecosystem.MAVEN && (name.equals("package.html") || name.equals("overview.html")))) {
            return FileKind.DOC;
        }
        for (String p : paths) {
            String lower = p.toLowerCase(Locale.ROOT);
            if (testDir(lower) || testName(p.substring(p.lastIndexOf('/') + 1))) {
                return FileKind.TEST;
            }
        }
        return CODE_EXTENSIONS.contains(ext) ? FileKind.CODE : FileKind.OTHER;
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

    static boolean testName(String name) {
        // every alternative of TEST_NAME holds "test", "spec" or "Test"
        return (name.contains("test") || name.contains("spec") || name.contains("Test"))
                && TEST_NAME.matcher(name).matches();
    }

    static boolean docName(String lowerName) {
        for (String w : DOC_WORDS) { // DOC_NAME starts with one of these
            if (lowerName.startsWith(w)) {
                return DOC_NAME.matcher(lowerName).matches();
            }
        }
        return false;
    }

    static boolean metadataPath(String lower) {
        if (hasLineTerminator(lower)) {
            return METADATA_PATH.matcher(lower).matches();
        }
        for (String info : new String[] {".dist-info/", ".egg-info/"}) {
            for (int k = lower.indexOf(info); k >= 0; k = lower.indexOf(info, k + 1)) {
                if (k > 0 && lower.charAt(k - 1) != '/') {
                    return true; // a non-empty segment name before the suffix
                }
            }
        }
        if (lower.startsWith("meta-inf/maven/") || lower.contains("/meta-inf/maven/")) {
            return true;
        }
        String name = lower.substring(lower.lastIndexOf('/') + 1);
        return name.startsWith("requirements") && (name.endsWith(".txt") && name.length() >= 16
                || name.endsWith(".in") && name.length() >= 15);
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
