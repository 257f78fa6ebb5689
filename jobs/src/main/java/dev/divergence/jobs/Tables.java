package dev.divergence.jobs;

import dev.divergence.compare.FileKinds;
import dev.divergence.compare.Reference;
import dev.divergence.compare.Verdicts;
import dev.divergence.model.ArtifactReport;
import dev.divergence.model.Ecosystem;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileStatus;
import dev.divergence.model.ReleaseReport;
import dev.divergence.model.RiskFlag;
import dev.divergence.model.Verdict;
import dev.divergence.rebuild.Instructions;
import dev.divergence.rebuild.RebuildComparison;
import dev.divergence.rebuild.RebuildReport;
import dev.divergence.rebuild.RebuildVerdict;
import dev.divergence.scan.EngineVersion;
import dev.divergence.scan.History;
import dev.divergence.scan.ReleaseFlags;
import java.io.Serializable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The dataset's tables: schema and the conversion of core reports into rows. {@code datasets/SCHEMA.md}
 * documents every column; keep the two in step (a test compares them).
 */
public final class Tables {

    public static final String RELEASES = "releases";
    public static final String ARTIFACTS = "artifacts";
    public static final String FILES = "files";
    public static final String SIGNALS = "signals";
    public static final String SCANS = "scans";
    /** Written in this order: releases last, as the ledger the next run's incremental plan reads (see Staging). */
    public static final List<String> ALL = List.of(RELEASES, ARTIFACTS, FILES);
    public static final List<String> WRITE_ORDER = List.of(FILES, ARTIFACTS, RELEASES);
    public static final List<String> PARTITION_COLUMNS = List.of("ecosystem", "package");

    /** A row destined for one table; one RDD carries all three so a release is scanned once. */
    public record TableRow(String table, Row row) implements Serializable {
    }


    public static final StructType RELEASES_SCHEMA = new StructType(new StructField[] {
        f("ecosystem", DataTypes.StringType, false),
        f("package", DataTypes.StringType, false),
        f("version", DataTypes.StringType, false),
        f("published", DataTypes.TimestampType, true),
        f("yanked", DataTypes.BooleanType, false),
        f("repository", DataTypes.StringType, true),
        f("commit", DataTypes.StringType, true),
        f("ref_method", DataTypes.StringType, false),
        f("tag", DataTypes.StringType, true),
        f("ref_candidates", strings(), false),
        f("ref_agreement", DataTypes.BooleanType, true),
        f("manifest_version", DataTypes.StringType, true),
        f("ref_note", DataTypes.StringType, true),
        f("artifact_count", DataTypes.IntegerType, false),
        f("verdict", DataTypes.StringType, false),
        f("reason", DataTypes.StringType, true),
        f("high_risk_files", strings(), false),
        f("divergent_files", strings(), false),
        f("explained_rules", strings(), false),
        f("unverified_files", DataTypes.IntegerType, false),
        f("scan_millis", DataTypes.LongType, false),
        f("engine_version", DataTypes.StringType, false),
        f("rules_version", DataTypes.StringType, false),
        f("scanned_at", DataTypes.TimestampType, false),
        f("version_order", DataTypes.IntegerType, false),
        // Nullable: a version no longer listed keeps the row an older engine wrote, without these columns.
        f("doc_only_divergence", DataTypes.BooleanType, true),
        f("repository_older", DataTypes.BooleanType, true),
        // Rebuild mode (null in rows an engine before it wrote: those were fetch mode).
        f("mode", DataTypes.StringType, true),
        f("rebuild_verdict", DataTypes.StringType, true),
        f("rebuild_strategy", DataTypes.StringType, true),
        // The side branch that alone holds the compared commit (null when a tag, the default branch or no commit).
        f("baseline_branch", DataTypes.StringType, true),
    });

    /** Where {@code version_order} sits in a release row: filled in when the package's ledger is written. */
    public static final int VERSION_ORDER = RELEASES_SCHEMA.fieldIndex("version_order");

