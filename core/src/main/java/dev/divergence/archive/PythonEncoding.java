package dev.divergence.archive;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEP 263 source encodings as the interpreter applies them (https://peps.python.org/pep-0263/): a comment on the first
 * or second line (the second only after a blank or comment first line) matching
 * {@code ^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)} names the codec Python decodes the whole file with. A reader that
 * takes the bytes as UTF-8 sees something else when that codec is not ASCII-transparent: in UTF-7 a comment's
 * {@code +AAo-} is a newline and what follows is code, in {@code unicode_escape} a comment's {@code \x0a} is, in
 * Shift_JIS or HZ ASCII bytes pair into other characters. Any file, not only a {@code .py}: {@code runpy} and
 * {@code exec(compile(open(f, "rb").read(), ...))} apply the declaration whatever the name.
 */
public final class PythonEncoding {

    /** PEP 263's declaration, as {@code tokenize.cookie_re} (ASCII {@code \w}). */
    private static final Pattern CODING = Pattern.compile("^[ \\t\\f]*#.*?coding[:=][ \\t]*([-\\w.]+)");
    /** {@code tokenize.blank_re}: a line after which the second line may still declare the encoding. */
    private static final Pattern BLANK = Pattern.compile("^[ \\t\\f]*(?:#.*)?$");
    /**
     * Codecs whose every ASCII byte decodes to itself and whose other bytes decode to no ASCII character, statelessly:
     * UTF-8, ASCII, ISO-8859-*, Windows-125x (names as {@code encodings.normalize_encoding} and the tokenizer's
     * {@code get_normal_name} leave them, with Python's aliases). A file under one of them reads as its bytes do.
     */
    private static final Pattern ASCII_TRANSPARENT = Pattern.compile(
            "utf_?8(?:_.*)?|u8|utf|cp65001|utf8_ucs[24]"
                    + "|ascii|us_ascii|us|646|csascii|ansi_x3[._]4_19(?:68|86)|cp367|ibm367|iso646_us|iso_646\\.irv_1991|iso_ir_6"
                    + "|latin_?1(?:_.*)?|latin|l1|8859|cp819|ibm819|csisolatin1|iso_ir_100|iso_latin_1(?:_.*)?"
                    + "|iso_?8859(?:_\\d{1,2})?(?:_.*)?|latin_?\\d{1,2}|l\\d{1,2}|cp125\\d|windows_125\\d");
    /** Python codec names Java spells otherwise. */
    private static final Map<String, String> JAVA_NAMES = Map.ofEntries(
            Map.entry("shift_jis", "Shift_JIS"), Map.entry("sjis", "Shift_JIS"), Map.entry("s_jis", "Shift_JIS"),
            Map.entry("cp932", "windows-31j"), Map.entry("ms932", "windows-31j"), Map.entry("mskanji", "windows-31j"),
            Map.entry("euc_jp", "EUC-JP"), Map.entry("eucjp", "EUC-JP"), Map.entry("euc_kr", "EUC-KR"),
            Map.entry("euckr", "EUC-KR"), Map.entry("cp949", "x-windows-949"), Map.entry("uhc", "x-windows-949"),
            Map.entry("big5hkscs", "Big5-HKSCS"), Map.entry("big5_hkscs", "Big5-HKSCS"), Map.entry("cp950", "x-windows-950"),
            Map.entry("iso2022_jp", "ISO-2022-JP"), Map.entry("iso2022_kr", "ISO-2022-KR"),
            Map.entry("utf_16", "UTF-16"), Map.entry("utf16", "UTF-16"), Map.entry("utf_16_le", "UTF-16LE"),
            Map.entry("utf_16_be", "UTF-16BE"), Map.entry("utf_32", "UTF-32"), Map.entry("utf32", "UTF-32"),
            Map.entry("utf_32_le", "UTF-32LE"), Map.entry("utf_32_be", "UTF-32BE"));

    private PythonEncoding() {
    }

    /** One declaration: the line (0 or 1) and the text the pattern matched, codec name included. */
    public record Declaration(int line, String text, String codec) {
    }

