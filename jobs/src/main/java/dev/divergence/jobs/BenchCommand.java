package dev.divergence.jobs;

import dev.divergence.demo.StaticRegistryServer;
import dev.divergence.demo.SyntheticHistory;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.spark.sql.SparkSession;

/**
 * {@code divergence bench}: a synthetic history at scale, then, in the same invocation and over the same
 * artifacts, the hashing floor (in-process and {@code gzip -dc | sha256sum}), a naive extract-and-compare
 * script, divergence's scan from a warm cache, the nightly rerun with nothing new, and diffoscope on a sample
 * when it is installed. Prints ratios, versions/s, MB/s per CPU-second, the per-stage breakdown and peak heap.
 */
final class BenchCommand {

    private BenchCommand() {
    }

    record Measure(double wallSeconds, double cpuSeconds) {
    }

    /** Baselines {@code --skip} may leave out. */
    enum Baseline {
        SHELL, NAIVE, DIFFOSCOPE
    }

    /** What {@code divergence bench} was asked to measure. */
    record Settings(List<Integer> sizes, int files, int fileBytes, int sample, Path work, List<Baseline> skipped,
                    int repeat) {
    }

    static int run(Settings settings, PrintStream out, PrintStream err) throws Exception {
        if (settings.sizes().stream().anyMatch(n -> n < 1) || settings.files() < 1 || settings.fileBytes() < 1
                || settings.repeat() < 1) {
            throw new ScanOptions.UsageException("--versions, --files, --file-bytes and --repeat must be positive");
        }
        List<Integer> sizes = settings.sizes();
        int files = settings.files();
        int fileBytes = settings.fileBytes();
        int sample = settings.sample();
        Path work = settings.work();
        int repeat = settings.repeat();
        java.util.Set<String> skip = new java.util.HashSet<>();
        settings.skipped().forEach(b -> skip.add(b.name().toLowerCase(java.util.Locale.ROOT)));
        SparkSession spark = SparkSessions.create("divergence-bench", Optional.empty());
        try {
            for (int n : sizes) {
                bench(spark, work.resolve("n" + n), n, files, fileBytes, sample, skip, repeat, out);
            }
        } finally {
            spark.stop();
        }
        return Main.OK;
    }

    private static void bench(SparkSession spark, Path dir, int n, int files, int fileBytes, int sample,
                              java.util.Set<String> skip, int repeat, PrintStream out)
            throws Exception {
        deleteTree(dir);
        long g0 = System.nanoTime();
        SyntheticHistory.Built h = SyntheticHistory.generate(dir, n, files, fileBytes, 42);
        double genSeconds = (System.nanoTime() - g0) / 1e9;
        List<Path> artifacts = new ArrayList<>(h.sdists());
        artifacts.addAll(h.wheels());
        out.printf("%n== %d versions, %d files of ~%d B per version: %d artifacts, %.1f MB compressed (generated in %.0f s)%n",
                n, files, fileBytes, artifacts.size(), h.artifactBytes() / 1e6, genSeconds);
        try (StaticRegistryServer server = new StaticRegistryServer(h.registryRoot())) {
            h.index().write(server.baseUrl());
            List<String> scanArgs = List.of("pkg:pypi/" + SyntheticHistory.NAME, "--repo", h.repository().toString(),
                    "--pypi-url", server.baseUrl(), "--cache", dir.resolve("cache").toString(), "--out",
                    dir.resolve("dataset").toString(), "--no-summary");
            // cold: downloads into the cache (not part of the comparison)
            Measure cold = measure(() -> ScanJob.run(spark, ScanOptions.parse(scanArgs)));

            // Each measured run starts settled (see settle) and, like the warm scan after the cold one, the floor
            // is measured on its second pass over the artifacts.
            floorInProcess(artifacts, new AtomicLong());
            AtomicLong uncompressed = new AtomicLong();
            settle();
            Measure floor = measure(() -> floorInProcess(artifacts, uncompressed));
            double mb = uncompressed.get() / 1e6;
            Measure shell = skip.contains("shell") ? null : shell(dir, "printf '%s\\n' " + String.join(" ", quoted(h.sdists()))
                    + " | xargs -P2 -I{} sh -c 'gzip -dc {} | sha256sum > /dev/null'; printf '%s\\n' "
                    + String.join(" ", quoted(h.wheels())) + " | xargs -P2 -I{} sh -c 'unzip -p {} | sha256sum > /dev/null'");
            Measure naive = skip.contains("naive") ? null : naive(dir, h, n);

            resetPeaks();
            List<String> full = new ArrayList<>(scanArgs);
            full.add("--full");
            ScanJob.Result[] result = new ScanJob.Result[1];
            Map<String, Long> threads0 = Map.of();
            Map<String, Long> threads1 = Map.of();
            Measure scan = null;
            for (int r = 0; r < repeat; r++) { // the last of the warm scans is reported
                double settled = settle();
                threads0 = threadTicks();
                scan = measure(() -> result[0] = ScanJob.run(spark, ScanOptions.parse(full)));
                threads1 = threadTicks();
                if (repeat > 1) {
                    out.printf("warm scan %d of %d: %.2f s wall, %.2f s cpu (settled %.1f s before)%n", r + 1, repeat,
                            scan.wallSeconds(), scan.cpuSeconds(), settled);
                }
            }
            long peakHeap = peakHeap();
            settle();
            Measure nightly = measure(() -> ScanJob.run(spark, ScanOptions.parse(scanArgs)));

            out.printf("%-34s %9s %9s %12s %10s%n", "", "wall s", "cpu s", "MB/cpu-s", "versions/s");
            row(out, "floor, in-process (inflate+sha256)", floor, mb, n);
            row(out, "floor, gzip -dc|unzip -p | sha256sum", shell, mb, n);
            row(out, "naive: extract + git archive + diff", naive, mb, n);
            row(out, "divergence scan, warm cache", scan, mb, n);
            row(out, "divergence nightly, nothing new", nightly, 0, n);
            row(out, "(cold scan, downloads included)", cold, mb, n);
            out.printf("throughput vs floor (MB per CPU-second): %.2f of the in-process floor", floor.cpuSeconds() / scan.cpuSeconds());
            out.printf(shell == null ? "%n" : ", %.2f of the shell floor%n", shell == null ? 0 : shell.cpuSeconds() / scan.cpuSeconds());
            if (naive != null) {
                out.printf("wall time: divergence %.2fx the naive script%n", scan.wallSeconds() / naive.wallSeconds());
            }
            out.printf("nightly rerun: %.1f%% of the full scan's wall time%n", 100 * nightly.wallSeconds() / scan.wallSeconds());
            out.printf("per version: %.1f ms wall; stages (sum over tasks, ms): %s; the three table writes %d ms wall (the scan"
                            + " runs inside the files write); peak heap %d MiB%n",
                    1000 * scan.wallSeconds() / n, result[0].stageMillis(), result[0].writeMillis(), peakHeap >> 20);
            if (!threads0.isEmpty()) {
                StringBuilder b = new StringBuilder();
                byKind(threads0, threads1).forEach((k, v) -> b.append(String.format(" %s %.1f s,", k, v / 100.0)));
                out.printf("CPU of the warm scan by thread (from /proc):%s%n", b.substring(0, b.length() - 1));
            }
            if (!skip.contains("diffoscope")) {
                diffoscope(dir, h, sample, out);
            }
        }
    }

