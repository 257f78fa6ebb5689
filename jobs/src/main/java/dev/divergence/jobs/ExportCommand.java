package dev.divergence.jobs;

import dev.divergence.model.PackageId;
import java.io.PrintStream;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * {@code divergence export}: the verified-release list per package, the list LiteLLM's maintainers assembled by hand
 * after their compromise — per version and published file, its SHA-256 and the registry's digest, the commit and how
 * it was found, the verdict and its evidence. Reads the dataset with Spark (as {@code sql} does: any Hadoop
 * filesystem), builds plain records ({@link Release}), and hands them to {@link ExportFormats}.
 */
final class ExportCommand {

    enum Format {
        MD, CSV, JSON, OSV, SARIF
    }

    /** What to export; {@code packages} empty means every package in the dataset. */
    record Request(String out, List<PackageId.Ref> packages, Optional<Instant> since, Format format) {
        static Request of(String out, List<String> purls, String since, Format format) throws ScanOptions.UsageException {
            List<PackageId.Ref> refs = new ArrayList<>();
            for (String purl : purls) {
                try {
                    refs.add(PackageId.parseRef(purl));
                } catch (IllegalArgumentException e) {
                    throw new ScanOptions.UsageException("--package: " + e.getMessage());
                }
            }
            return new Request(out, refs, since == null ? Optional.empty() : Optional.of(instant(since)), format);
        }

        private static Instant instant(String since) throws ScanOptions.UsageException {
            try {
                return since.length() == 10 ? LocalDate.parse(since).atStartOfDay(ZoneOffset.UTC).toInstant()
                        : Instant.parse(since);
            } catch (DateTimeParseException e) {
                throw new ScanOptions.UsageException("--since takes YYYY-MM-DD or an ISO-8601 instant "
                        + "(2026-03-24T10:00:00Z), not '" + since + "'");
            }
        }
    }

    /** One published file of a version. {@code digestStatus}: VERIFIED, MISMATCH, NOT_PUBLISHED, NOT_FETCHED. */
    record Artifact(String file, String kind, long size, String url, String sha256, String registryDigest,
                    String digestStatus, String verdict, List<String> highRiskFiles, List<String> divergentFiles) {

        /** Whether the bytes downloaded matched the digest the registry publishes; empty when it publishes none. */
        Optional<Boolean> digestMatched() {
            return switch (digestStatus) {
                case "VERIFIED" -> Optional.of(true);
                case "MISMATCH" -> Optional.of(false);
                default -> Optional.empty();
            };
        }
    }

    /** A file that diverges (or is high risk) in one artifact: what SARIF and OSV records point at. */
    record Finding(String artifact, String path, String sourcePath, String status, String ruleId,
                   List<String> riskFlags, boolean highRisk, String detail, String sha256, String kind) {
    }

    /** One version with its files, its evidence and the strict "verified" judgement. */
    record Release(String ecosystem, String pkg, String version, int order, Optional<Instant> published,
                   boolean yanked, String repository, String commit, String refMethod, String tag, String verdict,
                   String reason, int unverifiedFiles, List<String> explainedRules, List<String> divergentFiles,
                   List<String> highRiskFiles, List<Artifact> artifacts, List<Finding> findings) {

        /**
         * Verified, strictly: every published file is byte-identical to the commit ({@code CLEAN}), or every difference
         * is explained by a rule that checked the content ({@code EXPLAINED} with no file explained by name only —
         * build output and compiled classes that only a rebuild can verify).
         */
        boolean verified() {
            return verdict.equals("CLEAN") || (verdict.equals("EXPLAINED") && unverifiedFiles == 0);
        }

        String purl() {
            return new PackageId(dev.divergence.model.Ecosystem.fromPurlType(ecosystem), pkg).purl();
        }
    }

    private ExportCommand() {
    }

    static int run(Request request, PrintStream out, PrintStream err) throws ScanOptions.UsageException {
        Preflight.readableDataset("--out", request.out());
        SparkSession spark = SparkSessions.create("divergence-export", Optional.empty());
        try {
            List<Release> releases = read(spark, DatasetLocation.of(request.out()), request);
            if (releases.isEmpty()) {
                err.println("divergence export: no version in " + request.out() + " matches"
                        + (request.packages().isEmpty() ? "" : " " + request.packages().stream()
                        .map(PackageId.Ref::toString).collect(java.util.stream.Collectors.joining(", ")))
                        + request.since().map(s -> " published since " + s).orElse(""));
                return Main.USAGE;
            }
            ExportFormats.write(releases, request, out);
            out.flush();
            return Main.OK;
        } finally {
            spark.stop();
        }
    }

