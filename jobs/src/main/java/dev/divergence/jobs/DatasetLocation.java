package dev.divergence.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.SparkSession;

/**
 * Where the dataset lives: a local folder or any Hadoop filesystem URI ({@code hdfs://}, {@code s3a://}, ...),
 * resolved and inspected through Hadoop's FileSystem so the job runs unchanged on a cluster.
 */
record DatasetLocation(String base) {

    static DatasetLocation of(String location) {
        return new DatasetLocation(location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") ? location.replaceFirst("/+$", "")
                : Path.of(location).toAbsolutePath().normalize().toString());
    }

    String table(String table) {
        return base + "/" + table;
    }

    /** Whether the table holds at least one Parquet file. */
    boolean hasData(SparkSession spark, String table) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(table(table));
        try {
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(p)) {
                return false;
            }
            RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> files = fs.listFiles(p, true);
            while (files.hasNext()) {
                if (files.next().getPath().getName().endsWith(".parquet")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dataset at " + p, e);
        }
    }

    @Override
    public String toString() {
        return base;
    }
}
