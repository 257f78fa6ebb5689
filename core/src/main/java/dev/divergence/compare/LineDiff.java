package dev.divergence.compare;

import dev.divergence.archive.PythonEncoding;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A cheap line comparison: lines of the artifact not in the source (as a multiset) and the reverse. Enough to
 * say "+3 -0 lines" and to scan only what was added for payload signals, without a full diff algorithm.
 */
public final class LineDiff {

    public record Result(String addedText, int added, int removed, int firstDifferentLine) {
    }

    private LineDiff() {
    }

    public static Result of(byte[] artifact, byte[] source) {
        String[] a = new String(artifact, StandardCharsets.UTF_8).replace("\r\n", "\n").split("\n", -1);
        String[] s = new String(source, StandardCharsets.UTF_8).replace("\r\n", "\n").split("\n", -1);
        int first = -1;
        for (int i = 0; i < Math.max(a.length, s.length); i++) {
            if (i >= a.length || i >= s.length || !a[i].equals(s[i])) {
                first = i + 1;
                break;
            }
        }
        Map<String, Integer> counts = new HashMap<>();
        for (String line : s) {
            counts.merge(line, 1, Integer::sum);
        }
        StringBuilder added = new StringBuilder();
        int addedCount = 0;
        for (String line : a) {
            Integer c = counts.get(line);
            if (c != null && c > 0) {
                counts.put(line, c - 1);
            } else {
                added.append(line).append('\n');
                addedCount++;
            }
        }
        int removed = counts.values().stream().mapToInt(Integer::intValue).sum();
        return new Result(asPythonReadsIt(artifact, source, added.toString()), addedCount, removed, first);
    }

    /**
     * The added text, completed with what Python reads (red team round 8, c6): when the artifact's PEP 263
     * declaration is not the source's, that declaration line first — where the whole-text scans look for it
     * ({@link dev.divergence.archive.ContentSignals}) —; and when either side declares a codec under which its bytes
     * do not read as they look (UTF-7, {@code unicode_escape}, Shift_JIS, ...), the lines added once both are decoded
     * as the interpreter decodes them (a UTF-7 run in a comment is code to Python, base64 to a UTF-8 reader).
     */
    private static String asPythonReadsIt(byte[] artifact, byte[] source, String added) {
        Optional<PythonEncoding.Declaration> ad = PythonEncoding.effective(artifact);
        Optional<PythonEncoding.Declaration> sd = PythonEncoding.effective(source);
        String out = added;
        if (ad.isPresent() && !ad.map(PythonEncoding.Declaration::text).equals(sd.map(PythonEncoding.Declaration::text))) {
            out = ad.get().text() + "\n" + out;
        }
        Optional<String> ax = PythonEncoding.decodeAsPython(artifact);
        Optional<String> sx = PythonEncoding.decodeAsPython(source);
        if (ax.isEmpty() && sx.isEmpty()) {
            return out;
        }
        String[] a = physicalLines(ax.orElse(new String(artifact, StandardCharsets.UTF_8)));
        String[] s = physicalLines(sx.orElse(new String(source, StandardCharsets.UTF_8)));
        Map<String, Integer> counts = new HashMap<>();
        for (String line : s) {
            counts.merge(line, 1, Integer::sum);
        }
        StringBuilder decoded = new StringBuilder(out);
        for (String line : a) {
            Integer c = counts.get(line);
            if (c != null && c > 0) {
                counts.put(line, c - 1);
            } else {
                decoded.append(line).append('\n');
            }
        }
        return decoded.toString();
    }

    /** Python's physical lines: universal newlines. */
    private static String[] physicalLines(String text) {
        return text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
    }
}
