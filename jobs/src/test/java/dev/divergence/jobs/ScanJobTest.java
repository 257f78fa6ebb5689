package dev.divergence.jobs;

import static dev.divergence.jobs.DatasetQueries.contents;
import static dev.divergence.jobs.DatasetQueries.query;
import static dev.divergence.jobs.DatasetQueries.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.demo.DemoProject;
import dev.divergence.demo.StaticRegistryServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path on the bundled demo: local PyPI → scan job (Spark local[2]) → Parquet → read back by DuckDB,
 * an independent reader, asserted row by row; then a rerun that must replace, not duplicate.
 */
class ScanJobTest {

    @TempDir
    Path dir;

    @Test
    void demoHistoryIsWrittenToParquetAndReadBackRowByRowAndARerunReplacesIt() throws Exception {
        DemoProject.Built built = DemoProject.build(Path.of("..", "datasets", "demo"), dir.resolve("demo"));
        Path out = dir.resolve("dataset");
        SparkSession spark = SparkTestSession.get();
        try (StaticRegistryServer server = new StaticRegistryServer(built.registryRoot())) {
            built.index().write(server.baseUrl());
            ScanOptions options = ScanOptions.parse(List.of("pkg:pypi/llmrelay", "--repo", built.repository().toString(),
                    "--pypi-url", server.baseUrl(), "--out", out.toString(), "--cache", dir.resolve("cache").toString()));
            ScanJob.Result first = ScanJob.run(spark, options);
            assertEquals(13, first.releases().size());

            try (Connection db = DriverManager.getConnection("jdbc:duckdb:")) {
                List<String> releases = query("select version, verdict, ref_method, coalesce(tag, '-') from "
                        + table(out, "releases") + " order by published");
                assertEquals(List.of(
                        "1.80.0|EXPLAINED|TAG|v1.80.0",
                        "1.80.1|EXPLAINED|TAG|v1.80.1",
                        "1.81.0|EXPLAINED|TAG|v1.81.0",
                        "1.81.1|EXPLAINED|TAG|1.81.1",
                        "1.81.2|EXPLAINED|TAG|llmrelay-1.81.2",
                        "1.82.0rc1|EXPLAINED|TAG|v1.82.0-rc.1",
                        "1.82.0|EXPLAINED|TAG|v1.82.0",
                        "1.82.4|EXPLAINED|TAG|v1.82.4",
                        "1.82.5|EXPLAINED|MANIFEST_HISTORY|-",
                        "1.82.6|EXPLAINED|TAG|v1.82.6",
                        "1.82.7|HIGH_RISK|BLOB_OVERLAP|-",
                        "1.82.8|HIGH_RISK|BLOB_OVERLAP|-",
                        "1.83.0|EXPLAINED|TAG|v1.83.0"), releases);

                // Release order is a column: PEP 440 puts the release candidate before its release.
                // The tampered versions are neither documentation-only nor newer than the repository: their
                // divergence is unqualified.
                assertEquals(List.of("1.80.0=1 1.80.1=2 1.81.0=3 1.81.1=4 1.81.2=5 1.82.0rc1=6 1.82.0=7 1.82.4=8 "
                        + "1.82.5=9 1.82.6=10 1.82.7=11 1.82.8=12 1.83.0=13|0|0"), query("select string_agg(version || '='"
                        + " || version_order, ' ' order by version_order), count(*) filter (where doc_only_divergence), "
                        + "count(*) filter (where repository_older) from " + table(out, "releases")));
                // Every file row says what the file is for.
                assertEquals(List.of("CODE|llmrelay_init.pth", "CODE|proxy_server.py", "DOC|LICENSE", "DOC|README.md",
                        "METADATA|Makefile", "METADATA|PKG-INFO", "OTHER|ci.yml", "TEST|test_utils.py"),
                        query("select distinct kind, regexp_replace(coalesce(artifact_path, source_path), '.*/', '') as name"
                        + " from " + table(out, "files") + " where name in ('README.md', 'LICENSE', 'test_utils.py', "
                        + "'proxy_server.py', 'llmrelay_init.pth', 'PKG-INFO', 'Makefile', 'ci.yml') order by all"));

                // The tampered versions are compared with the commit they were cut from: v1.82.6's.
                assertEquals(query("select commit from " + table(out, "releases") + " where version = '1.82.6'"),
                        query("select distinct commit from " + table(out, "releases")
                                + " where version in ('1.82.7', '1.82.8')"));

                List<String> highRisk = query("select version, artifact, artifact_path, status, "
                        + "array_to_string(risk_flags, ',') from " + table(out, "files")
                        + " where high_risk order by version, artifact, artifact_path");
                assertEquals(List.of(
                        "1.82.7|llmrelay-1.82.7-py3-none-any.whl|llmrelay/proxy/proxy_server.py|MODIFIED|CODE,DYNAMIC_EXEC,ENCODED_BLOB",
                        "1.82.7|llmrelay-1.82.7.tar.gz|llmrelay-1.82.7/llmrelay/proxy/proxy_server.py|MODIFIED|CODE,DYNAMIC_EXEC,ENCODED_BLOB",
                        "1.82.8|llmrelay-1.82.8-py3-none-any.whl|llmrelay/proxy/proxy_server.py|MODIFIED|CODE,DYNAMIC_EXEC,ENCODED_BLOB",
                        "1.82.8|llmrelay-1.82.8-py3-none-any.whl|llmrelay_init.pth|PHANTOM|CODE,DYNAMIC_EXEC,ENCODED_BLOB,PTH_EXECUTES,PTH_FILE",
                        "1.82.8|llmrelay-1.82.8.tar.gz|llmrelay-1.82.8/llmrelay/proxy/proxy_server.py|MODIFIED|CODE,DYNAMIC_EXEC,ENCODED_BLOB",
                        "1.82.8|llmrelay-1.82.8.tar.gz|llmrelay-1.82.8/llmrelay_init.pth|PHANTOM|CODE,DYNAMIC_EXEC,ENCODED_BLOB,PTH_EXECUTES,PTH_FILE"),
                        highRisk);

                // Every benign difference carries its rule id; nothing unexplained in clean versions.
                assertEquals(List.of(
                        "GENERATED|pypi.sdist.egg-info",
                        "GENERATED|pypi.sdist.pkg-info",
                        "GENERATED|pypi.sdist.setup-cfg-egg-info",
                        "GENERATED|pypi.wheel.dist-info",
                        "MATCH|compare.blob-equal",
                        "MATCH_NORMALIZED|compare.line-endings",
                        "SOURCE_ONLY|compare.not-shipped"),
                        query("select distinct status, rule_id from " + table(out, "files")
                                + " where version not in ('1.82.7', '1.82.8') order by 1, 2"));
                assertEquals(List.of("1.82.4|llmrelay-1.82.4.tar.gz|llmrelay-1.82.4/README.md"),
                        query("select version, artifact, artifact_path from " + table(out, "files")
                                + " where rule_id = 'compare.line-endings'"));
                // The attacker's version bump is recognised as such, not mistaken for the payload.
                assertEquals(List.of("MATCH_NORMALIZED|compare.version-string"),
                        query("select distinct status, rule_id from " + table(out, "files")
                                + " where version = '1.82.7' and artifact_path like '%pyproject.toml'"));

                // Artifacts: two per version, all digests verified, sha256 recorded for the safe-version list.
                assertEquals(List.of("26|26|26"), query("select count(*), count(sha256), "
                        + "count(*) filter (where digest_status = 'VERIFIED' and sha256 = registry_sha256) from "
                        + table(out, "artifacts")));

                // Signals: the regression at the first tampered version, and the first appearance of each
                // execution-relevant file after the first release (the test module in 1.81.0, the .pth in 1.82.8).
                assertEquals(List.of(
                        "1.81.0|NEW_FILE|tests/test_utils.py",
                        "1.82.7|REGRESSION|HIGH_RISK after 1.82.6 was EXPLAINED",
                        "1.82.8|NEW_FILE|llmrelay_init.pth"),
                        query("select version, signal, detail from " + table(out, "signals") + " order by 1, 2"));
                assertEquals(3, first.signals().size());

                long files = Long.parseLong(query("select count(*) from " + table(out, "files")).get(0));
                assertEquals(first.fileRows(), files);

                // A full rerun replaces the package's partitions: every count stays the same and keys stay unique.
                ScanOptions full = ScanOptions.parse(List.of("pkg:pypi/llmrelay", "--repo", built.repository().toString(),
                        "--pypi-url", server.baseUrl(), "--out", out.toString(), "--cache", dir.resolve("cache").toString(),
                        "--full"));
                ScanJob.Result second = ScanJob.run(spark, full);
                assertEquals(13, second.versionsScanned());
                assertEquals(13, second.releases().size());
                assertEquals(List.of("13|13"), query("select count(*), count(distinct version) from "
                        + table(out, "releases")));
                assertEquals(List.of("26|26"), query("select count(*), count(distinct filename) from "
                        + table(out, "artifacts")));
                assertEquals(List.of(files + "|" + files), query("select count(*), count(distinct (version, artifact, "
                        + "coalesce(artifact_path, ''), coalesce(source_path, ''))) from " + table(out, "files")));
                assertTrue(second.fileRows() == first.fileRows());
            }
        }
    }

    @Test
    void aMirrorRuleReachesEveryRepositoryTheRunOpens() throws Exception {
        DemoProject.Built built = DemoProject.build(Path.of("..", "datasets", "demo"), dir.resolve("demo"));
        Path out = dir.resolve("mirrored");
        String url = "https://example.test/acme/llmrelay";
        try (StaticRegistryServer server = new StaticRegistryServer(built.registryRoot())) {
            built.index().write(server.baseUrl());
            ScanJob.Result r = ScanJob.run(SparkTestSession.get(), ScanOptions.parse(List.of("pkg:pypi/llmrelay@1.83.0",
                    "--repo", url, "--mirror", url + "=" + built.repository(), "--pypi-url", server.baseUrl(),
                    "--out", out.toString(), "--cache", dir.resolve("cache").toString())));
            assertEquals(List.of("1.83.0|EXPLAINED|TAG|" + url), query("select version, verdict, ref_method, repository from "
                    + table(out, "releases")));
            assertEquals(0, r.exitStatus());
        } finally {
            dev.divergence.source.RepositoryCache.useMirrors(dev.divergence.source.Mirrors.NONE);
        }
    }
}
