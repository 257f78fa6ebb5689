package dev.divergence.jobs;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads the dataset back with DuckDB, an independent Parquet reader, as rows of '|'-joined text. */
final class DatasetQueries {

    private DatasetQueries() {
    }

    static List<String> query(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    sb.append(i == 1 ? "" : "|").append(rs.getString(i));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    /** A partitioned table as a DuckDB relation; partition values stay text ("123" is a name). */
    static String table(Path out, String t) {
        return "read_parquet('" + out.resolve(t) + "/**/*.parquet', hive_partitioning=true, hive_types_autocast=false)";
    }

    /**
     * Every row of releases, artifacts, files and signals, without the columns that differ between runs by nature
     * (times, run ids).
     */
    static List<String> contents(Path out) throws SQLException {
        List<String> rows = new ArrayList<>();
        rows.addAll(query("select * exclude (scanned_at, scan_millis) from " + table(out, "releases") + " order by all"));
        rows.addAll(query("select * from " + table(out, "artifacts") + " order by all"));
        rows.addAll(query("select * from " + table(out, "files") + " order by all"));
        rows.addAll(query("select 'signal', * exclude (run_id, detected_at) from " + table(out, "signals")
                + " order by all"));
        return rows;
    }
}
