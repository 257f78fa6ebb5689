package dev.divergence.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;

/**
 * Stops a run at a named point of its write sequence, for the interruption tests. Points: {@code files},
 * {@code artifacts}, {@code releases} (before each is staged; the ledger is committed with releases),
 * {@code signals}, {@code scans} (before each is moved in, after the commit), and {@code scan} (inside the files
 * write, once {@code divergence.pauseAfterVersions} versions were scanned in this JVM: truncated Parquet is open).
 * <ul>
 *   <li>{@code -Ddivergence.haltBefore=POINT} kills the JVM there, as a {@code kill -9} would: no shutdown hooks,
 *       no cleanup;</li>
 *   <li>{@code -Ddivergence.failBefore=POINT} throws there (an in-process test's stand-in for a kill: nothing is
 *       cleaned up either);</li>
 *   <li>{@code -Ddivergence.pauseAt=POINT} creates the file {@code divergence.pauseMarker} names and waits there
 *       until the task is cancelled or the process is signalled or killed.</li>
 * </ul>
 */
final class FaultInjection {

    static final String SCAN = "scan";
    private static final AtomicInteger scanned = new AtomicInteger();

    private FaultInjection() {
    }

    static void maybeHalt(String point) {
        if (point.equals(System.getProperty("divergence.haltBefore"))) {
            System.err.println("divergence: halting before writing " + point + " (divergence.haltBefore)");
            Runtime.getRuntime().halt(137);
        }
        if (point.equals(System.getProperty("divergence.failBefore"))) {
            throw new IllegalStateException("fault injected before " + point + " (divergence.failBefore)");
        }
        maybePause(point);
    }

    /** Called after each version scanned inside the files write. */
    static void versionScanned() {
        int after = Integer.getInteger("divergence.pauseAfterVersions", 1);
        if (scanned.incrementAndGet() == after) {
            maybePause(SCAN);
        }
    }

    private static void maybePause(String point) {
        if (!point.equals(System.getProperty("divergence.pauseAt"))) {
            return;
        }
        try {
            Files.writeString(Path.of(System.getProperty("divergence.pauseMarker")), point);
            TaskContext task = TaskContext.get();
            while (!(task != null && task.isInterrupted()) && !Interruption.requested()) {
                Thread.sleep(50);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
