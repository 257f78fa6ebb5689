package dev.divergence.jobs;

import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.util.LongAccumulator;

/**
 * Progress of a scan on stderr: versions done / total, the version being scanned, the time left. On a terminal one
 * line is rewritten every second; when asked for with {@code --progress} on a pipe or a log, a line every ten
 * seconds. Versions are counted where they are scanned: in local mode that is this JVM, so the count moves version by
 * version; on a cluster the driver learns it from an accumulator as executors finish their tasks.
 */
final class ScanProgress {

    /** Set by the launcher script ({@code [ -t 2 ]}): Java 17 cannot tell whether stderr alone is a terminal. */
    static final String TERMINAL_PROPERTY = "divergence.stderr.terminal";

    private static final AtomicInteger done = new AtomicInteger();
    private static volatile int total;
    private static volatile String current = "";
    private static volatile long startNanos;
    private static volatile LongAccumulator remoteDone;
    private static volatile PrintStream err;
    private static volatile boolean enabled;
    private static volatile boolean terminal;
    private static Thread ticker;

    private ScanProgress() {
    }

    /** {@code --progress}/{@code --no-progress}, else on when stderr is a terminal. */
    static boolean wanted(Optional<Boolean> option) {
        return option.orElseGet(() -> Boolean.getBoolean(TERMINAL_PROPERTY));
    }

    /** The command's choice, before the run: whether to print and where. */
    static synchronized void enable(PrintStream stream, boolean on) {
        err = stream;
        enabled = on;
        terminal = Boolean.getBoolean(TERMINAL_PROPERTY);
    }

    /** The run is planned: {@code versions} to scan, counted on executors by {@code remote} too. */
    static synchronized void begin(int versions, LongAccumulator remote) {
        done.set(0);
        total = versions;
        current = "";
        remoteDone = remote;
        startNanos = System.nanoTime();
        if (!enabled || versions == 0 || ticker != null) {
            return;
        }
        long period = terminal ? 1_000 : 10_000;
        ticker = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(period);
                    print(false);
                }
            } catch (InterruptedException e) {
                // the run ended
            }
        }, "divergence-progress");
        ticker.setDaemon(true);
        ticker.start();
    }

    /** Executor side: a version starts. */
    static void scanning(String version) {
        current = version;
    }

    /** Executor side: a version is done. */
    static void scanned() {
        done.incrementAndGet();
    }

    /** The run ended (or was stopped): the last line, and no more. */
    static synchronized void disable() {
        if (ticker != null) {
            ticker.interrupt();
            ticker = null;
            print(true);
        }
        enabled = false;
    }

    private static synchronized void print(boolean last) {
        PrintStream out = err;
        if (out == null) {
            return;
        }
        LongAccumulator remote = remoteDone;
        int n = (int) Math.max(done.get(), remote == null ? 0 : remote.value());
        // every version scanned, the run still writes its tables: say so rather than sit at 13/13
        String line = line(n, total, last ? "" : n >= total ? "writing the tables" : current,
                System.nanoTime() - startNanos);
        if (terminal) {
            out.print("\r\033[K" + line + (last ? "\n" : ""));
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** {@code divergence: 5/13 versions, pkg:pypi/x@1.0 (3 s elapsed, about 5 s left)}. */
    static String line(int done, int total, String current, long elapsedNanos) {
        long elapsed = elapsedNanos / 1_000_000_000L;
        StringBuilder sb = new StringBuilder("divergence: ").append(done).append('/').append(total).append(" versions");
        if (!current.isEmpty()) {
            sb.append(", ").append(current);
        }
        sb.append(" (").append(duration(elapsed)).append(" elapsed");
        if (done > 0 && done < total) {
            sb.append(", about ").append(duration(elapsed * (total - done) / done)).append(" left");
        }
        return sb.append(')').toString();
    }

    static String duration(long seconds) {
        return seconds < 60 ? seconds + " s" : seconds < 3600 ? String.format("%d:%02d min", seconds / 60, seconds % 60)
                : String.format("%d:%02d h", seconds / 3600, seconds / 60 % 60);
    }
}
