package dev.divergence.rebuild;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * How the sandbox bounds its number of processes (and threads: the kernel counts tasks), so that a build starting
 * processes without end fails inside the sandbox instead of exhausting the machine.
 * <ul>
 *   <li>{@link Rlimit}: this JVM is not root. {@code prlimit --nproc} runs inside the sandbox; the kernel counts
 *       RLIMIT_NPROC per user namespace and uid, so only the sandbox's own processes count.</li>
 *   <li>{@link Cgroup}: this JVM is root. The kernel never applies RLIMIT_NPROC to root's processes, and bwrap run
 *       by root maps the sandbox's uid to root, so a {@code pids} cgroup (v1 {@code /sys/fs/cgroup/pids} or a v2
 *       hierarchy with the pids controller) is made for each run, with {@code pids.max} set.</li>
 *   <li>{@link None}: root without a writable pids cgroup; the reason is recorded with the instructions.</li>
 * </ul>
 */
public sealed interface ProcessCap permits ProcessCap.Rlimit, ProcessCap.Cgroup, ProcessCap.None {

    /** The cap in words, for the instructions. */
    String describe(long maxProcesses);

    record Rlimit() implements ProcessCap {
        @Override
        public String describe(long maxProcesses) {
            return "processes " + maxProcesses + " (RLIMIT_NPROC inside the sandbox's user namespace)";
        }
    }

    /** @param parent the cgroup folder each run's own cgroup is made in */
    record Cgroup(Path parent) implements ProcessCap {
        @Override
        public String describe(long maxProcesses) {
            return "processes " + maxProcesses + " (pids cgroup under " + parent + ")";
        }

        /** A fresh cgroup holding at most {@code maxProcesses} tasks. */
        public Path create(long maxProcesses) throws IOException {
            Path dir = parent.resolve("divergence-sandbox-" + UUID.randomUUID());
            Files.createDirectory(dir);
            try {
                Files.writeString(dir.resolve("pids.max"), Long.toString(maxProcesses));
            } catch (IOException e) {
                remove(dir);
                throw e;
            }
            return dir;
        }

        /**
         * Kills what is left in the run's cgroup (the sandbox's PID 1 died with bwrap, so normally nothing), then
         * removes it; a cgroup that cannot be removed costs a folder, not safety.
         */
        public static void remove(Path dir) {
            for (int attempt = 0; attempt < 50; attempt++) {
                List<Long> pids = members(dir);
                if (pids.isEmpty()) {
                    try {
                        Files.deleteIfExists(dir);
                        return;
                    } catch (IOException e) {
                        // a task is still leaving: try again
                    }
                }
                pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private static List<Long> members(Path dir) {
            try {
                return Files.readAllLines(dir.resolve("cgroup.procs"), StandardCharsets.US_ASCII).stream()
                        .map(String::strip).filter(l -> !l.isEmpty()).map(Long::parseLong).toList();
            } catch (IOException | NumberFormatException e) {
                return List.of();
            }
        }
    }

    record None(String why) implements ProcessCap {
        @Override
        public String describe(long maxProcesses) {
            return "processes not capped (" + why + ")";
        }
    }

    /** The pids cgroup roots tried, v1 first. */
    List<Path> CGROUP_ROOTS = List.of(Path.of("/sys/fs/cgroup/pids"), Path.of("/sys/fs/cgroup"),
            Path.of("/sys/fs/cgroup/unified"));

    /** What works for this JVM on this machine. */
    static ProcessCap detect() {
        if (!isRoot()) {
            return new Rlimit();
        }
        for (Path root : CGROUP_ROOTS) {
            if (!Files.isWritable(root.resolve("cgroup.procs"))) {
                continue;
            }
            Path probe = root.resolve("divergence-probe-" + UUID.randomUUID());
            try {
                Files.createDirectory(probe);
                boolean pids = Files.exists(probe.resolve("pids.max"));
                Cgroup.remove(probe);
                if (pids) {
                    return new Cgroup(root);
                }
            } catch (IOException | RuntimeException e) {
                Cgroup.remove(probe);
            }
        }
        return new None("root, and no writable pids cgroup under /sys/fs/cgroup");
    }

    private static boolean isRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | RuntimeException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