    public static final StructType ARTIFACTS_SCHEMA = new StructType(new StructField[] {
        f("ecosystem", DataTypes.StringType, false),
        f("package", DataTypes.StringType, false),
        f("version", DataTypes.StringType, false),
        f("filename", DataTypes.StringType, false),
        f("kind", DataTypes.StringType, false),
        f("url", DataTypes.StringType, false),
        f("size", DataTypes.LongType, false),
        f("uploaded", DataTypes.TimestampType, true),
        f("yanked", DataTypes.BooleanType, false),
        f("registry_sha256", DataTypes.StringType, true),
        f("registry_digest", DataTypes.StringType, true),
        f("sha256", DataTypes.StringType, true),
        f("digest_status", DataTypes.StringType, false),
        f("commit", DataTypes.StringType, true),
        f("file_count", DataTypes.LongType, false),
        f("match", DataTypes.IntegerType, false),
        f("match_normalized", DataTypes.IntegerType, false),
        f("generated", DataTypes.IntegerType, false),
        f("modified", DataTypes.IntegerType, false),
        f("in_history", DataTypes.IntegerType, false),
        f("phantom", DataTypes.IntegerType, false),
        f("build_output", DataTypes.IntegerType, false),
        f("source_only", DataTypes.IntegerType, false),
        f("uncompared", DataTypes.IntegerType, false),
        f("unverified_files", DataTypes.IntegerType, false),
        f("verdict", DataTypes.StringType, false),
        f("reason", DataTypes.StringType, true),
        f("high_risk_files", strings(), false),
        f("divergent_files", strings(), false),
        f("engine_version", DataTypes.StringType, false),
        f("rules_version", DataTypes.StringType, false),
        f("mode", DataTypes.StringType, true),
        f("rebuild_verdict", DataTypes.StringType, true),
        f("rebuild_passes", strings(), true),
        f("instructions", DataTypes.StringType, true),
        f("rebuilt_sha256", DataTypes.StringType, true),
    });

    public static final StructType FILES_SCHEMA = new StructType(new StructField[] {
        f("ecosystem", DataTypes.StringType, false),
        f("package", DataTypes.StringType, false),
        f("version", DataTypes.StringType, false),
        f("artifact", DataTypes.StringType, false),
        f("artifact_path", DataTypes.StringType, true),
        f("source_path", DataTypes.StringType, true),
        f("status", DataTypes.StringType, false),
        f("rule_id", DataTypes.StringType, false),
        f("artifact_sha256", DataTypes.StringType, true),
        f("source_sha256", DataTypes.StringType, true),
        f("artifact_blob_id", DataTypes.StringType, true),
        f("source_blob_id", DataTypes.StringType, true),
        f("artifact_size", DataTypes.LongType, true),
        f("source_size", DataTypes.LongType, true),
        f("risk_flags", strings(), false),
        f("high_risk", DataTypes.BooleanType, false),
        f("detail", DataTypes.StringType, true),
        f("commit", DataTypes.StringType, true),
        f("kind", DataTypes.StringType, true), // null only in rows an older engine wrote (see releases)
        f("mode", DataTypes.StringType, true),
    });

    public static final StructType SIGNALS_SCHEMA = new StructType(new StructField[] {
        f("ecosystem", DataTypes.StringType, false),
        f("package", DataTypes.StringType, false),
        f("version", DataTypes.StringType, false),
        f("signal", DataTypes.StringType, false),
        f("detail", DataTypes.StringType, true),
        f("run_id", DataTypes.StringType, false),
        f("detected_at", DataTypes.TimestampType, false),
    });

    public static final StructType SCANS_SCHEMA = new StructType(new StructField[] {
        f("run_id", DataTypes.StringType, false),
        f("started_at", DataTypes.TimestampType, false),
        f("finished_at", DataTypes.TimestampType, false),
        f("duration_millis", DataTypes.LongType, false),
        f("packages", DataTypes.IntegerType, false),
        f("package_errors", DataTypes.IntegerType, false),
        f("versions_listed", DataTypes.IntegerType, false),
        f("versions_scanned", DataTypes.IntegerType, false),
        f("versions_skipped", DataTypes.IntegerType, false),
        f("versions_error", DataTypes.IntegerType, false),
        f("signals", DataTypes.IntegerType, false),
        f("packages_rewritten", strings(), false),
        f("errors", strings(), false),
        f("exit_status", DataTypes.IntegerType, false),
        f("engine_version", DataTypes.StringType, false),
        f("rules_version", DataTypes.StringType, false),
    });

    private Tables() {
    }

    public static StructType schema(String table) {
        return switch (table) {
            case RELEASES -> RELEASES_SCHEMA;
            case ARTIFACTS -> ARTIFACTS_SCHEMA;
            case FILES -> FILES_SCHEMA;
            case SIGNALS -> SIGNALS_SCHEMA;
            case SCANS -> SCANS_SCHEMA;
            default -> throw new IllegalArgumentException(table);
        };
    }

