package dev.divergence.jobs;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.SparkSession;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM during a scan: the run stops at the next step, its Spark jobs are cancelled, and the
 * user reads one line — interrupted, which tables were complete — instead of Spark's stack traces; the exit status
 * is 128 + the signal number (130, 143), as a shell reports it. What the run left is completed by the next run
 * ({@link Staging#recover}). A second signal exits at once.
 */
final class Interruption {

    /** Thrown at the run's next step once a signal arrived. */
    static final class Interrupted extends RuntimeException {
        Interrupted() {
            super("interrupted", null, false, false);
        }
    }

    /** How long the signal handler waits for the run to stop before exiting anyway (a long version scan). */
    private static final long SETTLE_SECONDS = 30;

    private static final AtomicBoolean requested = new AtomicBoolean();
    private static final AtomicBoolean reported = new AtomicBoolean();
    private static final List<String> complete = new ArrayList<>();
    private static final List<String> planned = new ArrayList<>();
    private static volatile String signal = "";
    private static volatile int status = 0;
    private static volatile CountDownLatch settled = new CountDownLatch(1);
    private static volatile SparkSession session;
    private static volatile PrintStream err = System.err;
    private static boolean installed;

    private Interruption() {
    }

    /** Installs the SIGINT/SIGTERM handlers for a command that runs {@code spark} and reports on {@code err}. */
    static synchronized void install(SparkSession spark, PrintStream errors) {
        session = spark;
        err = errors;
        settled = new CountDownLatch(1);
        if (installed) {
            return;
        }
        installed = true;
        for (String name : List.of("INT", "TERM")) {
            try {
                SignalHandler[] previous = new SignalHandler[1];
                previous[0] = Signal.handle(new Signal(name), s -> onSignal(s, previous[0]));
            } catch (IllegalArgumentException e) {
                // The JVM runs with -Xrs or the platform has no such signal: the default behaviour stays.
            }
        }
    }

    private static void onSignal(Signal s, SignalHandler previous) {
        if (requested.compareAndSet(false, true)) {
            signal = "SIG" + s.getName();
            status = 128 + s.getNumber();
            // Cancelled tasks and a stopping context log errors with stack traces: the one line below says it all.
            Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.OFF);
            SparkSession spark = session;
            if (spark != null) {
                try {
                    spark.sparkContext().cancelAllJobs();
                } catch (RuntimeException e) {
                    // already stopped: nothing runs
                }
            }
            try {
                settled.await(SETTLE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            report();
        }
        if (previous != null && previous != SignalHandler.SIG_DFL && previous != SignalHandler.SIG_IGN) {
            previous.handle(s); // the JVM's own handler: shutdown hooks (Spark stops), exit 128 + signal number
        } else {
            Runtime.getRuntime().exit(128 + s.getNumber());
        }
    }

    static boolean requested() {
        return requested.get();
    }

    /** The exit status for the signal received (130 for SIGINT, 143 for SIGTERM). */
    static int status() {
        return status;
    }

    /** A new run: no table written yet, none planned. */
    static synchronized void begin() {
        complete.clear();
        planned.clear();
    }

    /** The tables this run will write, in order (known once the run is planned). */
    static synchronized void plan(List<String> tables) {
        planned.clear();
        planned.addAll(tables);
    }

    /** {@code table} is complete in the dataset. */
    static synchronized void wrote(String table) {
        if (!complete.contains(table)) {
            complete.add(table);
        }
    }

    /** Stops the run here if a signal arrived. */
    static void check() {
        if (requested.get()) {
            throw new Interrupted();
        }
    }

    /** The run has stopped (normally or not): the signal handler may report and exit. */
    static void settle() {
        settled.countDown();
    }

    /** The line the user reads: which of the run's tables were complete when it stopped. */
    static synchronized String line(String signal) {
        if (planned.isEmpty() && complete.isEmpty()) {
            return "divergence: interrupted by " + signal + " before writing anything";
        }
        List<String> missing = new ArrayList<>(planned);
        missing.removeAll(complete);
        return "divergence: interrupted by " + signal + "; complete: "
                + (complete.isEmpty() ? "no table" : String.join(", ", complete))
                + (missing.isEmpty() ? "" : "; not written: " + String.join(", ", missing)
                + " (the next run completes them)");
    }

    /** Prints the one line, once, from whichever thread gets there first. */
    static void report() {
        if (!reported.compareAndSet(false, true)) {
            return;
        }
        err.println(line(signal));
        err.flush();
    }
}
