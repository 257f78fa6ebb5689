package dev.divergence.jobs;

import dev.divergence.scan.History;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * A run's signals as a reader takes them in: counts per kind on one line, then the signals that bear on what runs
 * on a user's machine — a new execution-relevant file, a regression, an artifact replaced or a tag moved under a
 * published version — listed (at most {@link #LISTED} per kind); the rest are in the {@code signals} table.
 */
final class SignalSummary {

    /** Kinds listed one per line: each can mean different code runs for the same version. */
    static final Set<History.SignalKind> EXECUTION_RELEVANT = EnumSet.of(History.SignalKind.NEW_FILE,
            History.SignalKind.REGRESSION, History.SignalKind.ARTIFACT_REPLACED, History.SignalKind.TAG_MOVED);
    static final int LISTED = 10;

    private SignalSummary() {
    }

    static void print(List<Row> signals, String runId, PrintStream out) {
        if (signals.isEmpty()) {
            out.println("signals: none");
            return;
        }
        // columns of Tables.SIGNALS_SCHEMA: ecosystem, package, version, signal, detail, ...
        Map<String, Integer> counts = new TreeMap<>();
        Map<String, List<Row>> listed = new TreeMap<>(); // by kind, each in the run's order
        for (Row s : signals) {
            String kind = s.getString(3);
            counts.merge(kind, 1, Integer::sum);
            if (isExecutionRelevant(kind)) {
                listed.computeIfAbsent(kind, k -> new ArrayList<>()).add(s);
            }
        }
        StringBuilder line = new StringBuilder("signals: " + signals.size() + " (");
        counts.forEach((k, n) -> line.append(line.charAt(line.length() - 1) == '(' ? "" : ", ").append(k).append(' ')
                .append(n));
        out.println(line.append(')'));
        for (Map.Entry<String, List<Row>> e : listed.entrySet()) {
            List<Row> rows = e.getValue();
            for (Row s : rows.subList(0, Math.min(LISTED, rows.size()))) {
                out.printf("  %-17s pkg:%s/%s%s: %s%n", s.getString(3), s.getString(0), s.getString(1),
                        s.getString(2).isEmpty() ? "" : "@" + s.getString(2), s.getString(4));
            }
            if (rows.size() > LISTED) {
                out.printf("  %-17s ... %d more: divergence sql \"select * from signals where run_id = '%s' and "
                        + "signal = '%s'\"%n", e.getKey(), rows.size() - LISTED, runId, e.getKey());
            }
        }
    }

    private static boolean isExecutionRelevant(String kind) {
        return EXECUTION_RELEVANT.stream().anyMatch(k -> k.name().equals(kind));
    }
}