    /** The requested versions, each package's in release order, packages by purl. */
    static List<Release> read(SparkSession spark, DatasetLocation dataset, Request request) {
        Column selected = selection(request);
        Dataset<Row> releases = spark.read().parquet(dataset.table(Tables.RELEASES)).where(selected)
                .where("version <> ''");
        if (request.since().isPresent()) {
            releases = releases.where(functions.col("published").geq(functions.lit(Timestamp.from(request.since().get()))));
        }
        releases = releases.cache();
        Dataset<Row> keys = releases.select("ecosystem", "package", "version");
        List<Row> artifactRows = dataset.hasData(spark, Tables.ARTIFACTS)
                ? spark.read().parquet(dataset.table(Tables.ARTIFACTS)).where(selected)
                        .join(keys, toSeq("ecosystem", "package", "version"), "left_semi").collectAsList() : List.of();
        List<Row> findingRows = dataset.hasData(spark, Tables.FILES)
                ? spark.read().parquet(dataset.table(Tables.FILES)).where(selected)
                        .where("high_risk or status in ('MODIFIED', 'IN_HISTORY', 'PHANTOM', 'IN_SUBMODULE')")
                        .join(keys, toSeq("ecosystem", "package", "version"), "left_semi")
                        .orderBy("version", "artifact", "artifact_path").collectAsList() : List.of();
        Map<String, List<Artifact>> artifacts = new LinkedHashMap<>();
        for (Row a : artifactRows) {
            artifacts.computeIfAbsent(key(a), k -> new ArrayList<>()).add(new Artifact(a.getAs("filename"),
                    a.getAs("kind"), a.<Long>getAs("size"), a.getAs("url"), a.getAs("sha256"), a.getAs("registry_digest"),
                    a.getAs("digest_status"), a.getAs("verdict"), strings(a, "high_risk_files"),
                    strings(a, "divergent_files")));
        }
        artifacts.values().forEach(list -> list.sort(java.util.Comparator.comparing(Artifact::file)));
        Map<String, List<Finding>> findings = new LinkedHashMap<>();
        for (Row f : findingRows) {
            findings.computeIfAbsent(key(f), k -> new ArrayList<>()).add(new Finding(f.getAs("artifact"),
                    f.getAs("artifact_path"), f.getAs("source_path"), f.getAs("status"), f.getAs("rule_id"),
                    strings(f, "risk_flags"), Boolean.TRUE.equals(f.getAs("high_risk")), f.getAs("detail"),
                    f.getAs("artifact_sha256"), has(f, "kind") ? f.getAs("kind") : null));
        }
        Map<String, List<Row>> byPackage = new java.util.TreeMap<>();
        for (Row r : releases.collectAsList()) {
            byPackage.computeIfAbsent(r.getAs("ecosystem") + "/" + r.getAs("package"), k -> new ArrayList<>()).add(r);
        }
        releases.unpersist();
        List<Release> out = new ArrayList<>();
        for (List<Row> rows : byPackage.values()) {
            List<Row> ordered = new ArrayList<>(rows);
            ordered.sort(Summary.releaseOrder(ordered));
            int place = 0;
            for (Row r : ordered) {
                place++;
                Timestamp published = r.getAs("published");
                Integer unverified = r.getAs("unverified_files");
                out.add(new Release(r.getAs("ecosystem"), r.getAs("package"), r.getAs("version"), place,
                        Optional.ofNullable(published).map(Timestamp::toInstant), Boolean.TRUE.equals(r.getAs("yanked")),
                        r.getAs("repository"), r.getAs("commit"), r.getAs("ref_method"), r.getAs("tag"),
                        r.getAs("verdict"), r.getAs("reason"), unverified == null ? 0 : unverified,
                        strings(r, "explained_rules"), strings(r, "divergent_files"), strings(r, "high_risk_files"),
                        artifacts.getOrDefault(key(r), List.of()), findings.getOrDefault(key(r), List.of())));
            }
        }
        return out;
    }

    /** The partitions (and, for a PURL@VERSION, the version) the request names. */
    private static Column selection(Request request) {
        if (request.packages().isEmpty()) {
            return functions.lit(true);
        }
        Column any = functions.lit(false);
        for (PackageId.Ref ref : request.packages()) {
            Column one = functions.col("ecosystem").equalTo(ref.pkg().ecosystem().purlType())
                    .and(functions.col("package").equalTo(ref.pkg().name()));
            if (ref.version().isPresent()) {
                one = one.and(functions.col("version").equalTo(ref.version().get()));
            }
            any = any.or(one);
        }
        return any;
    }

    private static String key(Row r) {
        return r.getAs("ecosystem") + "\u0000" + r.getAs("package") + "\u0000" + r.getAs("version");
    }

    private static boolean has(Row r, String column) {
        try {
            r.fieldIndex(column);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static List<String> strings(Row r, String column) {
        int i = r.fieldIndex(column);
        return r.isNullAt(i) ? List.of() : List.copyOf(r.getList(i));
    }

    private static scala.collection.immutable.Seq<String> toSeq(String... names) {
        return scala.jdk.javaapi.CollectionConverters.asScala(List.of(names)).toList();
    }
}