    interface Body {
        void run() throws Exception;
    }

    /**
     * Before a measured run: wait for the JIT compilers to finish the compilations that what ran before queued (the
     * total compilation time stays still for a second; at most a minute), so that they are not charged to the run
     * measured. The floor and the scans are settled alike. No {@code System.gc()}: G1's full collection shrank the
     * heap, and the scan after it spent more in GC and in faulting the heap back in than the garbage would have cost.
     */
    static double settle() throws InterruptedException {
        long t0 = System.nanoTime();
        var jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return (System.nanoTime() - t0) / 1e9;
        }
        long last = jit.getTotalCompilationTime();
        int still = 0;
        for (long deadline = System.nanoTime() + 60_000_000_000L; still < 5 && System.nanoTime() < deadline; ) {
            Thread.sleep(200);
            long now = jit.getTotalCompilationTime();
            still = now == last ? still + 1 : 0;
            last = now;
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static Measure measure(Body body) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long c0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        body.run();
        return new Measure((System.nanoTime() - t0) / 1e9, (os.getProcessCpuTime() - c0) / 1e9);
    }

    private static void row(PrintStream out, String name, Measure m, double mb, int n) {
        if (m == null) {
            out.printf("%-34s %9s%n", name, "skipped");
            return;
        }
        out.printf("%-34s %9.2f %9.2f %12s %10.1f%n", name, m.wallSeconds(), m.cpuSeconds(),
                mb > 0 ? String.format("%.1f", mb / m.cpuSeconds()) : "-", n / m.wallSeconds());
    }