    private static StructField f(String name, org.apache.spark.sql.types.DataType type, boolean nullable) {
        return DataTypes.createStructField(name, type, nullable);
    }

    private static org.apache.spark.sql.types.DataType strings() {
        return DataTypes.createArrayType(DataTypes.StringType, false);
    }

    /** All rows of one release report, for the three tables (fetch mode). */
    public static List<TableRow> rows(ReleaseReport r, Instant scannedAt) {
        return rows(r, List.of(), ScanOptions.Mode.FETCH, scannedAt);
    }

    /**
     * All rows of one version in {@code mode}: the fetch comparison's artifact and file rows ({@code mode = 'fetch'}),
     * the rebuild comparison's ({@code 'rebuild'}), or both. The release row's verdict is the fetch verdict raised by a
     * rebuild that differs ({@code both}), or the rebuilds' alone ({@code rebuild}).
     */
    public static List<TableRow> rows(ReleaseReport r, List<RebuildReport> rebuilds, ScanOptions.Mode mode,
                                      Instant scannedAt) {
        List<TableRow> out = new ArrayList<>();
        String eco = r.release().pkg().ecosystem().purlType();
        String pkg = r.release().pkg().name();
        String version = r.release().version();
        String commit = r.ref().commit().orElse(null);
        TreeSet<String> high = new TreeSet<>();
        TreeSet<String> divergent = new TreeSet<>();
        TreeSet<String> explained = new TreeSet<>();
        int unverified = 0;
        if (mode.fetches()) {
            for (ArtifactReport a : r.artifacts()) {
                unverified += Verdicts.unverifiedCount(a.files());
                a.highRiskPaths().forEach(p -> high.add(a.artifact().filename() + ":" + p));
                a.divergentPaths().forEach(p -> divergent.add(a.artifact().filename() + ":" + p));
                for (FileDivergence fd : a.files()) {
                    if (fd.status() == FileStatus.GENERATED || fd.status() == FileStatus.MATCH_NORMALIZED
                            || fd.status() == FileStatus.BUILD_OUTPUT) {
                        explained.add(fd.ruleId());
                    }
                }
                out.add(new TableRow(ARTIFACTS, artifactRow(eco, pkg, version,
                        a.verdict() == Verdict.NO_SOURCE ? null : commit, a, Reference.Mode.FETCH, Optional.empty())));
                for (FileDivergence fd : a.files()) {
                    out.add(new TableRow(FILES, fileRow(r.release().pkg().ecosystem(), pkg, version, commit, fd,
                            Reference.Mode.FETCH)));
                }
            }
        }
        Verdict verdict = r.verdict();
        Optional<String> reason = r.reason();
        if (mode.rebuilds()) {
            List<String> rebuildReasons = new ArrayList<>();
            for (RebuildReport b : rebuilds) {
                Optional<ArtifactReport> fetched = r.artifacts().stream()
                        .filter(a -> a.artifact().filename().equals(b.artifact().filename())).findFirst();
                b.highRiskPaths().forEach(p -> high.add(b.artifact().filename() + ":" + p));
                b.divergentPaths().forEach(p -> divergent.add(b.artifact().filename() + ":" + p));
                b.passes().forEach(p -> explained.add(RebuildComparison.STABILIZED + ":" + p));
                b.reason().ifPresent(x -> rebuildReasons.add(b.artifact().filename() + " (rebuild " + b.rebuildVerdict()
                        + "): " + firstLines(x)));
                ArtifactReport compared = b.comparison(fetched.map(ArtifactReport::digestStatus)
                        .orElse(dev.divergence.model.DigestStatus.NOT_FETCHED), fetched.flatMap(ArtifactReport::sha256));
                out.add(new TableRow(ARTIFACTS, artifactRow(eco, pkg, version, commit, compared, Reference.Mode.REBUILD,
                        Optional.of(b))));
                for (FileDivergence fd : b.files()) {
                    out.add(new TableRow(FILES, fileRow(r.release().pkg().ecosystem(), pkg, version, commit, fd,
                            Reference.Mode.REBUILD)));
                }
            }
            Verdict rebuilt = rebuilds.isEmpty() ? Verdict.NO_SOURCE
                    : Verdicts.release(rebuilds.stream().map(RebuildReport::verdict).toList());
            Verdict before = verdict;
            verdict = mode.fetches() ? RebuildReport.combine(verdict, rebuilds) : rebuilt;
            String joined = rebuilds.isEmpty() ? "no file of this version is rebuilt for " + eco
                    : String.join(" | ", rebuildReasons);
            if (!mode.fetches()) {
                reason = joined.isEmpty() ? Optional.empty() : Optional.of(joined);
            } else if (verdict != before && !joined.isEmpty()) {
                reason = Optional.of(joined + reason.map(x -> " | " + x).orElse(""));
            }
        }
        out.add(0, new TableRow(RELEASES, RowFactory.create(eco, pkg, version, ts(r.release().published()),
                r.release().yanked(), r.repository().orElse(null), commit, r.ref().method().name(),
                r.ref().tag().orElse(null), r.ref().candidates().toArray(new String[0]),
                r.ref().agreement().orElse(null), r.ref().manifestVersion().orElse(null), r.ref().note().orElse(null),
                r.artifacts().size(), verdict.name(), reason.orElse(null), high.toArray(new String[0]),
                divergent.toArray(new String[0]), explained.toArray(new String[0]), unverified, r.scanMillis(),
                EngineVersion.ENGINE, EngineVersion.RULES, Timestamp.from(scannedAt),
                0, // version_order: a place among all the package's versions, set when the ledger is written
                ReleaseFlags.docOnlyDivergence(r), ReleaseFlags.repositoryOlder(r), mode.label(),
                mode.rebuilds() ? worst(rebuilds).map(Enum::name).orElse(null) : null,
                mode.rebuilds() ? rebuilds.stream().map(RebuildReport::strategy).distinct().sorted()
                        .reduce((x, y) -> x + "," + y).orElse("none") : null,
                r.ref().baselineBranch().orElse(null))));
        return out;
    }

