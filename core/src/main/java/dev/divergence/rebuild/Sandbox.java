package dev.divergence.rebuild;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The only place where a scanned package's code runs: a bubblewrap ({@code bwrap}) sandbox.
 * <ul>
 *   <li>the system is read-only and only what builds need is there: {@code /usr} (with the merged-usr links
 *       {@code /bin}, {@code /lib}, ...) and a short list of {@code /etc} entries — never {@code /etc/npmrc},
 *       {@code /etc/pip.conf}, {@code /etc/shadow}, {@code /root}, {@code /home}, {@code /work}: nothing the
 *       machine's owner keeps credentials in;</li>
 *   <li>one private writable work dir, mounted at {@link #WORK}; {@code HOME} and {@code TMPDIR} are inside it
 *       (a fake, empty home: no {@code ~/.m2/settings.xml}, {@code ~/.npmrc}, cloud credentials or SSH keys);
 *       {@code /tmp} is a 256 MiB tmpfs;</li>
 *   <li>every namespace unshared: no network at all (a dependency phase reaches its one registry only through
 *       {@link RepositoryProxy}'s Unix socket, bound into the work dir), its own PID namespace, no capabilities,
 *       a new session (no terminal injection), an empty environment but for what the caller sets;</li>
 *   <li>CPU seconds and file size bounded by rlimits ({@code prlimit}), wall time and output bytes by this class;
 *       the number of processes and threads by {@link ProcessCap}: RLIMIT_NPROC set inside the sandbox when this
 *       JVM is not root, a {@code pids} cgroup per run when it is (the kernel never applies RLIMIT_NPROC to root's
 *       processes, and bwrap run by root maps the sandbox's uid to root);
 *       at the end every process of the sandbox is killed: the sandbox's PID 1 dies with {@code bwrap}
 *       ({@code --die-with-parent}), and the kernel kills a PID namespace with its PID 1.</li>
 * </ul>
 * Root in a container (this project's CI) can create these namespaces; {@link #unavailable()} says when it cannot.
 */
public final class Sandbox {

    /** Where the private work dir appears inside the sandbox. */
    public static final Path WORK = Path.of("/build");

    /** The {@code /etc} entries builds need (dynamic linker, JDK and Maven configuration, CA certificates, users). */
    static final List<String> ETC = List.of("alternatives", "java-17-openjdk", "maven", "ssl", "ca-certificates",
            "ca-certificates.conf", "passwd", "group", "nsswitch.conf", "hosts", "localtime", "timezone", "mime.types",
            "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "python3", "python3.11", "fonts", "os-release",
            "debian_version");

    /**
     * @param wall wall-clock time before every process is killed
     * @param cpuSeconds CPU seconds per process (RLIMIT_CPU)
     * @param maxOutputBytes combined stdout/stderr bytes before every process is killed
     * @param maxFileBytes largest file a process may write (RLIMIT_FSIZE)
     * @param maxProcesses processes and threads the sandbox may hold at once (a fork bomb stops there): a JVM
     *     building with Maven holds a few dozen threads, so the default leaves ample room
     */
    public record Limits(Duration wall, long cpuSeconds, long maxOutputBytes, long maxFileBytes, long maxProcesses) {
        public static final long DEFAULT_PROCESSES = 1024;

        public Limits(Duration wall, long cpuSeconds, long maxOutputBytes, long maxFileBytes) {
            this(wall, cpuSeconds, maxOutputBytes, maxFileBytes, DEFAULT_PROCESSES);
        }

        public static Limits defaults() {
            return new Limits(Duration.ofMinutes(15), 1800, 64L << 20, 1L << 30, DEFAULT_PROCESSES);
        }
    }

    /** A host path made visible inside the sandbox, read-only unless {@code writable}. */
    public record Mount(Path host, Path inside, boolean writable) {
    }

    /**
     * @param workDir the host directory mounted writable at {@link #WORK}; it must exist
     * @param mounts further mounts (a shared dependency repository, read-only in the build phase)
     * @param env the whole environment of the command besides {@code HOME}, {@code TMPDIR}, {@code PATH}
     * @param chdir the working directory inside the sandbox
     */
    public record Spec(Path workDir, List<Mount> mounts, Map<String, String> env, Path chdir, Limits limits) {
        public Spec {
            mounts = List.copyOf(mounts);
            env = Map.copyOf(env);
        }
    }

    /**
     * @param exitCode the command's exit status (-1 when killed)
     * @param killedBy why the sandbox was killed ({@code wall time ...}, {@code output ...}), empty when it ended
     * @param outputTail the last bytes of the combined output (UTF-8, malformed bytes replaced)
     */
    public record Result(int exitCode, Optional<String> killedBy, String outputTail, long outputBytes, long millis) {
        public boolean succeeded() {
            return exitCode == 0 && killedBy.isEmpty();
        }
    }

    static final int TAIL_BYTES = 8192;
    /** Size of the sandbox's in-memory {@code /tmp}. */
    static final long TMP_BYTES = 256L << 20;
    /** Inside the sandbox: the system's tools only, in this order. */
    public static final String PATH = "/usr/local/bin:/usr/bin:/bin";

    private final Path bwrap;
    private volatile ProcessCap processCap;

    public Sandbox(Path bwrap) {
        this.bwrap = bwrap;
    }

    /** How this machine bounds the sandbox's processes: found once per sandbox. */
    public ProcessCap processCap() {
        ProcessCap c = processCap;
        if (c == null) {
            c = ProcessCap.detect();
            processCap = c;
        }
        return c;
    }

    /** The limits in words, for the instructions ({@code toolchain.sandbox_limits}). */
    public String describe(Limits l) {
        return "wall " + l.wall().toSeconds() + " s, CPU " + l.cpuSeconds() + " s per process, output "
                + l.maxOutputBytes() + " bytes, file size " + l.maxFileBytes() + " bytes, "
                + processCap().describe(l.maxProcesses());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sandbox s && s.bwrap.equals(bwrap);
    }

    @Override
    public int hashCode() {
        return bwrap.hashCode();
    }

    /** The sandbox with the system's {@code bwrap}. */
    public static Sandbox system() {
        return new Sandbox(Path.of("/usr/bin/bwrap"));
    }

    /** Why no sandbox can run here (no {@code bwrap}, namespaces refused), or empty when one can. */
    public Optional<String> unavailable() {
        if (!Files.isExecutable(bwrap)) {
            return Optional.of(bwrap + " not found (Debian package bubblewrap)");
        }
        if (!Files.isExecutable(Path.of("/usr/bin/prlimit"))) {
            return Optional.of("/usr/bin/prlimit not found (Debian package util-linux)");
        }
        try {
            Path dir = Files.createTempDirectory("divergence-sandbox-probe");
            try {
                Result r = run(List.of("/bin/true"), new Spec(dir, List.of(), Map.of(), WORK,
                        new Limits(Duration.ofSeconds(30), 10, 1 << 16, 1 << 20)));
                return r.succeeded() ? Optional.empty()
                        : Optional.of("bwrap cannot create its namespaces here: " + r.outputTail().strip());
            } finally {
                deleteTree(dir);
            }
        } catch (IOException e) {
            return Optional.of("cannot probe the sandbox: " + e.getMessage());
        }
    }

    /** {@code bubblewrap 0.8.0}: recorded in the instructions' toolchain. */
    public String version() {
        return RebuildEnvironment.toolVersion(bwrap.toString(), "--version").orElse("bubblewrap (version unknown)");
    }

    /** The full command line that runs {@code command} in the sandbox. */
    public List<String> commandLine(List<String> command, Spec spec) {
        List<String> c = new ArrayList<>();
        c.add("/usr/bin/prlimit");
        // Soft limit first: SIGXCPU (exit 152) says why; the hard limit (SIGKILL) follows for a process ignoring it.
        c.add("--cpu=" + spec.limits().cpuSeconds() + ":" + (spec.limits().cpuSeconds() + 5));
        c.add("--fsize=" + spec.limits().maxFileBytes());
        c.add("--core=0");
        c.add("--");
        c.add(bwrap.toString());
        c.addAll(List.of("--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
                "--hostname", "sandbox", "--uid", "65534", "--gid", "65534", "--clearenv"));
        c.addAll(List.of("--ro-bind", "/usr", "/usr"));
        for (String top : List.of("bin", "sbin", "lib", "lib32", "lib64", "libx32")) {
            Path p = Path.of("/", top);
            if (Files.isSymbolicLink(p)) {
                try {
                    c.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), p.toString()));
                } catch (IOException e) {
                    // an unreadable link is left out: the sandbox then has no such directory
                }
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                c.addAll(List.of("--ro-bind", p.toString(), p.toString()));
            }
        }
        for (String e : ETC) {
            Path p = Path.of("/etc", e);
            if (Files.exists(p)) {
                c.addAll(List.of("--ro-bind", p.toString(), p.toString()));
            }
        }
        // /tmp lives in memory: bounded (TMPDIR points into the work dir, where big files belong).
        c.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--size", String.valueOf(TMP_BYTES), "--tmpfs", "/tmp"));
        c.addAll(List.of("--bind", spec.workDir().toAbsolutePath().toString(), WORK.toString()));
        for (Mount m : spec.mounts()) {
            c.addAll(List.of(m.writable() ? "--bind" : "--ro-bind", m.host().toAbsolutePath().toString(),
                    m.inside().toString()));
        }
        Map<String, String> env = new TreeMap<>(spec.env());
        env.put("HOME", WORK.resolve(".home").toString());
        env.put("TMPDIR", WORK.resolve(".tmp").toString());
        env.putIfAbsent("PATH", PATH);
        env.put("LANG", env.getOrDefault("LANG", "C.UTF-8"));
        env.forEach((k, v) -> c.addAll(List.of("--setenv", k, v)));
        c.addAll(List.of("--chdir", spec.chdir().toString(), "--"));
        if (processCap() instanceof ProcessCap.Rlimit) {
            // Set inside: the count is per user namespace and uid, so only the sandbox's own processes count.
            c.addAll(List.of("/usr/bin/prlimit", "--nproc=" + spec.limits().maxProcesses(), "--"));
        }
        c.addAll(command);
        return c;
    }

    /** Runs {@code command} in the sandbox; never throws for what the command does. */
    public Result run(List<String> command, Spec spec) throws IOException {
        Files.createDirectories(spec.workDir().resolve(".home"));
        Files.createDirectories(spec.workDir().resolve(".tmp"));
        Optional<Path> cgroup = processCap() instanceof ProcessCap.Cgroup g
                ? Optional.of(g.create(spec.limits().maxProcesses())) : Optional.empty();
        List<String> line = new ArrayList<>();
        if (cgroup.isPresent()) {
            // The shell joins the cgroup before it becomes the sandbox: everything the build starts is counted there.
            line.addAll(List.of("/bin/sh", "-c", "echo $$ > \"$0\" && exec \"$@\"",
                    cgroup.get().resolve("cgroup.procs").toString()));
        }
        line.addAll(commandLine(command, spec));
        ProcessBuilder pb = new ProcessBuilder(line).redirectErrorStream(true);
        pb.environment().clear(); // bwrap --clearenv does the same inside; nothing of ours reaches even bwrap
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        long start = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            cgroup.ifPresent(ProcessCap.Cgroup::remove);
            throw e;
        }
        Output out = new Output(p.getInputStream(), spec.limits().maxOutputBytes(), p);
        Thread reader = new Thread(out, "sandbox-output");
        reader.setDaemon(true);
        reader.start();
        Optional<String> killed = Optional.empty();
        try {
            if (!p.waitFor(spec.limits().wall().toMillis(), TimeUnit.MILLISECONDS)) {
                killed = Optional.of("wall time " + spec.limits().wall().toSeconds() + " s exceeded");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killed = Optional.of("interrupted");
        } finally {
            if (killed.isEmpty() && !p.isAlive()) {
                // Exited by itself: only what it left behind goes now. Process.destroy would also close our end of
                // the pipe, dropping output the reader has not taken yet (a lost last line on a loaded machine).
                p.descendants().forEach(ProcessHandle::destroyForcibly);
            } else {
                killAll(p);
            }
            cgroup.ifPresent(ProcessCap.Cgroup::remove);
        }
        try {
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        killAll(p);
        if (out.overflowed) {
            killed = Optional.of("output exceeded " + spec.limits().maxOutputBytes() + " bytes");
        }
        int exit = killed.isPresent() ? -1 : p.exitValue();
        if (killed.isEmpty() && exit == 128 + 24) {
            killed = Optional.of("CPU limit of " + spec.limits().cpuSeconds() + " s exceeded (SIGXCPU)");
        }
        return new Result(exit, killed, out.tail(), out.total, (System.nanoTime() - start) / 1_000_000);
    }

    /** bwrap and anything it started: its PID 1 dies with it, and with that PID 1 the whole namespace. */
    private static void killAll(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
    }

    /** Keeps the last {@link #TAIL_BYTES} bytes and kills the process once the total passes the limit. */
    private static final class Output implements Runnable {
        private final InputStream in;
        private final long max;
        private final Process process;
        private final byte[] ring = new byte[TAIL_BYTES];
        private long total;
        private volatile boolean overflowed;

        Output(InputStream in, long max, Process process) {
            this.in = in;
            this.max = max;
            this.process = process;
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (this) { // tail() may run while this thread still reads (a join that timed out)
                        for (int i = 0; i < n; i++) {
                            ring[(int) ((total + i) % TAIL_BYTES)] = buf[i];
                        }
                        total += n;
                    }
                    if (total > max && !overflowed) {
                        overflowed = true;
                        killAll(process);
                    }
                }
            } catch (IOException e) {
                // the process is gone: what was read stands
            }
        }

        synchronized String tail() {
            int len = (int) Math.min(total, TAIL_BYTES);
            byte[] out = new byte[len];
            long from = total - len;
            for (int i = 0; i < len; i++) {
                out[i] = ring[(int) ((from + i) % TAIL_BYTES)];
            }
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(walk.toList());
            java.util.Collections.reverse(all);
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The environment variables recorded for a run besides those the caller gave. */
    public static Map<String, String> fixedEnv() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("HOME", WORK.resolve(".home").toString());
        m.put("TMPDIR", WORK.resolve(".tmp").toString());
        m.put("PATH", PATH);
        m.put("LANG", "C.UTF-8");
        return m;
    }
}
