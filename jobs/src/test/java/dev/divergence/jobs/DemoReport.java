package dev.divergence.jobs;

import dev.divergence.demo.DemoProject;
import dev.divergence.demo.StaticRegistryServer;
import dev.divergence.fixtures.ScanWorld;
import dev.divergence.fixtures.Trees;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The bundled demo scanned once per test JVM and its report written once, shared by the report, browser and notebook
 * tests: {@code jobs/target/demo-report/dataset} and {@code jobs/target/demo-report/site} (left there to look at).
 */
record DemoReport(Path dataset, Path site, ReportSite.Written written) {

    /** A path an attacker chose: markup that would run if the report did not escape it. */
    static final String HOSTILE_PATH = "demo/<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">.py";

    private static DemoReport built;
    private static Hostile hostile;

    /** The report of a package whose second version ships {@link #HOSTILE_PATH}, written by the CLI. */
    record Hostile(Path site, int status, String stdout, Path recheck, int recheckStatus) {
    }

    static synchronized DemoReport get() {
        if (built == null) {
            try {
                built = build(Path.of("target", "demo-report").toAbsolutePath());
            } catch (IOException | ScanOptions.UsageException e) {
                throw new IllegalStateException("cannot build the demo report", e);
            }
        }
        return built;
    }

    private static DemoReport build(Path work) throws IOException, ScanOptions.UsageException {
        delete(work);
        DemoProject.Built demo = DemoProject.build(Path.of("..", "datasets", "demo"), work.resolve("demo"));
        Path dataset = work.resolve("dataset");
        try (StaticRegistryServer server = new StaticRegistryServer(demo.registryRoot())) {
            demo.index().write(server.baseUrl());
            ScanJob.run(SparkTestSession.get(), ScanOptions.parse(List.of("pkg:pypi/" + demo.packageName(),
                    "--repo", demo.repository().toString(), "--pypi-url", server.baseUrl(), "--out", dataset.toString(),
                    "--cache", work.resolve("cache").toString(), "--no-summary")));
        }
        Path site = work.resolve("site");
        ReportSite.Written written = ReportCommand.write(SparkTestSession.get(),
                new ReportCommand.Options(dataset.toString(), site));
        return new DemoReport(dataset, site, written);
    }

    static synchronized Hostile hostile() {
        if (hostile == null) {
            Path work = Path.of("target", "hostile-report").toAbsolutePath();
            delete(work);
            try (ScanWorld w = new ScanWorld(work.resolve("world"), "demo")) {
                SortedMap<String, byte[]> tree = Trees.flatProject("1.0.0");
                w.commit(tree, "1.0.0");
                w.tag("v1.0.0");
                w.publish("1.0.0", tree, wheel(tree));
                SortedMap<String, byte[]> evil = Trees.with(Trees.flatProject("1.0.1"), HOSTILE_PATH, "X = 1\n");
                w.publish("1.0.1", evil, wheel(evil));
                w.pypi.write();
                Path dataset = work.resolve("dataset");
                ScanJob.run(SparkTestSession.get(), ScanOptions.parse(List.of("pkg:pypi/demo", "--repo",
                        w.git.dir().toString(), "--pypi-url", w.pypi.baseUrl(), "--out", dataset.toString(),
                        "--cache", work.resolve("cache").toString(), "--no-summary")));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                Path site = work.resolve("site");
                // Through the command line, as a user runs it (it stops the session; the next get() makes another).
                int status = Main.run(List.of("report", "--out", dataset.toString(), "--html", site.toString()),
                        new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
                // The drill-down's reproducing command, run as printed (into a scratch dataset) while the registry is up.
                List<String> words = shellWords(unescape(between(Files.readString(site.resolve("p/pypi-demo/v-1.0.1.html")),
                        "<pre id=\"reproduce\">", "</pre>")));
                Path recheck = work.resolve("recheck");
                List<String> args = new java.util.ArrayList<>(words.subList(1, words.size()));
                args.set(args.indexOf("--out") + 1, recheck.toString());
                args.addAll(List.of("--cache", work.resolve("cache").toString(), "--no-summary"));
                int recheckStatus = words.get(0).equals("./divergence") ? Main.run(args,
                        new PrintStream(java.io.OutputStream.nullOutputStream()), System.err) : -1;
                hostile = new Hostile(site, status, out.toString(StandardCharsets.UTF_8), recheck, recheckStatus);
            } catch (IOException | ScanOptions.UsageException e) {
                throw new IllegalStateException("cannot build the hostile report", e);
            }
        }
        return hostile;
    }

    private static String between(String s, String start, String end) {
        int a = s.indexOf(start) + start.length();
        return s.substring(a, s.indexOf(end, a));
    }

    /** Undoes Mustache's HTML escaping, as a browser shows the text. */
    static String unescape(String html) {
        String named = html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"");
        return java.util.regex.Pattern.compile("&#(\\d+);").matcher(named)
                .replaceAll(m -> java.util.regex.Matcher.quoteReplacement(Character.toString(Integer.parseInt(m.group(1)))))
                .replace("&amp;", "&");
    }

    /** Splits a command line as a POSIX shell does for the quoting the report writes: blanks, '...', '\''. */
    static List<String> shellWords(String line) {
        List<String> words = new java.util.ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\'') {
                    quoted = false;
                } else {
                    w.append(c);
                }
            } else if (c == '\'') {
                quoted = true;
                any = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                w.append(line.charAt(++i));
                any = true;
            } else if (Character.isWhitespace(c)) {
                if (any) {
                    words.add(w.toString());
                    w.setLength(0);
                    any = false;
                }
            } else {
                w.append(c);
                any = true;
            }
        }
        if (any) {
            words.add(w.toString());
        }
        return words;
    }

    /** A wheel of the flat project: the package directory at the root. */
    private static SortedMap<String, byte[]> wheel(SortedMap<String, byte[]> tree) {
        SortedMap<String, byte[]> wheel = new TreeMap<>();
        tree.forEach((k, v) -> {
            if (k.startsWith("demo/")) {
                wheel.put(k, v);
            }
        });
        return wheel;
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
