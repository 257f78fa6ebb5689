package dev.divergence.registry.pypi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where Python's readers end a line and what they strip, so that every rule reads a file with the line structure
 * its consumer really uses (red team round 9: a lone CR ending a setuptools-scm comment, a form feed ending a
 * requirement line). Two models, chosen per consumer after reading its source:
 * <ul>
 * <li>{@link #physicalLines}: Python source as the interpreter reads it ({@code importlib}'s {@code decode_source}
 * and the tokenizer: universal newlines, so CRLF, CR and LF end a line; a form feed or U+2028 is not a line end),
 * also a text file opened in text mode and iterated ({@code configparser}, {@code email.feedparser});</li>
 * <li>{@link #splitlines}: {@code str.splitlines()}, whose boundaries add VT, FF, FS, GS, RS, NEL, U+2028 and U+2029:
 * pip's requirements files ({@code req_file.preprocess}), setuptools' {@code yield_lines} (requirements, requires.txt,
 * a {@code Requires-Dist} value as pkg_resources reads it, a multi-line setup.cfg list), importlib.metadata's
 * {@code Sectioned.read} (entry_points.txt, requires.txt), and Python 3.13's site.py for a {@code .pth} file.</li>
 * </ul>
 */
final class PythonText {

    /** {@code str.splitlines()}'s boundaries (https://docs.python.org/3/library/stdtypes.html#str.splitlines). */
    private static final Pattern SPLITLINES = Pattern.compile("\r\n|[\n\r\u000b\u000c\u001c\u001d\u001e\u0085\u2028\u2029]");
    /** Python's {@code str.isspace}: what {@code str.strip()} removes and {@code re}'s {@code \s} matches. */
    static final String SPACE = " \t\n\r\u000b\u000c\u001c\u001d\u001e\u001f\u0085\u00a0\u1680"
            + "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";
    /** PEP 263's coding declaration, looked for on the first two lines of a Python source file. */
    private static final Pattern CODING = Pattern.compile("^[ \\t\\f]*#.*?coding[:=][ \\t]*([-\\w.]+)");

    private PythonText() {
    }

    /** {@code text.splitlines()}: no empty last element for a text ending in a boundary, none for an empty text. */
    static List<String> splitlines(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = SPLITLINES.matcher(text);
        int last = 0;
        while (m.find()) {
            out.add(text.substring(last, m.start()));
            last = m.end();
        }
        if (last < text.length()) {
            out.add(text.substring(last));
        }
        return out;
    }

    /** Whether {@code str.splitlines()} would cut the text anywhere. */
    static boolean hasLineBoundary(String text) {
        return SPLITLINES.matcher(text).find();
    }

    /** Universal newlines ({@code io.TextIOWrapper}, {@code newline=None}): CRLF and a lone CR read as LF. */
    static String universalNewlines(String text) {
        return text.indexOf('\r') < 0 ? text : text.replace("\r\n", "\n").replace('\r', '\n');
    }

    /** Python source's physical lines (the tokenizer's): split at CRLF, CR or LF, the last one kept even if empty. */
    static List<String> physicalLines(String text) {
        return List.of(universalNewlines(text).split("\n", -1));
    }

    /**
     * The encoding a PEP 263 declaration on one of the first two physical lines names, when it names one other than
     * UTF-8: Python then decodes the file with that codec, and in UTF-7 a comment can hold {@code +AAo-} (a newline)
     * followed by code, so a reader that takes the bytes as UTF-8 sees a comment where Python runs a statement.
     */
    static Optional<String> otherEncoding(String text) {
        List<String> lines = physicalLines(text);
        for (int i = 0; i < Math.min(2, lines.size()); i++) {
            Matcher m = CODING.matcher(lines.get(i));
            if (m.find()) {
                String codec = m.group(1).toLowerCase(java.util.Locale.ROOT).replace('_', '-').replace("utf8", "utf-8");
                return codec.equals("utf-8") || codec.startsWith("utf-8-") ? Optional.empty() : Optional.of(m.group(1));
            }
            if (!lines.get(i).strip().startsWith("#") && !lines.get(i).isBlank()) {
                break; // the declaration must come before any code
            }
        }
        return Optional.empty();
    }

    static boolean isSpace(char c) {
        return SPACE.indexOf(c) >= 0;
    }

    /** {@code str.strip()}. */
    static String strip(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && isSpace(s.charAt(from))) {
            from++;
        }
        while (to > from && isSpace(s.charAt(to - 1))) {
            to--;
        }
        return s.substring(from, to);
    }

    /** {@code str.rstrip()}. */
    static String rstrip(String s) {
        int to = s.length();
        while (to > 0 && isSpace(s.charAt(to - 1))) {
            to--;
        }
        return s.substring(0, to);
    }
}
