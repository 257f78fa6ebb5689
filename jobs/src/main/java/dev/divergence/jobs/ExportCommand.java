package dev.divergence.jobs;

import dev.divergence.model.PackageId;
import dev.divergence.model.Ecosystem;
import dev.divergence.source.VersionOrder;
import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/**
 * {@code divergence export}: the verified-release list per package, the list LiteLLM's maintainers assembled by hand
 * after their compromise — per version and published file, its SHA-256 and the registry's digest, the commit and how
 * it was found, the verdict and its evidence. Reads the selected partitions with parquet-hadoop
 * ({@link ParquetTables}: any Hadoop filesystem, no Spark start-up), builds plain records ({@link Release}), and
 * hands them to {@link ExportFormats}.
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
            return new PackageId(Ecosystem.fromPurlType(ecosystem), pkg).purl();
        }
    }

    private ExportCommand() {
    }

    static int run(Request request, PrintStream out, PrintStream err) throws ScanOptions.UsageException {
        Preflight.readableDataset("--out", request.out());
        List<Release> releases = read(new ParquetTables(DatasetLocation.of(request.out())), request);
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
    }

    /** The requested versions, each package's in release order, packages by purl. */
    static List<Release> read(ParquetTables tables, Request request) {
        BiPredicate<String, String> partitions = (eco, pkg) -> request.packages().isEmpty()
                || request.packages().stream().anyMatch(r -> r.pkg().ecosystem().purlType().equals(eco)
                        && r.pkg().name().equals(pkg));
        List<Map<String, Object>> releaseRows = tables.read(Tables.RELEASES, partitions).stream()
                .filter(r -> !"".equals(r.get("version")))
                .filter(r -> selected(request, r))
                .filter(r -> request.since().isEmpty() || (r.get("published") instanceof Instant t
                        && !t.isBefore(request.since().get())))
                .toList();
        java.util.Set<String> keys = new java.util.HashSet<>();
        releaseRows.forEach(r -> keys.add(key(r)));
        Map<String, List<Artifact>> artifacts = new LinkedHashMap<>();
        for (Map<String, Object> a : tables.read(Tables.ARTIFACTS, partitions)) {
            if (keys.contains(key(a))) {
                artifacts.computeIfAbsent(key(a), k -> new ArrayList<>()).add(new Artifact(str(a, "filename"),
                        str(a, "kind"), a.get("size") instanceof Long n ? n : 0L, str(a, "url"), str(a, "sha256"),
                        str(a, "registry_digest"), str(a, "digest_status"), str(a, "verdict"),
                        strings(a, "high_risk_files"), strings(a, "divergent_files")));
            }
        }
        artifacts.values().forEach(list -> list.sort(Comparator.comparing(Artifact::file)));
        Map<String, List<Finding>> findings = new LinkedHashMap<>();
        for (Map<String, Object> f : tables.read(Tables.FILES, partitions)) {
            boolean highRisk = Boolean.TRUE.equals(f.get("high_risk"));
            if (keys.contains(key(f)) && (highRisk || DIVERGENT_STATUSES.contains(str(f, "status")))) {
                findings.computeIfAbsent(key(f), k -> new ArrayList<>()).add(new Finding(str(f, "artifact"),
                        str(f, "artifact_path"), str(f, "source_path"), str(f, "status"), str(f, "rule_id"),
                        strings(f, "risk_flags"), highRisk, str(f, "detail"), str(f, "artifact_sha256"), str(f, "kind")));
            }
        }
        findings.values().forEach(list -> list.sort(Comparator.comparing(Finding::artifact)
                .thenComparing(x -> x.path() == null ? "" : x.path())));
        Map<String, List<Map<String, Object>>> byPackage = new TreeMap<>();
        releaseRows.forEach(r -> byPackage.computeIfAbsent(r.get("ecosystem") + "/" + r.get("package"),
                k -> new ArrayList<>()).add(r));
        List<Release> out = new ArrayList<>();
        for (List<Map<String, Object>> rows : byPackage.values()) {
            List<Map<String, Object>> ordered = new ArrayList<>(rows);
            ordered.sort(releaseOrder(ordered));
            for (Map<String, Object> r : ordered) {
                out.add(new Release(str(r, "ecosystem"), str(r, "package"), str(r, "version"),
                        r.get("version_order") instanceof Integer n ? n : 0,
                        Optional.ofNullable((Instant) r.get("published")), Boolean.TRUE.equals(r.get("yanked")),
                        str(r, "repository"), str(r, "commit"), str(r, "ref_method"), str(r, "tag"), str(r, "verdict"),
                        str(r, "reason"), r.get("unverified_files") instanceof Integer n ? n : 0,
                        strings(r, "explained_rules"), strings(r, "divergent_files"), strings(r, "high_risk_files"),
                        artifacts.getOrDefault(key(r), List.of()), findings.getOrDefault(key(r), List.of())));
            }
        }
        return out;
    }

    /** Statuses of files that diverge (the findings of SARIF and OSV, with every high-risk file). */
    static final java.util.Set<String> DIVERGENT_STATUSES = java.util.Set.of("MODIFIED", "IN_HISTORY", "PHANTOM",
            "IN_SUBMODULE");

    /** A PURL@VERSION keeps only that version of its package. */
    private static boolean selected(Request request, Map<String, Object> r) {
        if (request.packages().isEmpty()) {
            return true;
        }
        return request.packages().stream().anyMatch(ref -> ref.pkg().ecosystem().purlType().equals(r.get("ecosystem"))
                && ref.pkg().name().equals(r.get("package"))
                && ref.version().map(v -> v.equals(r.get("version"))).orElse(true));
    }

    /** {@code version_order}, or the ecosystem's order of the version texts for rows written before the column. */
    private static Comparator<Map<String, Object>> releaseOrder(List<Map<String, Object>> rows) {
        if (rows.stream().allMatch(r -> r.get("version_order") instanceof Integer n && n > 0)) {
            return Comparator.comparingInt(r -> (Integer) r.get("version_order"));
        }
        Comparator<String> order = VersionOrder.over(Ecosystem.fromPurlType(str(rows.get(0), "ecosystem")),
                rows.stream().map(r -> str(r, "version")).toList());
        return Comparator.comparing(r -> str(r, "version"), order);
    }

    private static String key(Map<String, Object> r) {
        return r.get("ecosystem") + "\u0000" + r.get("package") + "\u0000" + r.get("version");
    }

    private static String str(Map<String, Object> r, String column) {
        Object v = r.get(column);
        return v == null ? null : v.toString();
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Map<String, Object> r, String column) {
        Object v = r.get(column);
        return v instanceof List<?> l ? List.copyOf((List<String>) l) : List.of();
    }
}