    /** The version's rebuild verdict: the most telling of its files' (DIFFERS first, REPRODUCED last). */
    static Optional<RebuildVerdict> worst(List<RebuildReport> rebuilds) {
        List<RebuildVerdict> order = List.of(RebuildVerdict.DIFFERS, RebuildVerdict.BUILD_FAILED,
                RebuildVerdict.UNSUPPORTED_ENV, RebuildVerdict.REPRODUCED_AFTER_STABILIZE, RebuildVerdict.REPRODUCED);
        return rebuilds.stream().map(RebuildReport::rebuildVerdict).min(java.util.Comparator.comparingInt(order::indexOf));
    }

    private static String firstLines(String s) {
        return s.length() <= 2000 ? s : s.substring(0, 2000) + " ...";
    }

    /**
     * One artifacts row, whichever reference its files were compared with: the commit ({@code fetch}) or the file
     * rebuilt from it ({@code rebuild}, which adds the rebuild's verdict, passes, instructions and rebuilt digest).
     */
    private static Row artifactRow(String eco, String pkg, String version, String commit, ArtifactReport a,
                                   Reference.Mode mode, Optional<RebuildReport> rebuild) {
        var c = a.statusCounts();
        return RowFactory.create(eco, pkg, version, a.artifact().filename(), a.artifact().kind().name(),
                a.artifact().url(), a.artifact().size(), ts(a.artifact().uploaded()), a.artifact().yanked(),
                a.artifact().sha256().orElse(null), History.registryDigest(a.artifact()).orElse(null), a.sha256().orElse(null),
                a.digestStatus().name(), commit, a.fileCount(),
                n(c, FileStatus.MATCH), n(c, FileStatus.MATCH_NORMALIZED), n(c, FileStatus.GENERATED),
                n(c, FileStatus.MODIFIED), n(c, FileStatus.IN_HISTORY), n(c, FileStatus.PHANTOM),
                n(c, FileStatus.BUILD_OUTPUT), n(c, FileStatus.SOURCE_ONLY), n(c, FileStatus.UNCOMPARED),
                Verdicts.unverifiedCount(a.files()), a.verdict().name(), a.reason().orElse(null),
                a.highRiskPaths().toArray(new String[0]), a.divergentPaths().toArray(new String[0]),
                EngineVersion.ENGINE, EngineVersion.RULES, mode.label(),
                rebuild.map(b -> b.rebuildVerdict().name()).orElse(null),
                rebuild.map(b -> b.passes().toArray(new String[0])).orElse(null),
                rebuild.flatMap(RebuildReport::instructions).map(Instructions::toJson).orElse(null),
                rebuild.flatMap(RebuildReport::rebuiltSha256).orElse(null));
    }

