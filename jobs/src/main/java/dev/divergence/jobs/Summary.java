package dev.divergence.jobs;

import java.io.PrintStream;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/** The per-version table printed at the end of a scan: what an analyst reads first. */
public final class Summary {

    private Summary() {
    }

    public static void print(List<Row> releases, PrintStream out) {
        Map<String, List<Row>> byPackage = new TreeMap<>();
        for (Row r : releases) {
            byPackage.computeIfAbsent("pkg:" + r.getAs("ecosystem") + "/" + r.getAs("package"), k -> new ArrayList<>())
                    .add(r);
        }
        for (Map.Entry<String, List<Row>> e : byPackage.entrySet()) {
            List<Row> rows = new ArrayList<>(e.getValue());
            rows.sort(Comparator.comparing((Row r) -> {
                Timestamp t = r.getAs("published");
                return t == null ? Long.MAX_VALUE : t.getTime();
            }).thenComparing(r -> (String) r.getAs("version")));
            Map<String, Integer> verdicts = new TreeMap<>();
            rows.forEach(r -> verdicts.merge(r.getAs("verdict"), 1, Integer::sum));
            out.println();
            out.println(e.getKey() + ": " + rows.size() + " versions " + verdicts);
            int width = Math.max(7, rows.stream().mapToInt(r -> ((String) r.getAs("version")).length()).max().orElse(7));
            String format = "%-" + width + "s  %-9s  %-12s  %-20s  %s%n";
            out.printf(format, "VERSION", "VERDICT", "COMMIT", "HOW", "EVIDENCE");
            for (Row r : rows) {
                String commit = r.getAs("commit");
                String tag = r.getAs("tag");
                String method = r.getAs("ref_method");
                String how = method.equals("TAG") ? "tag " + tag : method.toLowerCase().replace('_', ' ');
                out.printf(format, r.getAs("version"), r.getAs("verdict"), commit == null ? "-" : commit.substring(0, 12),
                        how, evidence(r));
            }
        }
        out.println();
    }

    /** EXPLAINED says how much of it is explained by name only (build output, compiled classes). */
    private static String unverified(Row r) {
        int i;
        try {
            i = r.fieldIndex("unverified_files");
        } catch (IllegalArgumentException e) {
            return ""; // a dataset written before the column existed
        }
        int n = r.isNullAt(i) ? 0 : r.getInt(i);
        return n == 0 ? "" : "; " + n + " files explained by name only (unverified without a rebuild)";
    }

    static String evidence(Row r) {
        String verdict = r.getAs("verdict");
        List<String> high = r.getList(r.fieldIndex("high_risk_files"));
        List<String> divergent = r.getList(r.fieldIndex("divergent_files"));
        List<String> rules = r.getList(r.fieldIndex("explained_rules"));
        return switch (verdict) {
            case "HIGH_RISK" -> "high risk: " + String.join(", ", high);
            case "DIVERGENT" -> "unexplained: " + String.join(", ", divergent.size() > 6 ? divergent.subList(0, 6) : divergent)
                    + (divergent.size() > 6 ? " (+" + (divergent.size() - 6) + ")" : "");
            case "EXPLAINED" -> "explained by " + String.join(", ", rules) + unverified(r);
            case "CLEAN" -> "byte-identical to the commit";
            default -> {
                String reason = r.getAs("reason");
                yield reason == null ? "" : reason;
            }
        };
    }
}
