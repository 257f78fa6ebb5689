package dev.divergence.jobs;

import static dev.divergence.jobs.DatasetQueries.query;
import static dev.divergence.jobs.DatasetQueries.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.demo.GitHistoryBuilder;
import dev.divergence.fixtures.LocalMaven;
import dev.divergence.fixtures.MavenMirror;
import dev.divergence.fixtures.MavenProject;
import dev.divergence.fixtures.Tools;
import dev.divergence.rebuild.Instructions;
import dev.divergence.rebuild.RebuildEnvironment;
import dev.divergence.rebuild.Sandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scan --mode both} through the Spark job: two Maven releases built by their publisher from their tags, the
 * second with a tampered class; fetch rows and rebuild rows side by side, the tampered version HIGH_RISK only through
 * its rebuild, and a rerun that rebuilds nothing (once per strategy version).
 */
class RebuildModeTest {

    /** One warm dependency repository and Central mirror for every run of this test (under target/). */
    static final Path CACHE = Path.of("target", "rebuild-test-cache").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void bothModesWriteFetchAndRebuildRowsAndATamperedClassMakesItsVersionHighRisk() throws Exception {
        Tools.require(Sandbox.system().unavailable());
        Tools.require(Files.isExecutable(Path.of("/usr/bin/mvn")) ? Optional.empty() : Optional.of("mvn not installed"));
        Path registryRoot = dir.resolve("registry");
        try (GitHistoryBuilder git = GitHistoryBuilder.init(dir.resolve("repo"));
             LocalMaven registry = new LocalMaven(registryRoot, "org.acme", "acme-lib");
             MavenMirror mirror = new MavenMirror(CACHE.resolve("mirror"), Optional.of(registryRoot))) {
            String c1 = git.commit(MavenProject.files("1.0.0"), "release 1.0.0", Instant.parse("2026-01-01T00:00:00Z"));
            git.tag("v1.0.0", true);
            String c2 = git.commit(MavenProject.files("1.0.1"), "release 1.0.1", Instant.parse("2026-01-02T00:00:00Z"));
            git.tag("v1.0.1", true);
            RebuildEnvironment env = new RebuildEnvironment(Sandbox.system(), CACHE,
                    RebuildEnvironment.jdksUnder(Path.of("/usr/lib/jvm")), Sandbox.Limits.defaults());
            byte[] clean = MavenProject.publish(env, mirror.uri(), git.dir(), c1, "1.0.0", dir.resolve("publisher"));
            byte[] tampered = MavenProject.tamperGreeter(MavenProject.publish(env, mirror.uri(), git.dir(), c2, "1.0.1",
                    dir.resolve("publisher")));
            registry.metadata(List.of("1.0.0", "1.0.1"));
            registry.file("1.0.0", ".pom", MavenProject.pom("1.0.0").getBytes(StandardCharsets.UTF_8), null);
            registry.file("1.0.0", ".jar", clean, null);
            registry.file("1.0.1", ".pom", MavenProject.pom("1.0.1").getBytes(StandardCharsets.UTF_8), null);
            registry.file("1.0.1", ".jar", tampered, null);

            Path out = dir.resolve("dataset");
            // The mirror is the registry divergence lists from and the repository the builds resolve plugins from.
            ScanOptions options = ScanOptions.parse(List.of("pkg:maven/org.acme/acme-lib", "--repo", git.dir().toString(),
                    "--maven-url", mirror.uri().toString(), "--out", out.toString(), "--cache", CACHE.toString(),
                    "--mode", "both", "--rebuild-parallelism", "1"));
            SparkSession spark = SparkTestSession.get();
            ScanJob.Result first = ScanJob.run(spark, options);
            assertEquals(2, first.versionsScanned());

            assertEquals(List.of(
                    "1.0.0|EXPLAINED|both|REPRODUCED|maven/1",
                    "1.0.1|HIGH_RISK|both|DIFFERS|maven/1"), query("select version, verdict, mode, rebuild_verdict,"
                    + " rebuild_strategy from " + table(out, "releases") + " order by version"));
            assertEquals(List.of(
                    "1.0.0|acme-lib-1.0.0.jar|fetch|EXPLAINED|-|-",
                    "1.0.0|acme-lib-1.0.0.jar|rebuild|CLEAN|REPRODUCED|true",
                    "1.0.0|acme-lib-1.0.0.pom|fetch|CLEAN|-|-",
                    "1.0.1|acme-lib-1.0.1.jar|fetch|EXPLAINED|-|-",
                    "1.0.1|acme-lib-1.0.1.jar|rebuild|HIGH_RISK|DIFFERS|false",
                    "1.0.1|acme-lib-1.0.1.pom|fetch|CLEAN|-|-"), query("select version, filename, mode, verdict,"
                    + " coalesce(rebuild_verdict, '-'), coalesce(cast(rebuilt_sha256 = sha256 as varchar), '-') from "
                    + table(out, "artifacts") + " order by version, filename, mode"));
            assertEquals(List.of("1.0.1|org/acme/Greeter.class|MODIFIED|rebuild.differs|true"),
                    query("select version, artifact_path, status, rule_id, high_risk from " + table(out, "files")
                            + " where mode = 'rebuild' and status <> 'MATCH' order by version"));
            assertEquals(List.of("1.0.1|acme-lib-1.0.1.jar (rebuild DIFFERS): differs: org/acme/Greeter.class"),
                    query("select version, split_part(reason, ' | ', 1) from " + table(out, "releases")
                            + " where verdict = 'HIGH_RISK'"));
            Instructions ins = Instructions.fromJson(query("select instructions from " + table(out, "artifacts")
                    + " where version = '1.0.0' and mode = 'rebuild'").get(0));
            assertEquals(c1, ins.commit());
            assertEquals("17", ins.toolchain().get("jdk"));
            assertEquals("maven/1", ins.strategy());

            ScanJob.Result second = ScanJob.run(spark, options);
            assertEquals(0, second.versionsScanned(), "rebuilt once per strategy version");
            assertEquals(2, query("select * from " + table(out, "artifacts") + " where mode = 'rebuild'").size());
            assertTrue(first.exitStatus() == 0 && second.exitStatus() == 0);

            // A dataset scanned in fetch mode, then one version rebuilt: only that version is redone.
            Path other = dir.resolve("dataset-2");
            List<String> common = List.of("pkg:maven/org.acme/acme-lib", "--repo", git.dir().toString(), "--maven-url",
                    mirror.uri().toString(), "--out", other.toString(), "--cache", CACHE.toString());
            ScanJob.run(spark, ScanOptions.parse(common));
            List<String> later = new java.util.ArrayList<>(common);
            later.addAll(List.of("--mode", "both", "--versions", "1.0.1"));
            ScanJob.Result rebuilt = ScanJob.run(spark, ScanOptions.parse(later));
            assertEquals(1, rebuilt.versionsScanned());
            assertEquals(List.of("1.0.0|fetch|-", "1.0.1|both|DIFFERS"), query("select version, mode,"
                    + " coalesce(rebuild_verdict, '-') from " + table(other, "releases") + " order by version"));

        }
    }
}
