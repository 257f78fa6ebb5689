package dev.divergence.jobs;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code divergence sql "QUERY" [--out DIR|URI] [--rows N] [--format table|csv|json]}: runs Spark SQL over the
 * dataset with the tables registered as views ({@code releases}, {@code artifacts}, {@code files}, {@code signals},
 * {@code scans}). {@code --out} takes what {@code scan --out} takes: a folder or a Hadoop filesystem URI.
 */
final class SqlCommand {

    enum Format {
        TABLE, CSV, JSON
    }

    private SqlCommand() {
    }

    static int run(String query, String location, int rows, Format format, PrintStream out, PrintStream err)
            throws ScanOptions.UsageException {
        Preflight.readableDataset("--out", location);
        DatasetLocation dataset = DatasetLocation.of(location);
        SparkSession spark = SparkSessions.create("divergence-sql", Optional.empty());
        try {
            for (String table : List.of(Tables.RELEASES, Tables.ARTIFACTS, Tables.FILES, Tables.SIGNALS, Tables.SCANS)) {
                if (dataset.hasData(spark, table)) {
                    spark.read().parquet(dataset.table(table)).createOrReplaceTempView(table);
                }
            }
            Dataset<Row> result;
            try {
                result = spark.sql(query);
            } catch (Exception e) { // AnalysisException (checked, thrown undeclared), ParseException: the query is wrong
                err.println("divergence sql: " + Optional.ofNullable(e.getMessage()).orElse(e.toString()).lines()
                        .findFirst().orElse(""));
                return Main.USAGE;
            }
            List<Row> collected = (rows == 0 ? result : result.limit(rows + 1)).collectAsList();
            boolean cut = rows > 0 && collected.size() > rows;
            List<List<Object>> values = new ArrayList<>();
            for (Row r : cut ? collected.subList(0, rows) : collected) {
                List<Object> line = new ArrayList<>();
                for (int i = 0; i < r.length(); i++) {
                    line.add(Tabular.plain(r.get(i)));
                }
                values.add(line);
            }
            List<String> header = Arrays.asList(result.columns());
            switch (format) {
                case TABLE -> Tabular.table(header, values, out);
                case CSV -> Tabular.csv(header, values, out);
                case JSON -> Tabular.json(header, values, out);
            }
            out.flush();
            if (cut) {
                err.println("divergence sql: first " + rows + " rows shown; --rows N for more, --rows 0 for all");
            }
            return Main.OK;
        } finally {
            spark.stop();
        }
    }
}
