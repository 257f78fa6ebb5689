package dev.divergence.archive;

import dev.divergence.model.RiskFlag;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

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
    private static final String[] EXEC_TOKENS = {
        "exec(", "eval(", "b64decode", "subprocess", "os.system(", "__import__(", "child_process", "Function(",
        "fromCharCode", "marshal.loads", "zlib.decompress"};
    private static final int OVERLAP = 16;

    private final boolean pth;
    private final boolean bytecode;
    private final long maxBytes;
    private final Set<RiskFlag> flags = EnumSet.noneOf(RiskFlag.class);
    private long seen;
    private int run;
    private int line;
    private boolean atLineStart = true;
    private final StringBuilder lineHead = new StringBuilder();
    private String tail = "";

    public ContentSignals(String path, long maxBytes) {
        String lower = path.toLowerCase(Locale.ROOT);
        this.pth = lower.endsWith(".pth");
        this.maxBytes = maxBytes;
        if (pth) {
            flags.add(RiskFlag.PTH_FILE);
        }
        String name = lower.substring(lower.lastIndexOf('/') + 1);
        if (name.equals("setup.py")) {
            flags.add(RiskFlag.INSTALL_SCRIPT);
        }
        if (isCode(lower)) {
            flags.add(RiskFlag.CODE);
        }
        if (lower.matches(".*\\.(so|so\\.[0-9.]+|dll|pyd|dylib|exe|node)$")) {
            flags.add(RiskFlag.BINARY);
        }
        // JVM bytecode is expected to be binary; it is judged by whether its source exists, not by NUL bytes.
        this.bytecode = lower.endsWith(".class");
    }

    static boolean isCode(String lowerPath) {
        return lowerPath.matches(".*\\.(py|pyw|pth|pyx|js|mjs|cjs|ts|sh|bash|ps1|bat|cmd|java|class|kt|groovy|rb|pl|php|so|pyd|dll|dylib|node|exe)$");
    }

    public void update(byte[] b, int off, int len) {
        if (seen >= maxBytes || len <= 0 || bytecode) {
            return;
        }
        int n = (int) Math.min(len, maxBytes - seen);
        if (seen == 0) {
            sniffMagic(b, off, n);
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
            if (c == '\n') {
                line = 0;
                atLineStart = true;
                lineHead.setLength(0);
            } else {
                if (++line == LONG_LINE) {
                    flags.add(RiskFlag.OBFUSCATED);
                }
                if (pth && atLineStart) {
                    lineHead.append((char) c);
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
        String chunk = tail + new String(b, off, n, StandardCharsets.ISO_8859_1);
        for (String token : EXEC_TOKENS) {
            if (chunk.contains(token)) {
                flags.add(RiskFlag.DYNAMIC_EXEC);
                break;
            }
        }
        tail = chunk.length() > OVERLAP ? chunk.substring(chunk.length() - OVERLAP) : chunk;
        seen += n;
    }

    private void sniffMagic(byte[] b, int off, int n) {
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

    public Set<RiskFlag> flags() {
        Set<RiskFlag> copy = EnumSet.noneOf(RiskFlag.class);
        copy.addAll(flags);
        return copy;
    }
}
