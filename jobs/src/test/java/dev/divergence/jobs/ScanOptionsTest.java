package dev.divergence.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.model.Ecosystem;
import dev.divergence.model.PackageId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanOptionsTest {

    @TempDir
    Path dir;

    @Test
    void purlWithRepositoryOverride() throws Exception {
        ScanOptions o = ScanOptions.parse(List.of("pkg:pypi/LiteLLM", "--repo", "/src/litellm", "--versions", "1.82.7,1.82.8",
                "--out", "o", "--pypi-url", "http://127.0.0.1:9"));
        assertEquals(1, o.targets().size());
        assertEquals(PackageId.parse("pkg:pypi/litellm"), o.targets().get(0).pkg());
        assertEquals(Optional.of("/src/litellm"), o.targets().get(0).repository());
        assertEquals(Set.of("1.82.7", "1.82.8"), o.versions());
        assertEquals("o", o.out());
        assertEquals("http://127.0.0.1:9", o.ecosystems().of(Ecosystem.PYPI).get("url"));
        assertEquals("https://registry.npmjs.org", o.ecosystems().of(Ecosystem.NPM).get("url"), "a default fills the rest");
    }

    @Test
    void anEcosystemThisCommandLineNeverNamedBringsItsOwnOptions() throws Exception {
        // core's test-only stub plugin (registry/stub) declares url and index; nothing here or in ScanOptions names it
        ScanOptions o = ScanOptions.parse(List.of("pkg:stub/foo", "--stub-url", "http://127.0.0.1:5", "--stub-index",
                "list.txt"));
        assertEquals(Map.of("url", "http://127.0.0.1:5", "index", "list.txt"), o.ecosystems().of(new Ecosystem("stub")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Main.run(List.of("scan", "--help"), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("--stub-url=URL") && help.contains("stub registry (default: http://127.0.0.1:9)"), help);
        assertTrue(help.contains("--pypi-url=URL") && help.contains("(default: https://pypi.org)"), help);
    }

    @Test
    void everyEcosystemOptionIsTypeDashKeyAndChecked() throws Exception {
        ScanOptions o = ScanOptions.parse(List.of("pkg:npm/a", "--npm-url", "http://127.0.0.1:7", "--maven-url",
                "https://mirror.example/m2"));
        assertEquals(Map.of("url", "http://127.0.0.1:7"), o.ecosystems().of(Ecosystem.NPM));
        assertEquals(Map.of("url", "https://mirror.example/m2"), o.ecosystems().of(Ecosystem.MAVEN));
        assertEquals("--maven-url must be an http:// or https:// URL, not 'file:/x'", assertThrows(
                ScanOptions.UsageException.class, () -> ScanOptions.parse(List.of("pkg:npm/a", "--maven-url",
                        "file:/x"))).getMessage());
    }

    @Test
    void watchlistGivesPackagesAndRepositories() throws Exception {
        Path wl = dir.resolve("watch.txt");
        Files.writeString(wl, "# nightly\npkg:pypi/litellm https://github.com/BerriAI/litellm\n\npkg:pypi/requests  # hint\n");
        ScanOptions o = ScanOptions.parse(List.of("--watchlist", wl.toString()));
        assertEquals(2, o.targets().size());
        assertEquals(Optional.of("https://github.com/BerriAI/litellm"), o.targets().get(0).repository());
        assertEquals(Optional.empty(), o.targets().get(1).repository());
    }

    @Test
    void modeDefaultsToFetchAndRebuildParallelismToOne() throws Exception {
        ScanOptions plain = ScanOptions.parse(List.of("pkg:maven/a/b"));
        assertEquals(ScanOptions.Mode.FETCH, plain.mode());
        assertEquals(1, plain.rebuildParallelism());
        ScanOptions both = ScanOptions.parse(List.of("pkg:maven/a/b", "--mode", "both", "--rebuild-parallelism", "3"));
        assertEquals(ScanOptions.Mode.BOTH, both.mode());
        assertTrue(both.mode().fetches() && both.mode().rebuilds());
        assertEquals(3, both.rebuildParallelism());
        assertEquals(ScanOptions.Mode.REBUILD, ScanOptions.parse(List.of("pkg:maven/a/b", "--mode", "REBUILD")).mode());
        assertEquals("Invalid value for option '--mode': fetch, rebuild or both (got compile)", assertThrows(ScanOptions.UsageException.class,
                () -> ScanOptions.parse(List.of("pkg:maven/a/b", "--mode", "compile"))).getMessage());
        assertEquals("--rebuild-parallelism must be a positive number (got 0)", assertThrows(
                ScanOptions.UsageException.class, () -> ScanOptions.parse(List.of("pkg:maven/a/b",
                        "--rebuild-parallelism", "0"))).getMessage());
    }

    @Test
    void mirrorsAreRepeatableAndDefaultToNone() throws Exception {
        assertEquals(List.of(), ScanOptions.parse(List.of("pkg:npm/lodash")).mirrors().rules());
        ScanOptions o = ScanOptions.parse(List.of("pkg:npm/lodash", "--mirror", "https://github.com/=/srv/git/",
                "--mirror", "https://github.com/lodash/lodash=/srv/lodash.git"));
        assertEquals(List.of(new dev.divergence.source.Mirrors.Rule("https://github.com/lodash/lodash", "/srv/lodash.git"),
                new dev.divergence.source.Mirrors.Rule("https://github.com/", "/srv/git/")), o.mirrors().rules());
        assertEquals(Optional.of("/srv/lodash.git"), o.mirrors().rewrite("git+https://github.com/lodash/lodash".substring(4)));
    }

    @Test
    void badArgumentsAreUsageErrorsWithExitCodeTwo() {
        assertThrows(ScanOptions.UsageException.class, () -> ScanOptions.parse(List.of()));
        assertThrows(ScanOptions.UsageException.class, () -> ScanOptions.parse(List.of("pypi/litellm")));
        assertThrows(ScanOptions.UsageException.class, () -> ScanOptions.parse(List.of("pkg:cargo/serde")));
        assertThrows(ScanOptions.UsageException.class, () -> ScanOptions.parse(List.of("pkg:gem/rails")));
        assertThrows(ScanOptions.UsageException.class,
                () -> ScanOptions.parse(List.of("pkg:pypi/a", "pkg:pypi/b", "--repo", "x")));
        assertThrows(ScanOptions.UsageException.class, () -> ScanOptions.parse(List.of("pkg:pypi/a", "--bogus")));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of("scan", "--repo"), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(Main.USAGE, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith(
                "divergence scan: Missing required parameter for option '--repo' (URL|PATH)"));
    }

    @Test
    void helpDescribesEveryOptionTheParserAccepts() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(Main.OK, Main.run(List.of("scan", "--help"), new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err));
        String help = out.toString(StandardCharsets.UTF_8);
        for (String option : List.of("--repo", "--watchlist", "--versions", "--out", "--cache", "--pypi-url", "--master",
                "--no-summary", "--npm-url", "--maven-url", "--full", "--mode", "--rebuild-parallelism")) {
            assertTrue(help.contains(option), option);
        }
    }
}
