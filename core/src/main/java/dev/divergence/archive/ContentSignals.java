package dev.divergence.archive;

import dev.divergence.model.RiskFlag;
import dev.divergence.registry.FileFacts;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Streaming inspection of an entry's bytes for what makes a divergent file dangerous: encoded payloads,
 * dynamic execution, binaries, minified/obfuscated lines, and {@code .pth} lines that Python executes.
 * Fed chunk by chunk alongside the hashers, so an entry is read once.
 */
public final class ContentSignals {

    /** A base64/hex run this long is a payload, not code: LiteLLM's was ~34 KB on one line. */
    static final int ENCODED_RUN = 256;
    /** Lines this long in a text file are minified or obfuscated. */
    static final int LONG_LINE = 4_000;
    /** Every ecosystem's facts about file names and contents: Python's, JavaScript's, Java's live with them. */
    private static final FileFacts.Union FACTS = FileFacts.union();
    /** The languages' execution tokens, each ecosystem's ({@link FileFacts#execTokens}). */
    private static final String[] EXEC_TOKENS = FACTS.execTokens().toArray(String[]::new);
    private static final byte[][] TOKENS = new byte[EXEC_TOKENS.length][];
    /** Tokens by first byte, so the search touches each byte once and compares only at plausible starts. */
    private static final byte[][][] BY_FIRST = new byte[256][][];
    /** At least the longest token's length, so a token split across two chunks is still found. */
    private static final int OVERLAP = 32;

    static {
        java.util.Map<Integer, java.util.List<byte[]>> m = new java.util.HashMap<>();
        for (int i = 0; i < EXEC_TOKENS.length; i++) {
            TOKENS[i] = EXEC_TOKENS[i].getBytes(StandardCharsets.ISO_8859_1);
            m.computeIfAbsent(TOKENS[i][0] & 0xff, k -> new java.util.ArrayList<>()).add(TOKENS[i]);
        }
        m.forEach((k, v) -> BY_FIRST[k] = v.toArray(new byte[0][]));
    }

    private final boolean pth;
    /**
     * A {@code .json} file: parsed, never run (Node's {@code require} of a {@code .json}, even as {@code main}, is
     * {@code JSON.parse}), and one long line is what {@code JSON.stringify} writes: no sign of obfuscation.
     */
    private final boolean jsonData;
    private final boolean bytecode;
    private final boolean deep;
    private final long maxBytes;
    private final Set<RiskFlag> flags = EnumSet.noneOf(RiskFlag.class);
    private long seen;
    private int run;
    private int line;
    private boolean atLineStart = true;
    private final StringBuilder lineHead;
    /** The two bytes before the current one, for the UTF-8 forms of NEL, U+2028 and U+2029. */
    private int prev1 = -1;
    private int prev2 = -1;
    /** Deep scans only: the streaming pass creates one of these per entry and must not allocate 64 KB each. */
    private final byte[] window;
    private int tailLength;

    /** Full inspection of content: base64 runs, long lines, {@code .pth} import lines, execution tokens. */
    public ContentSignals(String path, long maxBytes) {
        this(path, maxBytes, true);
    }

    /**
     * @param deep false for the streaming pass over every entry: only the name and the first bytes (magic)
     *     are inspected; content is scanned later, and only for files that differ from the source
     */
    public ContentSignals(String path, long maxBytes, boolean deep) {
        this.deep = deep;
        this.window = deep ? new byte[OVERLAP + (1 << 16)] : null;
        this.lineHead = deep ? new StringBuilder() : null;
        String lower = path.toLowerCase(Locale.ROOT);
        String ext = extension(lower);
        flags.addAll(FACTS.pathFlags(lower.substring(lower.lastIndexOf('/') + 1), ext)); // setup.py, .pth
        this.pth = flags.contains(RiskFlag.PTH_FILE);
        this.jsonData = ext.equals("json");
        this.maxBytes = maxBytes;
        if (isCode(lower)) {
            flags.add(RiskFlag.CODE);
        }
        if (isNative(lower)) {
            flags.add(RiskFlag.BINARY);
        }
        // Bytecode is expected to be binary; it is judged by whether its source exists, not by NUL bytes.
        this.bytecode = FACTS.bytecode(ext).isPresent();
    }