    /** Decompress and SHA-256 every entry of every artifact, two threads, nothing else. */
    static void floorInProcess(List<Path> artifacts, AtomicLong bytes) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (Path a : artifacts) {
                fs.add(pool.submit(() -> {
                    MessageDigest md = MessageDigest.getInstance("SHA-256");
                    byte[] buf = new byte[1 << 16];
                    if (a.toString().endsWith(".whl")) {
                        try (ZipFile z = ZipFile.builder().setPath(a).get()) {
                            for (ZipArchiveEntry e : java.util.Collections.list(z.getEntries())) {
                                try (InputStream in = z.getInputStream(e)) {
                                    bytes.addAndGet(drain(in, md, buf));
                                }
                                md.digest();
                            }
                        }
                    } else {
                        try (InputStream raw = new BufferedInputStream(Files.newInputStream(a), 1 << 16);
                             TarArchiveInputStream tar = new TarArchiveInputStream(new java.util.zip.GZIPInputStream(raw, 1 << 16))) {
                            ArchiveEntry e;
                            while ((e = tar.getNextEntry()) != null) {
                                bytes.addAndGet(drain(tar, md, buf));
                                md.digest();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static long drain(InputStream in, MessageDigest md, byte[] buf) throws IOException {
        long n = 0;
        int r;
        while ((r = in.read(buf)) > 0) {
            md.update(buf, 0, r);
            n += r;
        }
        return n;
    }

    private static List<String> quoted(List<Path> paths) {
        return paths.stream().map(p -> "'" + p + "'").toList();
    }

    /** Runs a bash snippet under /usr/bin/time: wall, and user+sys CPU of it and its children. */
    private static Measure shell(Path dir, String script) throws Exception {
        Path f = dir.resolve("bench.sh");
        Files.writeString(f, "#!/bin/bash\nset -e\n" + script + "\n");
        Path times = dir.resolve("time.txt");
        Process p = new ProcessBuilder("/usr/bin/time", "-f", "%e %U %S", "-o", times.toString(), "bash", f.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("bench-shell.log").toFile()).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("benchmark script failed, see " + dir.resolve("bench-shell.log"));
        }
        String[] t = Files.readString(times).trim().split("\\s+");
        return new Measure(Double.parseDouble(t[0]), Double.parseDouble(t[1]) + Double.parseDouble(t[2]));
    }

    /** What an engineer would script: extract both sides to disk, sha256sum them, compare the lists. */
    private static Measure naive(Path dir, SyntheticHistory.Built h, int n) throws Exception {
        StringBuilder versions = new StringBuilder();
        for (int v = 1; v <= n; v++) {
            if (v % 97 != 0) {
                versions.append("1.").append(v / 100).append('.').append(v % 100).append('\n');
            }
        }
        Files.writeString(dir.resolve("versions.txt"), versions.toString());
        String one = "v=$1; d=$(mktemp -d -p " + dir + "); mkdir -p $d/a $d/w $d/s; "
                + "tar xzf " + h.registryRoot().resolve("packages") + "/bigpkg-$v.tar.gz -C $d/a; "
                + "unzip -q " + h.registryRoot().resolve("packages") + "/bigpkg-$v-py3-none-any.whl -d $d/w; "
                + "git --git-dir=" + h.repository() + " archive v$v | tar x -C $d/s; "
                + "(cd $d/a/bigpkg-$v && find . -type f -print0 | xargs -0 sha256sum | sort -k2) > $d/a.sum; "
                + "(cd $d/w && find . -type f -print0 | xargs -0 sha256sum | sort -k2) > $d/w.sum; "
                + "(cd $d/s && find . -type f -print0 | xargs -0 sha256sum | sort -k2) > $d/s.sum; "
                + "diff $d/a.sum $d/s.sum > $d/diff.txt || true; rm -rf $d";
        Files.writeString(dir.resolve("naive-one.sh"), "#!/bin/bash\n" + one + "\n");
        return shell(dir, "xargs -P2 -n1 bash " + dir.resolve("naive-one.sh") + " < " + dir.resolve("versions.txt"));
    }

    private static void diffoscope(Path dir, SyntheticHistory.Built h, int sample, PrintStream out) throws Exception {
        if (new ProcessBuilder("bash", "-c", "command -v diffoscope").start().waitFor() != 0) {
            out.println("diffoscope: not installed (apt-get install --no-install-recommends diffoscope), skipped");
            return;
        }
        for (int i = 0; i < Math.min(sample, h.sdists().size()); i++) {
            int v = i + 1;
            String version = "1." + (v / 100) + "." + (v % 100);
            Path src = dir.resolve("src-" + version + ".tar");
            new ProcessBuilder("git", "--git-dir=" + h.repository(), "archive", "--prefix=bigpkg-" + version + "/",
                    "-o", src.toString(), "v" + version).start().waitFor();
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder("diffoscope", "--no-progress", "--text", dir.resolve("diffoscope-" + version + ".txt")
                    .toString(), h.sdists().get(i).toString(), src.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("diffoscope.log").toFile()).start();
            p.waitFor();
            out.printf("diffoscope sdist vs git archive, %s: %.1f s%n", version, (System.nanoTime() - t0) / 1e9);
        }
    }

    /**
     * CPU ticks (1/100 s) of this JVM's threads, by thread id with its kind, from /proc (Linux only; empty
     * elsewhere). Kinds: the scan's task threads, the garbage collector, the JIT compilers, everything else
     * (Spark's driver and scheduler).
     */
    private static Map<String, Long> threadTicks() {
        Map<String, Long> out = new java.util.TreeMap<>();
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return out;
        }
        try (var s = Files.list(tasks)) {
            for (Path t : s.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
                    String kind = comm.startsWith("Executor task") ? "tasks"
                            : comm.startsWith("GC Thread") || comm.startsWith("G1 ") ? "gc"
                            : comm.contains("CompilerThre") ? "jit" : "other";
                    out.put(kind + " " + t.getFileName(), ticks);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended while being read
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return out;
    }

    /** Per kind, the CPU threads alive at the end used since the start (threads that ended meanwhile are lost). */
    private static Map<String, Long> byKind(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new java.util.TreeMap<>();
        after.forEach((k, v) -> out.merge(k.substring(0, k.indexOf(' ')), v - before.getOrDefault(k, 0L), Long::sum));
        return out;
    }

    private static void resetPeaks() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
