package dev.divergence.jobs;

import java.util.Optional;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The session the jobs run in: local[*] unless a master is given or set by spark-submit. */
public final class SparkSessions {

    /** Sessions asked for in this JVM: lets tests tell that a command failed before Spark started. */
    private static final java.util.concurrent.atomic.AtomicInteger CREATED = new java.util.concurrent.atomic.AtomicInteger();

    private SparkSessions() {
    }

    static int created() {
        return CREATED.get();
    }

    public static SparkSession create(String appName, Optional<String> master) {
        CREATED.incrementAndGet();
        SparkConf conf = new SparkConf(true).setAppName(appName);
        String m = master.orElse(conf.get("spark.master", "local[*]"));
        conf.setMaster(m);
        if (m.startsWith("local")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        // A rerun replaces only the partitions (ecosystem, package) it writes: no duplicates, others untouched.
        conf.set("spark.sql.sources.partitionOverwriteMode", "dynamic");
        // Package names such as "123" must stay strings when the dataset is read back.
        conf.setIfMissing("spark.sql.sources.partitionColumnTypeInference.enabled", "false");
        conf.setIfMissing("spark.sql.shuffle.partitions", "8");
        // A task's rows belong to few (ecosystem, package) partitions: keep a writer open per partition instead of
        // sorting every row by its partition first (the sort cost as much as encoding the Parquet). Beyond 16
        // partitions in one task Spark falls back to sorting the rest.
        conf.setIfMissing("spark.sql.optimizer.plannedWrite.enabled", "false");
        conf.setIfMissing("spark.sql.maxConcurrentOutputFileWriters", "16");
        conf.setIfMissing("spark.sql.session.timeZone", "UTC");
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