    /** Scripts and native code of no ecosystem in particular; each ecosystem adds its languages' ({@link FileFacts}). */
    private static final Set<String> CODE_EXTENSIONS = Set.of("sh", "bash", "ps1", "bat", "cmd", "rb", "pl", "php",
            "so", "dll", "dylib", "exe");
    private static final Set<String> NATIVE_EXTENSIONS = Set.of("so", "dll", "dylib", "exe");
    /** Versioned shared objects: libfoo.so.1, libfoo.so.1.2.3. */
    private static final java.util.regex.Pattern VERSIONED_SO = java.util.regex.Pattern.compile(".*\\.so\\.[0-9.]+$");

    static boolean isCode(String lowerPath) {
        String ext = extension(lowerPath);
        return CODE_EXTENSIONS.contains(ext) || FACTS.flaggedCode(ext);
    }

    static boolean isNative(String lowerPath) {
        String ext = extension(lowerPath);
        return NATIVE_EXTENSIONS.contains(ext) || FACTS.nativeCode(ext)
                || (lowerPath.contains(".so.") && VERSIONED_SO.matcher(lowerPath).matches());
    }

    /** What follows the last dot of the last path segment, "" when there is none. */
    private static String extension(String lowerPath) {
        int dot = lowerPath.lastIndexOf('.');
        return dot < 0 || dot < lowerPath.lastIndexOf('/') ? "" : lowerPath.substring(dot + 1);
    }

