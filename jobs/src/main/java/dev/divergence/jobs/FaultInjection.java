package dev.divergence.jobs;

/**
 * Kills the JVM at a named point of the write sequence when the system property
 * {@code divergence.haltBefore} names it ({@code files}, {@code artifacts}, {@code releases}, {@code signals},
 * {@code scans}). Used by the interruption tests to stop a real driver process exactly there, as a
 * {@code kill -9} would: no shutdown hooks, no cleanup.
 */
final class FaultInjection {

    private FaultInjection() {
    }

    static void maybeHalt(String point) {
        if (point.equals(System.getProperty("divergence.haltBefore"))) {
            System.err.println("divergence: halting before writing " + point + " (divergence.haltBefore)");
            Runtime.getRuntime().halt(137);
        }
    }
}
