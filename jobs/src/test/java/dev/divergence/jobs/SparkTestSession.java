package dev.divergence.jobs;

import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/** One local[2] SparkSession per test JVM, as the conventions ask: Spark tests are few and end to end. */
final class SparkTestSession {

    private SparkTestSession() {
    }

    static synchronized SparkSession get() {
        return SparkSessions.create("divergence-test", Optional.of("local[2]"));
    }
}
