package dev.divergence.jobs;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code divergence sql "QUERY" [--out DIR] [--rows N]}: runs Spark SQL over the dataset with the tables
 * registered as views {@code releases}, {@code artifacts} and {@code files}.
 */
final class SqlCommand {

    static final String USAGE = "Usage: divergence sql \"SELECT ...\" [--out DIR (default ./divergence-data)] [--rows N]\n"
            + "  views: releases, artifacts, files, signals, scans (see datasets/SCHEMA.md)\n";

    private SqlCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        String query = null;
        Path dataset = Path.of("divergence-data");
        int rows = 100;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if ((a.equals("--out") || a.equals("--rows")) && i + 1 >= args.size()) {
                err.print(a + " needs a value\n" + USAGE);
                return Main.USAGE;
            }
            switch (a) {
                case "--out" -> dataset = Path.of(args.get(++i));
                case "--rows" -> rows = Integer.parseInt(args.get(++i));
                case "--help", "-h" -> {
                    out.print(USAGE);
                    return Main.OK;
                }
                default -> query = a;
            }
        }
        if (query == null) {
            err.print(USAGE);
            return Main.USAGE;
        }
        SparkSession spark = SparkSessions.create("divergence-sql", Optional.empty());
        try {
            for (String table : List.of(Tables.RELEASES, Tables.ARTIFACTS, Tables.FILES, Tables.SIGNALS, Tables.SCANS)) {
                Path p = dataset.resolve(table);
                if (Files.isDirectory(p)) {
                    spark.read().parquet(p.toAbsolutePath().toString()).createOrReplaceTempView(table);
                }
            }
            Dataset<Row> result;
            try {
                result = spark.sql(query);
            } catch (RuntimeException e) { // AnalysisException, ParseException: the query is wrong, not the run
                err.println("divergence sql: " + e.getMessage().lines().findFirst().orElse(""));
                return Main.USAGE;
            }
            out.println(String.join(" | ", result.columns()));
            for (Row r : result.limit(rows).collectAsList()) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < r.length(); i++) {
                    Object v = r.get(i);
                    line.append(i == 0 ? "" : " | ").append(v instanceof scala.collection.Seq<?> seq
                            ? seq.mkString("[", ", ", "]") : String.valueOf(v));
                }
                out.println(line);
            }
            return Main.OK;
        } finally {
            spark.stop();
        }
    }
}