    public void update(byte[] b, int off, int len) {
        if (seen >= maxBytes || len <= 0 || bytecode) {
            return;
        }
        int n = (int) Math.min(len, maxBytes - seen);
        if (seen == 0) {
            sniffMagic(b, off, n);
        }
        if (!deep) {
            seen += n;
            return;
        }
        for (int i = off; i < off + n; i++) {
            int c = b[i] & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/'
                    || c == '=') {
                if (++run == ENCODED_RUN) {
                    flags.add(RiskFlag.ENCODED_BLOB);
                }
            } else {
                run = 0;
            }
            boolean pthLineEnd = pth && pthLineEnd(c);
            prev2 = prev1;
            prev1 = c;
            if (c == '\n' || pthLineEnd) {
                if (c == '\n') {
                    line = 0;
                }
                atLineStart = true;
                lineHead.setLength(0);
            } else {
                if (++line == LONG_LINE && !jsonData) {
                    flags.add(RiskFlag.OBFUSCATED);
                }
                if (pth && atLineStart) {
                    lineHead.append((char) c);
                    if (seen == 0 && i - off == 2 && lineHead.toString().equals("\u00ef\u00bb\u00bf")) {
                        lineHead.setLength(0); // Python 3.13 decodes a .pth as utf-8-sig: a BOM starts no line
                        continue;
                    }
                    if (lineHead.length() == 7) {
                        // site.py executes a .pth line that starts with "import" followed by space or tab.
                        String h = lineHead.toString();
                        if (h.equals("import ") || h.equals("import\t")) {
                            flags.add(RiskFlag.PTH_EXECUTES);
                        }
                        atLineStart = false;
                    }
                }
            }
        }
        if (!flags.contains(RiskFlag.DYNAMIC_EXEC)) {
            searchTokens(b, off, n);
        }
        seen += n;
    }

    /**
     * Where site.py ends a {@code .pth} line: Python 3.13 splits the decoded text with {@code str.splitlines()}, so
     * CR, VT, FF, FS, GS, RS, NEL, U+2028 and U+2029 (the last three in UTF-8) end a line as LF does; earlier versions
     * iterate the file in text mode (CR, CRLF, LF). A line starting with {@code import} after any of them runs.
     */
    private boolean pthLineEnd(int c) {
        return c == '\r' || c == 0x0b || c == 0x0c || (c >= 0x1c && c <= 0x1e)
                || (c == 0x85 && prev1 == 0xc2) || ((c == 0xa8 || c == 0xa9) && prev1 == 0x80 && prev2 == 0xe2);
    }

    /** One pass over the previous chunk's tail plus this chunk: a token split across chunks is still found. */
    private void searchTokens(byte[] b, int off, int n) {
        for (int start = 0; start < n; start += window.length - OVERLAP) {
            int len = Math.min(n - start, window.length - OVERLAP);
            System.arraycopy(b, off + start, window, tailLength, len);
            int end = tailLength + len;
            for (int i = 0; i < end; i++) {
                byte[][] candidates = BY_FIRST[window[i] & 0xff];
                if (candidates == null) {
                    continue;
                }
                for (byte[] t : candidates) {
                    if (i + t.length > end) {
                        continue;
                    }
                    int k = 1; // most candidates fail on the second byte: compare inline, no library call
                    while (k < t.length && window[i + k] == t[k]) {
                        k++;
                    }
                    if (k == t.length) {
                        flags.add(RiskFlag.DYNAMIC_EXEC);
                        return;
                    }
                }
            }
            tailLength = Math.min(OVERLAP, end);
            System.arraycopy(window, end - tailLength, window, 0, tailLength);
        }
    }

    private void sniffMagic(byte[] b, int off, int n) {
        if (n >= 2 && b[off] == '#' && b[off + 1] == '!') {
            flags.add(RiskFlag.CODE); // a script the kernel runs by its interpreter line, whatever its name
        }
        if (n >= 4) {
            int m = ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
            boolean elf = m == 0x7f454c46;
            boolean macho = m == 0xfeedface || m == 0xfeedfacf || m == 0xcefaedfe || m == 0xcffaedfe;
            boolean pe = (b[off] == 'M' && b[off + 1] == 'Z');
            if (elf || macho || pe) {
                flags.add(RiskFlag.BINARY);
            }
            boolean zip = b[off] == 'P' && b[off + 1] == 'K' && b[off + 2] == 3 && b[off + 3] == 4;
            boolean gzip = (b[off] & 0xff) == 0x1f && (b[off + 1] & 0xff) == 0x8b;
            boolean bzip = b[off] == 'B' && b[off + 1] == 'Z' && b[off + 2] == 'h';
            boolean xz = (b[off] & 0xff) == 0xfd && b[off + 1] == '7' && b[off + 2] == 'z' && b[off + 3] == 'X';
            if (zip || gzip || bzip || xz) {
                flags.add(RiskFlag.NESTED_ARCHIVE);
            }
        }
    }

    /**
     * Code loaded by a name computed at run time, which hides what it loads from any token list: Python
     * {@code importlib.import_module(x)}, JS {@code require(x)} and {@code import(x)} with anything but a plain string
     * literal ({@code require("child_" + "process")}), a string naming the rot13 codec (a classic hider). Each
     * ecosystem's ({@link FileFacts#computedLoads}); a file of an ecosystem's own language takes that ecosystem's
     * ({@link FileFacts#languageLoads}: Python's {@code from x import (a, b)} is an import list, not a call).
     */
    private static Pattern computedLoad(String lowerPath) {
        return FACTS.computedLoads(extension(lowerPath));
    }

    /**
     * The build-output form of {@link #computedLoad}: a bare identifier or member chain ({@code require(id)},
     * bundlers' dynamic loaders) is expected there; a concatenation, template, call or index is not.
     */
    private static final Pattern COMPUTED_LOAD_STRICT = FACTS.buildOutputLoads();


    /**
     * Shell payloads of no ecosystem in particular, in any script (a {@code #!} file, an extension-less command):
     * a download piped into a shell ({@code curl ... | sh}, {@code wget -O- ... | bash}) or saved and then run by one
     * ({@code wget -O /tmp/x URL && sh /tmp/x}, {@code curl -o x URL; chmod +x x}), decoded base64 piped into one,
     * {@code eval "$(...)"} / {@code eval `...`}.
     */
    static final Pattern SHELL_PAYLOAD = Pattern.compile(
            "\\b(?:curl|wget)\\b[^\\n|;&]*\\|\\s*(?:sudo\\s+)?(?:/(?:usr/)?bin/)?(?:ba|z|da|k)?sh\\b"
                    + "|\\bbase64\\s+(?:-d|-D|--decode)\\b[^\\n|;&]*\\|\\s*(?:sudo\\s+)?(?:/(?:usr/)?bin/)?(?:ba|z|da|k)?sh\\b"
                    + "|\\beval\\s+[\"']?(?:\\$\\(|`)"
                    // red team round 8 (c8): a download saved, then run by a shell (wget -O /tmp/x URL && sh /tmp/x)
                    + "|\\b(?:curl|wget)\\b[^\\n|;&]*(?:&&|;)\\s*(?:sudo\\s+)?(?:/(?:usr/)?bin/)?(?:ba|z|da|k)?sh\\s+\\S"
                    + "|\\b(?:curl|wget)\\b[^\\n|;&]*(?:&&|;)\\s*chmod\\s+\\+?[0-7]*x");

    /** Process execution, dynamic evaluation or a shell payload in a whole text. */
    /**
     * Process execution and dynamic evaluation as calls, not as method names ({@code re.exec(}) or text: the file's own
     * language's calls when an ecosystem claims its extension, else every ecosystem's; and a shell payload.
     */
    private static boolean execCall(String lowerPath, String text) {
        return FACTS.execCalls(extension(lowerPath)).matcher(text).find() || SHELL_PAYLOAD.matcher(text).find();
    }

    /**
     * Full inspection of a whole text (a file's content, or the lines a diff added): {@link #update}'s signals plus
     * code loaded by a computed name ({@link #COMPUTED_LOAD}), which a token search cannot see.
     */
    public static Set<RiskFlag> scan(String path, byte[] content, long maxBytes) {
        ContentSignals s = new ContentSignals(path, maxBytes);
        s.update(content, 0, content.length);
        Set<RiskFlag> out = s.flags();
        int n = (int) Math.min(content.length, maxBytes);
        String lower = path.toLowerCase(Locale.ROOT);
        String text = new String(content, 0, n, StandardCharsets.ISO_8859_1);
        // The streaming tokens also match method names (a regex's .exec(, registerFunction(): for a whole text
        // the call-shaped patterns decide, which still see every token's call form.
        out.remove(RiskFlag.DYNAMIC_EXEC);
        if (!s.bytecode && (execCall(lower, text) || languageExec(lower, text)
                || computedLoad(lower).matcher(text).find())) {
            out.add(RiskFlag.DYNAMIC_EXEC);
        }
        hidingEncoding(lower, text, out);
        return out;
    }

    /**
     * A Python file whose PEP 263 declaration names a codec under which its bytes do not read as they look (UTF-7,
     * {@code unicode_escape}, Shift_JIS, ...: {@link PythonEncoding#asciiTransparent}) hides what the interpreter
     * runs from every reader of its bytes: {@link RiskFlag#OBFUSCATED} (red team round 8, c6). Of a diff's added lines
     * this holds when the declaration is new or changed: the diff then puts it first ({@code compare.LineDiff}).
     */
    private static void hidingEncoding(String lowerPath, String text, Set<RiskFlag> out) {
        String ext = extension(lowerPath);
        if ((ext.equals("py") || ext.equals("pyw")) && PythonEncoding.hidingCodec(text).isPresent()) {
            out.add(RiskFlag.OBFUSCATED);
        }
    }
    /**
     * The streaming pass's signals over a whole content (its execution tokens, encoded runs, long lines, {@code .pth}
     * imports) plus the calls of the file's own language ({@link #languageExec}), which no token list can carry: a
     * file judged whole without a source to diff against.
     */
    public static Set<RiskFlag> whole(String path, byte[] content, long maxBytes) {
        ContentSignals s = new ContentSignals(path, maxBytes);
        s.update(content, 0, content.length);
        Set<RiskFlag> out = s.flags();
        int n = (int) Math.min(content.length, maxBytes);
        String text = new String(content, 0, n, StandardCharsets.ISO_8859_1);
        if (!s.bytecode && (languageExec(path.toLowerCase(Locale.ROOT), text) || SHELL_PAYLOAD.matcher(text).find())) {
            out.add(RiskFlag.DYNAMIC_EXEC);
        }
        hidingEncoding(path.toLowerCase(Locale.ROOT), text, out);
        return out;
    }

    /**
     * Process execution, evaluation or load-time code in the calls of the file's own language, which are ordinary
     * names elsewhere: C's {@code system(}, {@code fork(}, {@code __attribute__((constructor))} in the sources an
     * install compiles, Python's bare {@code compile(}, {@code FunctionType(}, JavaScript's {@code module._compile(}
     * ({@link FileFacts#languageExecCalls}).
     */
    private static boolean languageExec(String lowerPath, String text) {
        return FACTS.languageExecCalls(extension(lowerPath)).map(p -> p.matcher(text).find()).orElse(false);
    }

    /** Text tools write into build output that looks like a payload: an inline source map's base64. */
    private static final Pattern BUILD_OUTPUT_NOISE = FACTS.buildOutputNoise();

    /**
     * What makes build output dangerous, read more strictly than a diff's added lines (build output is judged
     * whole and bundles are full of {@code regex.exec(}, {@code String.fromCharCode} and the
     * {@code Function("return this")} global shim): native code; process execution or dynamic evaluation as a call;
     * an encoded run of 256+ characters outside an inline source map.
     */
    public static Set<RiskFlag> buildOutputSignals(String path, byte[] content) {
        Set<RiskFlag> out = EnumSet.noneOf(RiskFlag.class);
        ContentSignals whole = new ContentSignals(path, content.length + 1L);
        whole.update(content, 0, content.length);
        Set<RiskFlag> loose = whole.flags();
        for (RiskFlag f : List.of(RiskFlag.BINARY, RiskFlag.CODE, RiskFlag.OBFUSCATED, RiskFlag.NESTED_ARCHIVE)) {
            if (loose.contains(f)) {
                out.add(f);
            }
        }
        String text = new String(content, StandardCharsets.ISO_8859_1);
        if (execCall(path.toLowerCase(Locale.ROOT), text) || COMPUTED_LOAD_STRICT.matcher(text).find()
                || languageExec(path.toLowerCase(Locale.ROOT), text) || bytecodeExec(path, text)) {
            out.add(RiskFlag.DYNAMIC_EXEC);
        }
        if (loose.contains(RiskFlag.ENCODED_BLOB)) {
            byte[] rest = BUILD_OUTPUT_NOISE.matcher(text).replaceAll("").getBytes(StandardCharsets.ISO_8859_1);
            ContentSignals again = new ContentSignals(path, rest.length + 1L);
            again.update(rest, 0, rest.length);
            if (again.flags().contains(RiskFlag.ENCODED_BLOB)) {
                out.add(RiskFlag.ENCODED_BLOB);
            }
        }
        return out;
    }

    /** Bytecode whose text says it starts processes, by its ecosystem's test (Java: the constant pool). */
    private static boolean bytecodeExec(String path, String text) {
        return FACTS.bytecode(extension(path.toLowerCase(Locale.ROOT))).map(t -> t.test(text)).orElse(false);
    }

    public Set<RiskFlag> flags() {
        Set<RiskFlag> copy = EnumSet.noneOf(RiskFlag.class);
        copy.addAll(flags);
        return copy;
    }
}