    private static Row fileRow(Ecosystem eco, String pkg, String version, String commit, FileDivergence f,
                               Reference.Mode mode) {
        return RowFactory.create(eco.purlType(), pkg, version, f.artifactFilename(), f.artifactPath().orElse(null),
                f.sourcePath().orElse(null), f.status().name(), f.ruleId(), f.artifactSha256().orElse(null),
                f.sourceSha256().orElse(null), f.artifactBlobId().orElse(null), f.sourceBlobId().orElse(null),
                f.artifactSize() < 0 ? null : f.artifactSize(), f.sourceSize() < 0 ? null : f.sourceSize(),
                flagNames(f.riskFlags()), f.highRisk(),
                f.detail().orElse(null), commit, FileKinds.of(eco, f).name(), mode.label());
    }

    /**
     * A files row in Spark's internal form, as {@code CatalystTypeConverters} would give it for {@link #FILES_SCHEMA}
     * (text as UTF-8, arrays as array data, longs and booleans as they are): written for the columns' four types, since
     * the generic converter's dispatch cost as much as the UTF-8 encoding for every value of every file row.
     */
    static org.apache.spark.sql.catalyst.InternalRow internalFileRow(Row r) {
        return new InternalFileRows().apply(r);
    }

    /**
     * {@link #internalFileRow} for a stream of file rows (one per task): a column holding the same text or flags as in
     * the row before reuses that row's converted value. A version's rows repeat most columns (ecosystem, package,
     * version, artifact, commit, mode, and runs of status, rule id, kind and flags), which were encoded to UTF-8 anew
     * for every row. Converted values are never changed after they are made (the writer copies them), so sharing
     * them between rows is safe.
     */
    static final class InternalFileRows implements java.util.function.Function<Row,
            org.apache.spark.sql.catalyst.InternalRow> {
        private final Object[] lastIn = new Object[FILES_SCHEMA.size()];
        private final Object[] lastOut = new Object[FILES_SCHEMA.size()];

        @Override
        public org.apache.spark.sql.catalyst.InternalRow apply(Row r) {
            Object[] values = new Object[r.length()];
            for (int i = 0; i < values.length; i++) {
                Object v = r.get(i);
                if (v instanceof String s) {
                    values[i] = i < lastIn.length && s.equals(lastIn[i]) ? lastOut[i]
                            : remember(i, s, org.apache.spark.unsafe.types.UTF8String.fromString(s));
                } else if (v instanceof String[] a) {
                    values[i] = i < lastIn.length && lastIn[i] instanceof String[] before
                            && java.util.Arrays.equals(a, before) ? lastOut[i] : remember(i, a, texts(a));
                } else if (v == null || v instanceof Long || v instanceof Boolean) {
                    values[i] = v;
                } else {
                    throw new IllegalArgumentException("files." + FILES_SCHEMA.fields()[i].name() + ": unexpected "
                            + v.getClass().getName());
                }
            }
            return new org.apache.spark.sql.catalyst.expressions.GenericInternalRow(values);
        }

        private Object remember(int i, Object in, Object out) {
            if (i < lastIn.length) {
                lastIn[i] = in;
                lastOut[i] = out;
            }
            return out;
        }

        private static org.apache.spark.sql.catalyst.util.GenericArrayData texts(String[] a) {
            Object[] texts = new Object[a.length];
            for (int k = 0; k < a.length; k++) {
                texts[k] = org.apache.spark.unsafe.types.UTF8String.fromString(a[k]);
            }
            return new org.apache.spark.sql.catalyst.util.GenericArrayData(texts);
        }
    }

    /** The flags' names in order (every file row asks: no stream). */
    private static String[] flagNames(java.util.Set<RiskFlag> flags) {
        String[] out = new String[flags.size()];
        int i = 0;
        for (RiskFlag flag : flags) {
            out[i++] = flag.name();
        }
        java.util.Arrays.sort(out);
        return out;
    }

    /** A release row for a package whose registry could not list it: nothing is lost, the reason is kept. */
    public static TableRow packageErrorRow(String eco, String pkg, String reason, Optional<String> repo,
                                           Instant scannedAt) {
        return new TableRow(RELEASES, RowFactory.create(eco, pkg, "", null, false, repo.orElse(null), null, "NONE",
                null, new String[0], null, null, null, 0, "ERROR", reason, new String[0], new String[0],
                new String[0], 0, 0L, EngineVersion.ENGINE, EngineVersion.RULES, Timestamp.from(scannedAt), 0, false,
                false, null, null, null, null));
    }

    private static int n(java.util.Map<FileStatus, Integer> counts, FileStatus s) {
        return counts.getOrDefault(s, 0);
    }

    private static Timestamp ts(Optional<Instant> t) {
        return t.map(Timestamp::from).orElse(null);
    }
}