    /** Python's physical lines (universal newlines), a leading BOM dropped as the tokenizer drops it. */
    private static List<String> firstLines(String text) {
        String t = text.startsWith("\ufeff") ? text.substring(1) : text;
        List<String> out = new ArrayList<>(2);
        int from = 0;
        while (out.size() < 2 && from <= t.length()) {
            int end = from;
            while (end < t.length() && t.charAt(end) != '\n' && t.charAt(end) != '\r') {
                end++;
            }
            out.add(t.substring(from, end));
            if (end >= t.length()) {
                break;
            }
            from = end + (t.charAt(end) == '\r' && end + 1 < t.length() && t.charAt(end + 1) == '\n' ? 2 : 1);
        }
        return out;
    }

    /**
     * Every declaration the first two lines carry, whether or not Python would reach the second: what a text
     * normalisation must leave exactly as the source has it.
     */
    public static List<Declaration> declarations(String text) {
        List<Declaration> out = new ArrayList<>(2);
        List<String> lines = firstLines(text);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = CODING.matcher(lines.get(i));
            if (m.find()) {
                out.add(new Declaration(i, m.group(), m.group(1)));
            }
        }
        return out;
    }

    /** The declaration Python applies: the first line's, else the second's when the first is blank or a comment. */
    public static Optional<Declaration> effective(String text) {
        List<String> lines = firstLines(text);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = CODING.matcher(lines.get(i));
            if (m.find()) {
                return Optional.of(new Declaration(i, m.group(), m.group(1)));
            }
            if (!BLANK.matcher(lines.get(i)).matches()) {
                break; // the declaration must come before any code
            }
        }
        return Optional.empty();
    }

    /** The effective declaration of bytes read as Latin-1 (the declaration itself is ASCII). */
    public static Optional<Declaration> effective(byte[] bytes) {
        return effective(new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.ISO_8859_1));
    }

    /** {@code encodings.normalize_encoding}, lower-cased as the codec registry looks names up. */
    static String normalize(String codec) {
        return codec.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "_").replaceAll("^_|_$", "");
    }

    /** Whether the codec reads ASCII as ASCII and nothing else as ASCII (UTF-8, ASCII, Latin-1, ...). */
    public static boolean asciiTransparent(String codec) {
        return ASCII_TRANSPARENT.matcher(normalize(codec)).matches();
    }

    /** A declaration naming a codec under which the bytes do not read as they look. */
    public static Optional<String> hidingCodec(String text) {
        return effective(text).map(Declaration::codec).filter(c -> !asciiTransparent(c));
    }

    /**
     * The text as Python decodes it when its declaration names a codec that is not ASCII-transparent; empty when it
     * names none, names an ASCII-transparent one, or when the codec is not one modelled here or fails on the bytes
     * (Python then refuses the file, so nothing of it runs).
     */
    public static Optional<String> decodeAsPython(byte[] bytes) {
        Optional<String> codec = effective(bytes).map(Declaration::codec).filter(c -> !asciiTransparent(c));
        if (codec.isEmpty()) {
            return Optional.empty();
        }
        String n = normalize(codec.get());
        byte[] body = bytes;
        try {
            switch (n) {
                case "utf_7", "utf7", "u7", "unicode_1_1_utf_7":
                    return utf7(body);
                case "unicode_escape":
                    return unicodeEscape(new String(body, StandardCharsets.ISO_8859_1), false);
                case "raw_unicode_escape":
                    return unicodeEscape(new String(body, StandardCharsets.ISO_8859_1), true);
                default:
                    Charset cs = javaCharset(n);
                    if (cs == null) {
                        return Optional.empty();
                    }
                    return Optional.of(cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString());
            }
        } catch (CharacterCodingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Charset javaCharset(String normalized) {
        for (String name : List.of(JAVA_NAMES.getOrDefault(normalized, normalized), normalized.replace('_', '-'))) {
            try {
                if (Charset.isSupported(name)) {
                    return Charset.forName(name);
                }
            } catch (IllegalArgumentException e) {
                // an illegal charset name: try the next spelling
            }
        }
        return null;
    }

    private static int base64Value(int c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '+' ? 62 : c == '/' ? 63 : -1;
    }

    /**
     * RFC 2152 as CPython's decoder reads it: ASCII stands for itself but {@code +}, which opens a run of modified
     * base64 (UTF-16 code units) ended by any other character, a {@code -} ending it being dropped; {@code +-} is a
     * plus. A byte over 0x7f fails, as in Python.
     */
    static Optional<String> utf7(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length);
        int i = 0;
        while (i < bytes.length) {
            int c = bytes[i] & 0xff;
            if (c >= 0x80) {
                return Optional.empty();
            }
            if (c != '+') {
                out.append((char) c);
                i++;
                continue;
            }
            i++;
            if (i < bytes.length && bytes[i] == '-') {
                out.append('+');
                i++;
                continue;
            }
            int bits = 0;
            int nbits = 0;
            while (i < bytes.length && base64Value(bytes[i] & 0xff) >= 0) {
                bits = (bits << 6) | base64Value(bytes[i] & 0xff);
                nbits += 6;
                if (nbits >= 16) {
                    nbits -= 16;
                    out.append((char) ((bits >>> nbits) & 0xffff));
                    bits &= (1 << nbits) - 1;
                }
                i++;
            }
            if (i < bytes.length && bytes[i] == '-') {
                i++;
            }
        }
        return Optional.of(out.toString());
    }

    /**
     * Python's {@code unicode_escape} (bytes as Latin-1, backslash escapes as in a string literal) and
     * {@code raw_unicode_escape} (only {@code \}{@code uXXXX} and {@code \}{@code UXXXXXXXX} after an odd run of
     * backslashes). A malformed escape fails, as in Python.
     */
    static Optional<String> unicodeEscape(String s, boolean raw) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.append(c);
                i++;
                continue;
            }
            if (raw) {
                int run = 0;
                while (i + run < s.length() && s.charAt(i + run) == '\\') {
                    run++;
                }
                int next = i + run;
                if (run % 2 == 1 && next < s.length() && (s.charAt(next) == 'u' || s.charAt(next) == 'U')) {
                    out.append("\\".repeat(run - 1));
                    int len = s.charAt(next) == 'u' ? 4 : 8;
                    if (!appendHex(out, s, next + 1, len)) {
                        return Optional.empty();
                    }
                    i = next + 1 + len;
                } else {
                    out.append("\\".repeat(run));
                    i = next;
                }
                continue;
            }
            if (i + 1 >= s.length()) {
                return Optional.empty(); // "\ at end of string"
            }
            char e = s.charAt(i + 1);
            i += 2;
            switch (e) {
                case '\n' -> { }
                case '\\' -> out.append('\\');
                case '\'' -> out.append('\'');
                case '"' -> out.append('"');
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'v' -> out.append('\u000b');
                case 'x', 'u', 'U' -> {
                    int len = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (!appendHex(out, s, i, len)) {
                        return Optional.empty();
                    }
                    i += len;
                }
                case 'N' -> {
                    int close = s.indexOf('}', i);
                    if (i >= s.length() || s.charAt(i) != '{' || close < 0) {
                        return Optional.empty();
                    }
                    try {
                        out.appendCodePoint(Character.codePointOf(s.substring(i + 1, close)));
                    } catch (IllegalArgumentException ex) {
                        return Optional.empty();
                    }
                    i = close + 1;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int v = e - '0';
                        for (int k = 0; k < 2 && i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '7'; k++) {
                            v = v * 8 + (s.charAt(i++) - '0');
                        }
                        out.append((char) v);
                    } else {
                        out.append('\\').append(e); // an unknown escape stays as written
                    }
                }
            }
        }
        return Optional.of(out.toString());
    }

    private static boolean appendHex(StringBuilder out, String s, int from, int len) {
        if (from + len > s.length()) {
            return false;
        }
        try {
            int cp = Integer.parseInt(s.substring(from, from + len), 16);
            if (s.substring(from, from + len).chars().anyMatch(ch -> Character.digit(ch, 16) < 0)
                    || !Character.isValidCodePoint(cp)) {
                return false;
            }
            out.appendCodePoint(cp);
            return true;
        } catch (NumberFormatException ex) {
            return false;
        }
    }
}
