package dev.divergence.jobs;

import dev.divergence.jobs.ExportCommand.Artifact;
import dev.divergence.jobs.ExportCommand.Finding;
import dev.divergence.jobs.ExportCommand.Release;
import dev.divergence.registry.EcosystemPlugin;
import dev.divergence.registry.EcosystemPlugins;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The verified-release list written as Markdown (for an advisory), CSV and JSON (for scripts and notebooks: columns in
 * README, stable), OSV records (one per {@code HIGH_RISK} version, https://ossf.github.io/osv-schema/) and SARIF 2.1.0
 * (one result per divergent or high-risk file, rule ids as SARIF rules).
 */
final class ExportFormats {

    /** What "verified" means, word for word in every format's header. */
    static final String VERIFIED = "verified = CLEAN, or EXPLAINED with no file explained by name only "
            + "(unverified_files = 0): every published byte is the commit's or what a named rule proves the packaging "
            + "tool writes. Anything else is not verified.";

    /** Each verdict in one line, from best to worst (datasets/SCHEMA.md has the full text). */
    static final Map<String, String> VERDICTS = verdicts();

    /** Columns of {@code export --format csv}, one row per published file (a version without files: one row). */
    static final List<String> CSV_COLUMNS = List.of("purl", "ecosystem", "package", "version", "version_order",
            "published", "yanked", "verdict", "verified", "file", "kind", "size", "sha256", "registry_digest",
            "digest_status", "digest_matched", "file_verdict", "commit", "ref_method", "tag", "repository",
            "unverified_files", "rules", "divergent_files", "high_risk_files", "reason");

    private static Map<String, String> verdicts() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("CLEAN", "every published file is byte-identical to the commit");
        m.put("EXPLAINED", "every difference is explained by a named rule (rules column); files explained by name "
                + "only (build output, compiled classes) are counted in unverified_files and only a rebuild verifies them");
        m.put("NO_SOURCE", "could not tell: no repository, or no commit matches the release");
        m.put("ERROR", "could not tell: download, archive or comparison failed (reason says why)");
        m.put("DIVERGENT", "differences no rule explains, none of them execution-relevant with risk signals");
        m.put("HIGH_RISK", "a difference that runs code or carries a payload (a .pth, an install script, process "
                + "execution, an encoded blob, ...): treat the version as compromised");
        return m;
    }

    private ExportFormats() {
    }

    static void write(List<Release> releases, ExportCommand.Request request, PrintStream out) {
        switch (request.format()) {
            case MD -> markdown(releases, request, out);
            case CSV -> Tabular.csv(CSV_COLUMNS, csvRows(releases), out);
            case JSON -> Tabular.writeJson(json(releases, request), out);
            case OSV -> Tabular.writeJson(osv(releases), out);
            case SARIF -> Tabular.writeJson(sarif(releases), out);
        }
    }

    // ---- Markdown: the table a maintainer pastes into an advisory

    static void markdown(List<Release> releases, ExportCommand.Request request, PrintStream out) {
        Map<String, List<Release>> byPackage = byPackage(releases);
        out.println("# Verified releases: " + String.join(", ", byPackage.keySet()));
        out.println();
        out.println("From the divergence dataset at `" + DatasetLocation.of(request.out()) + "` (divergence "
                + Main.projectVersion() + "). **" + VERIFIED.replaceFirst("^verified", "Verified") + "**");
        out.println();
        out.println("| verdict | meaning |");
        out.println("|---|---|");
        VERDICTS.forEach((v, meaning) -> out.println("| `" + v + "` | " + meaning + " |"));
        for (Map.Entry<String, List<Release>> e : byPackage.entrySet()) {
            List<Release> list = e.getValue();
            long verified = list.stream().filter(Release::verified).count();
            Map<String, Long> notVerified = list.stream().filter(r -> !r.verified())
                    .collect(Collectors.groupingBy(r -> r.verdict().equals("EXPLAINED") ? "EXPLAINED, unverified build output"
                            : r.verdict(), TreeMap::new, Collectors.counting()));
            out.println();
            out.println("## " + e.getKey());
            out.println();
            out.println(list.size() + " versions: " + verified + " verified, " + (list.size() - verified) + " not verified"
                    + (notVerified.isEmpty() ? "" : " (" + notVerified.entrySet().stream().map(x -> x.getKey() + ": "
                    + x.getValue()).collect(Collectors.joining(", ")) + ")") + ". Versions in release order.");
            out.println();
            out.println("| version | verified | verdict | file | SHA-256 | registry digest | commit | found by | evidence |");
            out.println("|---|---|---|---|---|---|---|---|---|");
            for (Release r : list) {
                List<Artifact> files = r.artifacts().isEmpty() ? java.util.Collections.singletonList(null) : r.artifacts();
                for (Artifact a : files) {
                    out.println("| " + md(r.version()) + " | " + (r.verified() ? "**yes**" : "**NO**") + " | `"
                            + r.verdict() + "` | " + (a == null ? "-" : code(a.file())) + " | "
                            + (a == null ? "-" : code(a.sha256())) + " | " + (a == null ? "-" : registryDigest(a)) + " | "
                            + code(r.commit()) + " | " + md(foundBy(r)) + " | " + md(evidence(r, a)) + " |");
                }
            }
        }
    }

    private static String registryDigest(Artifact a) {
        return switch (a.digestStatus()) {
            case "VERIFIED" -> "matched" + (a.registryDigest() == null ? "" : " (" + a.registryDigest().split(":")[0] + ")");
            case "MISMATCH" -> "**MISMATCH**: registry says " + code(a.registryDigest());
            case "NOT_PUBLISHED" -> "none published";
            default -> "not fetched";
        };
    }

    static String foundBy(Release r) {
        if (r.refMethod() == null) {
            return "";
        }
        return r.refMethod().equals("TAG") && r.tag() != null ? "tag " + r.tag()
                : r.refMethod().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    /** The evidence for one file of a version (or for the version when it has none). */
    static String evidence(Release r, Artifact a) {
        if (r.verdict().equals("CLEAN")) {
            return "byte-identical to the commit";
        }
        if (a != null && !a.highRiskFiles().isEmpty()) {
            return "high risk: " + String.join(", ", a.highRiskFiles());
        }
        if (a != null && !a.divergentFiles().isEmpty()) {
            return "unexplained: " + String.join(", ", a.divergentFiles());
        }
        if (r.verdict().equals("EXPLAINED") || (a != null && List.of("CLEAN", "EXPLAINED").contains(a.verdict()))) {
            return "rules: " + String.join(", ", r.explainedRules()) + (r.unverifiedFiles() == 0 ? ""
                    : "; " + r.unverifiedFiles() + " files explained by name only (unverified without a rebuild)");
        }
        return r.reason() == null ? "" : r.reason();
    }

    private static String code(String s) {
        return s == null || s.isEmpty() ? "-" : "`" + s.replace("`", "'") + "`";
    }

    /** A Markdown table cell: pipes escaped, one line. */
    private static String md(String s) {
        return s == null ? "" : s.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }

    // ---- CSV and JSON: for scripts and notebooks

    static List<List<Object>> csvRows(List<Release> releases) {
        List<List<Object>> rows = new ArrayList<>();
        for (Release r : releases) {
            List<Artifact> files = r.artifacts().isEmpty() ? java.util.Collections.singletonList(null) : r.artifacts();
            for (Artifact a : files) {
                rows.add(java.util.Arrays.asList(r.purl(), r.ecosystem(), r.pkg(), r.version(), r.order(),
                        r.published().map(Instant::toString).orElse(null), r.yanked(), r.verdict(), r.verified(),
                        a == null ? null : a.file(), a == null ? null : a.kind(), a == null ? null : a.size(),
                        a == null ? null : a.sha256(), a == null ? null : a.registryDigest(),
                        a == null ? null : a.digestStatus(), a == null ? null : a.digestMatched().orElse(null),
                        a == null ? null : a.verdict(), r.commit(), r.refMethod(), r.tag(), r.repository(),
                        r.unverifiedFiles(), r.explainedRules(), r.divergentFiles(), r.highRiskFiles(), r.reason()));
            }
        }
        return rows;
    }

    static Map<String, Object> json(List<Release> releases, ExportCommand.Request request) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", "divergence-export");
        doc.put("format_version", 1);
        doc.put("generator", "divergence " + Main.projectVersion());
        doc.put("dataset", DatasetLocation.of(request.out()).toString());
        doc.put("verified", VERIFIED);
        doc.put("verdicts", VERDICTS);
        List<Object> packages = new ArrayList<>();
        for (Map.Entry<String, List<Release>> e : byPackage(releases).entrySet()) {
            Map<String, Object> p = new LinkedHashMap<>();
            Release first = e.getValue().get(0);
            p.put("purl", e.getKey());
            p.put("ecosystem", first.ecosystem());
            p.put("package", first.pkg());
            List<Object> versions = new ArrayList<>();
            for (Release r : e.getValue()) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("version", r.version());
                v.put("version_order", r.order());
                v.put("published", r.published().map(Instant::toString).orElse(null));
                v.put("yanked", r.yanked());
                v.put("verdict", r.verdict());
                v.put("verified", r.verified());
                v.put("commit", r.commit());
                v.put("ref_method", r.refMethod());
                v.put("tag", r.tag());
                v.put("repository", r.repository());
                v.put("unverified_files", r.unverifiedFiles());
                v.put("rules", r.explainedRules());
                v.put("divergent_files", r.divergentFiles());
                v.put("high_risk_files", r.highRiskFiles());
                v.put("reason", r.reason());
                List<Object> files = new ArrayList<>();
                for (Artifact a : r.artifacts()) {
                    Map<String, Object> f = new LinkedHashMap<>();
                    f.put("file", a.file());
                    f.put("kind", a.kind());
                    f.put("size", a.size());
                    f.put("url", a.url());
                    f.put("sha256", a.sha256());
                    f.put("registry_digest", a.registryDigest());
                    f.put("digest_status", a.digestStatus());
                    f.put("digest_matched", a.digestMatched().orElse(null));
                    f.put("verdict", a.verdict());
                    f.put("high_risk_files", a.highRiskFiles());
                    f.put("divergent_files", a.divergentFiles());
                    files.add(f);
                }
                v.put("files", files);
                v.put("findings", r.findings().stream().map(ExportFormats::finding).toList());
                versions.add(v);
            }
            p.put("versions", versions);
            packages.add(p);
        }
        doc.put("packages", packages);
        return doc;
    }

    private static Map<String, Object> finding(Finding f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("artifact", f.artifact());
        m.put("path", f.path());
        m.put("source_path", f.sourcePath());
        m.put("status", f.status());
        m.put("rule_id", f.ruleId());
        m.put("risk_flags", f.riskFlags());
        m.put("high_risk", f.highRisk());
        m.put("kind", f.kind());
        m.put("sha256", f.sha256());
        m.put("detail", f.detail());
        return m;
    }

    // ---- OSV: one record per HIGH_RISK version

    static List<Object> osv(List<Release> releases) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        List<Object> records = new ArrayList<>();
        for (Release r : releases) {
            if (!r.verdict().equals("HIGH_RISK")) {
                continue;
            }
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("schema_version", "1.7.5");
            rec.put("id", "DIVERGENCE-" + (r.ecosystem() + "-" + r.pkg() + "-" + r.version())
                    .replaceAll("[^A-Za-z0-9._-]+", "-"));
            rec.put("modified", now);
            rec.put("published", now);
            rec.put("summary", r.purl() + "@" + r.version() + ": published files differ from the source and run code "
                    + "or carry a payload");
            rec.put("details", osvDetails(r));
            Map<String, Object> pkg = new LinkedHashMap<>();
            Optional<EcosystemPlugin> plugin = EcosystemPlugins.find(r.ecosystem());
            pkg.put("ecosystem", plugin.map(EcosystemPlugin::osvEcosystem).orElse(r.ecosystem()));
            pkg.put("name", plugin.map(p -> p.osvName(r.pkg())).orElse(r.pkg()));
            pkg.put("purl", r.purl());
            Map<String, Object> affected = new LinkedHashMap<>();
            affected.put("package", pkg);
            affected.put("versions", List.of(r.version()));
            Map<String, Object> specific = new LinkedHashMap<>();
            specific.put("files", r.artifacts().stream().map(a -> obj("file", a.file(), "sha256",
                    a.sha256() == null ? "" : a.sha256())).toList());
            specific.put("high_risk_files", r.highRiskFiles());
            affected.put("ecosystem_specific", specific);
            rec.put("affected", List.of(affected));
            if (r.repository() != null && r.repository().startsWith("https://")) {
                rec.put("references", List.of(obj("type", "WEB", "url", r.repository())));
            }
            rec.put("credits", List.of(obj("name", "divergence", "type", "TOOL")));
            Map<String, Object> db = new LinkedHashMap<>();
            db.put("source", "divergence " + Main.projectVersion());
            db.put("verdict", r.verdict());
            db.put("commit_compared", r.commit());
            db.put("ref_method", r.refMethod());
            db.put("reason", r.reason());
            rec.put("database_specific", db);
            records.add(rec);
        }
        return records;
    }

    private static String osvDetails(Release r) {
        StringBuilder sb = new StringBuilder("divergence compared every published file of " + r.purl() + " "
                + r.version() + " with its repository" + (r.commit() == null ? "" : " at commit " + r.commit()
                + " (" + foundBy(r) + ")") + ". These files make it HIGH_RISK:\n");
        for (Finding f : r.findings()) {
            if (f.highRisk()) {
                sb.append("\n- `").append(f.artifact()).append(':').append(f.path()).append("`: ").append(f.status())
                        .append(' ').append(f.riskFlags()).append(f.detail() == null ? "" : " — " + f.detail());
            }
        }
        return sb.toString();
    }

    // ---- SARIF 2.1.0: one result per divergent or high-risk file

    static Map<String, Object> sarif(List<Release> releases) {
        Map<String, Integer> ruleIndex = new LinkedHashMap<>();
        List<Object> results = new ArrayList<>();
        for (Release r : releases) {
            for (Finding f : r.findings()) {
                String rule = f.ruleId() == null ? "compare.unexplained" : f.ruleId();
                int index = ruleIndex.computeIfAbsent(rule, k -> ruleIndex.size());
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("ruleId", rule);
                result.put("ruleIndex", index);
                result.put("level", f.highRisk() ? "error" : "warning");
                result.put("message", obj("text", r.purl() + "@" + r.version() + " " + f.artifact() + ": " + f.path()
                        + " is " + f.status() + (f.riskFlags().isEmpty() ? "" : " " + f.riskFlags())
                        + (f.detail() == null ? "" : " (" + f.detail() + ")") + "; version verdict " + r.verdict()));
                String path = f.sourcePath() != null ? f.sourcePath() : f.path();
                Map<String, Object> location = new LinkedHashMap<>();
                location.put("physicalLocation", obj("artifactLocation", obj("uri", uri(path))));
                location.put("logicalLocations", List.of(obj("name", f.artifact(),
                        "fullyQualifiedName", r.purl() + "@" + r.version() + "/" + f.artifact(), "kind", "package")));
                result.put("locations", List.of(location));
                Map<String, Object> props = new LinkedHashMap<>();
                props.put("purl", r.purl());
                props.put("version", r.version());
                props.put("verdict", r.verdict());
                props.put("artifact", f.artifact());
                props.put("artifact_path", f.path());
                props.put("status", f.status());
                props.put("risk_flags", f.riskFlags());
                props.put("sha256", f.sha256());
                props.put("commit", r.commit());
                result.put("properties", props);
                results.add(result);
            }
        }
        List<Object> rules = new ArrayList<>();
        for (String id : ruleIndex.keySet()) {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("id", id);
            rule.put("name", id);
            rule.put("shortDescription", obj("text", RULE_TEXT.getOrDefault(id, "divergence rule " + id
                    + " (datasets/SCHEMA.md, files.rule_id)")));
            rules.add(rule);
        }
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("name", "divergence");
        driver.put("version", Main.projectVersion());
        driver.put("rules", rules);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("tool", obj("driver", driver));
        run.put("results", results);
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        log.put("version", "2.1.0");
        log.put("runs", List.of(run));
        return log;
    }

    private static final Map<String, String> RULE_TEXT = Map.of(
            "compare.unexplained", "The published file differs from the source at the commit and no rule explains it",
            "compare.blob-in-history", "The published file is an older version of the source file (a stale blob)",
            "compare.no-commit", "The published file exists in no commit of the repository",
            "compare.no-commit.runs", "No commit matches the release, and this file runs or carries a payload",
            "compare.in-submodule", "The file is under a submodule whose pinned commit could not be read: unverified",
            "compare.submodule-blob-differs", "The file differs from the blob its submodule's pinned commit holds",
            "compare.submodule-blob-absent", "The file is under a submodule whose pinned commit has no such file");

    /** A JSON object whose keys keep the order given (Map.of's order changes from one JVM to the next). */
    private static Map<String, Object> obj(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static String uri(String path) {
        try {
            return new URI(null, null, path, null).toASCIIString();
        } catch (URISyntaxException e) {
            return path.replaceAll("[^A-Za-z0-9._~/-]", "_");
        }
    }

    private static Map<String, List<Release>> byPackage(List<Release> releases) {
        Map<String, List<Release>> m = new LinkedHashMap<>();
        releases.forEach(r -> m.computeIfAbsent(r.purl(), k -> new ArrayList<>()).add(r));
        return m;
    }
}
