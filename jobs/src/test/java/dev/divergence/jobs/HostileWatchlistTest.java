package dev.divergence.jobs;

import static dev.divergence.jobs.DatasetQueries.query;
import static dev.divergence.jobs.DatasetQueries.table;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.divergence.demo.PypiIndexWriter;
import dev.divergence.fixtures.HostileArchives;
import dev.divergence.fixtures.ScanWorld;
import dev.divergence.fixtures.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hostile package at the head of a watchlist costs its own rows, never the run's. */
class HostileWatchlistTest {

    @TempDir
    Path dir;

    @Test
    void aWatchlistWhoseFirstPackageIsALongNameBombExitsThreeWithItsErrorRowAndNormalRowsForTheRest() throws Exception {
        Path out = dir.resolve("out");
        try (ScanWorld w = new ScanWorld(dir.resolve("world"), "demo")) {
            SortedMap<String, byte[]> tree = Trees.flatProject("1.0.0");
            w.commit(tree, "1.0.0");
            w.tag("v1.0.0");
            w.publish("1.0.0", tree, Trees.under(tree, ""));
            w.pypi.write();
            // A second package on the same local PyPI: its only sdist is a few MB declaring a 4 GiB GNU long name,
            // with about 3 GiB of zeros behind the header (more than the test JVM's heap can buffer).
            Path bomb = dir.resolve("bomb.tar.gz");
            HostileArchives.longNameBomb(bomb, 4L << 30, 48);
            new PypiIndexWriter(dir.resolve("world/registry"), "bomb", Map.of())
                    .add(new PypiIndexWriter.Upload("1.0.0", "bomb-1.0.0.tar.gz", Files.readAllBytes(bomb),
                            Instant.parse("2026-01-02T00:00:00Z")))
                    .write(w.pypi.baseUrl());
            Path watchlist = dir.resolve("watch.txt");
            Files.writeString(watchlist, "pkg:pypi/bomb " + w.git.dir() + "\npkg:pypi/demo " + w.git.dir() + "\n");
            int status = Main.run(List.of("scan", "--watchlist", watchlist.toString(), "--pypi-url", w.pypi.baseUrl(),
                    "--out", out.toString(), "--cache", dir.resolve("cache").toString(), "--no-summary"),
                    new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), System.err);
            assertEquals(Main.SOME_ERRORS, status);
            assertEquals(List.of("bomb|1.0.0|ERROR|bomb-1.0.0.tar.gz: limit exceeded: tar GNU long name header declares "
                    + "4294967296 bytes (at most 1048576 are read)", "demo|1.0.0|EXPLAINED|"),
                    query("select package, version, verdict, coalesce(reason, '') from " + table(out, "releases")
                            + " order by package"));
            assertEquals(List.of("bomb|bomb-1.0.0.tar.gz|ERROR", "demo|demo-1.0.0-py3-none-any.whl|EXPLAINED",
                    "demo|demo-1.0.0.tar.gz|EXPLAINED"), query("select package, filename, verdict from "
                    + table(out, "artifacts") + " order by package, filename"));
            assertEquals(List.of("0|1|3"), query("select package_errors, versions_error, exit_status from read_parquet('"
                    + out.resolve("scans") + "/*.parquet')"));
        }
    }
}
