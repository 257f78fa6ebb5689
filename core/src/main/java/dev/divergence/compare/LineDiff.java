package dev.divergence.compare;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

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
        return new Result(added.toString(), addedCount, removed, first);
    }
}
