package dev.divergence.jobs;

import dev.divergence.model.Ecosystem;
import dev.divergence.source.VersionOrder;
import java.io.PrintStream;
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
            rows.sort(releaseOrder(rows));
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

    /**
     * Release order: the rows' {@code version_order} (the package's versions in its ecosystem's order), or the same
     * order computed from the version texts for rows written before the column existed.
     */
    static Comparator<Row> releaseOrder(List<Row> rows) {
        boolean ranked = !rows.isEmpty() && rows.stream().allMatch(r -> has(r, "version_order")
                && !r.isNullAt(r.fieldIndex("version_order")) && r.getInt(r.fieldIndex("version_order")) > 0);
        if (ranked) {
            return Comparator.comparingInt((Row r) -> r.getInt(r.fieldIndex("version_order")));
        }
        Comparator<String> order = rows.isEmpty() ? VersionOrder.any()
                : VersionOrder.over(Ecosystem.fromPurlType(rows.get(0).getAs("ecosystem")),
                        rows.stream().map(r -> (String) r.getAs("version")).toList());
        return Comparator.comparing((Row r) -> (String) r.getAs("version"), order);
    }

    private static boolean has(Row r, String column) {
        try {
            r.fieldIndex(column);
            return true;
        } catch (IllegalArgumentException e) {
            return false; // a dataset written before the column existed
        }
    }

    private static boolean flag(Row r, String column) {
        return has(r, column) && !r.isNullAt(r.fieldIndex(column)) && r.getBoolean(r.fieldIndex(column));
    }

    /**
     * What qualifies a divergence without changing it: only documentation differs, or the repository holds no
     * commit as recent as the release (its commit is probably missing from the copy).
     */
    private static String qualifiers(Row r) {
        StringBuilder sb = new StringBuilder();
        if (flag(r, "doc_only_divergence")) {
            sb.append(" [documentation only]");
        }
        if (flag(r, "repository_older")) {
            sb.append(" [repository older than the release]");
        }
        if (has(r, "baseline_branch") && !r.isNullAt(r.fieldIndex("baseline_branch"))) {
            sb.append(" [compared with a commit only branch ").append(r.getString(r.fieldIndex("baseline_branch")))
                    .append(" holds]");
        }
        return sb.toString();
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
        if (has(r, "mode") && "rebuild".equals(r.getAs("mode"))) {
            // Rebuild mode alone: the verdict is the rebuilds', its reason says what they showed.
            String reason = r.getAs("reason");
            return "rebuild: " + r.getAs("rebuild_verdict") + (reason == null ? "" : "; " + reason);
        }
        return fetchEvidence(r) + rebuilt(r);
    }

    /** Rebuild mode's verdict for the version, when it was rebuilt. */
    private static String rebuilt(Row r) {
        if (!has(r, "rebuild_verdict") || r.isNullAt(r.fieldIndex("rebuild_verdict"))) {
            return "";
        }
        return "; rebuild: " + r.getAs("rebuild_verdict");
    }

    private static String fetchEvidence(Row r) {
        String verdict = r.getAs("verdict");
        List<String> high = r.getList(r.fieldIndex("high_risk_files"));
        List<String> divergent = r.getList(r.fieldIndex("divergent_files"));
        List<String> rules = r.getList(r.fieldIndex("explained_rules"));
        return switch (verdict) {
            case "HIGH_RISK" -> "high risk: " + String.join(", ", high) + qualifiers(r);
            case "DIVERGENT" -> "unexplained: " + String.join(", ", divergent.size() > 6 ? divergent.subList(0, 6) : divergent)
                    + (divergent.size() > 6 ? " (+" + (divergent.size() - 6) + ")" : "") + qualifiers(r);
            case "EXPLAINED" -> "explained by " + String.join(", ", rules) + unverified(r);
            case "CLEAN" -> "byte-identical to the commit";
            default -> {
                String reason = r.getAs("reason");
                yield reason == null ? "" : reason;
            }
        };
    }
}
