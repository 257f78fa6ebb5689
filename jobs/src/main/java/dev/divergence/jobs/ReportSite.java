package dev.divergence.jobs;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import dev.divergence.model.Ecosystem;
import dev.divergence.model.PackageId;
import dev.divergence.registry.EcosystemPlugin;
import dev.divergence.registry.EcosystemPlugins;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The static report: {@code index.html} (packages, latest verdicts, every HIGH_RISK version with its files),
 * {@code p/PACKAGE/index.html} (release timeline, files × versions heatmap, signals, versions) and
 * {@code p/PACKAGE/VERSION.html} (the drill-down: hashes, rule ids, flags, commit link, commands to reproduce).
 *
 * <p>Package names, paths, reasons and URLs are the publisher's text, so an attacker's: every value reaches the
 * page through a Mustache {@code {{value}}} tag, which HTML-escapes it (no template uses the unescaped form), a link
 * is made only from an {@code http(s)} URL, file names only from a safe slug, and each page's Content-Security-Policy
 * allows no script at all. No JavaScript, no external resource: the site opens from disk.
 */
final class ReportSite {

    /** Heatmap rows shown per package (files that differ most first); the full table is {@code data/heatmap.csv}. */
    static final int HEATMAP_ROWS = 300;
    /** DIVERGENT versions listed on the index (all are on their package pages and in {@code data/releases.csv}). */
    static final int INDEX_DIVERGENT = 500;

    private static final Set<String> VERDICTS = Set.of("CLEAN", "EXPLAINED", "NO_SOURCE", "ERROR", "DIVERGENT",
            "HIGH_RISK");
    private static final List<String> VERDICT_ORDER = List.of("HIGH_RISK", "DIVERGENT", "ERROR", "NO_SOURCE",
            "EXPLAINED", "CLEAN");
    private static final Pattern HEX40 = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern FORGE = Pattern.compile(
            "^(?:git\\+)?(?:https?|git|ssh)://(?:git@)?(github\\.com|gitlab\\.com|codeberg\\.org|bitbucket\\.org)/"
                    + "([A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)+)$");
    private static final Pattern SCP_FORGE = Pattern.compile(
            "^git@(github\\.com|gitlab\\.com|codeberg\\.org|bitbucket\\.org):([A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)+)$");
    private static final Pattern SAFE_HREF = Pattern.compile("^https?://[^\\s\"'<>`]+$");
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:@%+=,-]+");

    private final ReportData data;
    private final String dataset;
    private final MustacheFactory templates = new DefaultMustacheFactory("report");
    private final Map<String, List<Map<String, Object>>> artifactsByVersion;
    private final Map<String, List<Map<String, Object>>> filesByVersion;
    private final Map<String, List<Map<String, Object>>> signalsByPackage;
    private final Map<String, List<Map<String, Object>>> heatmapByPackage;

    private ReportSite(ReportData data, String dataset) {
        this.data = data;
        this.dataset = dataset;
        this.artifactsByVersion = groupByVersion(data.artifacts());
        this.filesByVersion = groupByVersion(data.files());
        this.signalsByPackage = group(data.signals());
        this.heatmapByPackage = group(data.heatmap());
    }

    /** What was written: the packages and versions shown. */
    record Written(int packages, int versions, Path index) {
    }

    /** Writes the site and its data into {@code dir} (created if needed; files of an earlier report are replaced). */
    static Written write(ReportData data, String dataset, Path dir) throws IOException {
        return new ReportSite(data, dataset).writeTo(dir);
    }

    private Written writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        data.write(dir.resolve("data"));
        List<Map<String, Object>> packages = new ArrayList<>();
        List<Map<String, Object>> highRisk = new ArrayList<>();
        List<Map<String, Object>> divergent = new ArrayList<>();
        for (Map.Entry<String, List<Map<String, Object>>> e : group(data.releases()).entrySet()) {
            packages.add(writePackage(dir, e.getKey(), e.getValue(), highRisk, divergent));
        }
        Path index = dir.resolve("index.html");
        Map<String, Object> page = indexPage(packages, highRisk);
        page.put("divergent", divergent.subList(0, Math.min(divergent.size(), INDEX_DIVERGENT)));
        page.put("hasDivergent", !divergent.isEmpty());
        page.put("divergentHidden", divergent.size() > INDEX_DIVERGENT ? divergent.size() - INDEX_DIVERGENT : null);
        render("index.mustache", page, index);
        return new Written(packages.size(), data.releases().size(), index);
    }

    /**
     * Writes a package's page and one page per version; returns the package's line of the index and adds its
     * HIGH_RISK versions to {@code highRisk}.
     */
    private Map<String, Object> writePackage(Path dir, String key, List<Map<String, Object>> releases,
                                             List<Map<String, Object>> highRisk, List<Map<String, Object>> divergent)
            throws IOException {
        String ecosystem = str(releases.get(0), "ecosystem");
        String name = str(releases.get(0), "package");
        String slug = slug(ecosystem + "-" + name);
        Path pkgDir = dir.resolve("p").resolve(slug);
        Files.createDirectories(pkgDir);
        List<Map<String, Object>> signals = signalsByPackage.getOrDefault(key, List.of());

        List<Map<String, Object>> versions = new ArrayList<>();
        for (Map<String, Object> r : releases) {
            String version = str(r, "version");
            Map<String, Object> v = new LinkedHashMap<>(r);
            v.put("href", versionFile(version));
            v.put("cls", verdictClass(r.get("verdict")));
            v.put("commitShort", shortCommit(r.get("commit")));
            v.put("signals", signals.stream().filter(s -> version.equals(s.get("version"))).toList());
            versions.add(v);
            // The index lists what needs a human: HIGH_RISK, then DIVERGENT beyond documentation edits.
            boolean high = "HIGH_RISK".equals(r.get("verdict"));
            if (high || "DIVERGENT".equals(r.get("verdict")) && !Boolean.TRUE.equals(r.get("doc_only_divergence"))) {
                Map<String, Object> h = new LinkedHashMap<>(v);
                h.put("href", "p/" + slug + "/" + versionFile(version));
                (high ? highRisk : divergent).add(h);
            }
        }
        for (int i = 0; i < versions.size(); i++) {
            Map<String, Object> v = versions.get(i);
            String versionKey = key + "\u0000" + str(v, "version");
            Map<String, Object> page = versionPage(v, artifactsByVersion.getOrDefault(versionKey, List.of()),
                    filesByVersion.getOrDefault(versionKey, List.of()));
            page.put("prev", i > 0 ? versions.get(i - 1) : null);
            page.put("next", i + 1 < versions.size() ? versions.get(i + 1) : null);
            render("version.mustache", page, pkgDir.resolve(versionFile(str(v, "version"))));
        }

        Map<String, Object> latest = versions.get(versions.size() - 1);
        Map<String, Object> pkg = new LinkedHashMap<>();
        pkg.put("ecosystem", ecosystem);
        pkg.put("package", name);
        pkg.put("purl", purl(ecosystem, name));
        pkg.put("href", "p/" + slug + "/index.html");
        pkg.put("versionCount", releases.size());
        pkg.put("latest", latest);
        pkg.put("counts", verdictCounts(releases));
        pkg.put("signalCount", signals.size());
        pkg.put("repository", latest.get("repository"));
        pkg.put("repositoryHref", safeHref(latest.get("repository")));
        pkg.put("lastScanned", releases.stream().map(r -> str(r, "scanned_at")).max(Comparator.naturalOrder()).orElse(""));

        Map<String, Object> page = new LinkedHashMap<>(pkg);
        page.put("title", pkg.get("purl"));
        page.put("root", "../../");
        page.put("timeline", timeline(versions));
        page.put("heatmap", heatmap(versions, heatmapByPackage.getOrDefault(key, List.of())));
        page.put("signals", signals.stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>(s);
            m.put("href", str(s, "version").isEmpty() ? null : versionFile(str(s, "version")));
            return m;
        }).toList());
        page.put("hasSignals", !signals.isEmpty());
        List<Map<String, Object>> newestFirst = new ArrayList<>(versions);
        Collections.reverse(newestFirst);
        page.put("versions", newestFirst);
        render("package.mustache", page, pkgDir.resolve("index.html"));
        return pkg;
    }

    private Map<String, Object> indexPage(List<Map<String, Object>> packages, List<Map<String, Object>> highRisk) {
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("title", "divergence report");
        index.put("root", "");
        index.put("dataset", dataset);
        index.put("generated", Instant.now().toString());
        index.put("packages", packages);
        index.put("packageCount", packages.size());
        index.put("versionCount", data.releases().size());
        index.put("highRisk", highRisk);
        index.put("hasHighRisk", !highRisk.isEmpty());
        index.put("scans", data.scans().isEmpty() ? null : data.scans().get(data.scans().size() - 1));
        index.put("dataTables", ReportData.TABLES);
        return index;
    }

    // ---------------------------------------------------------------- version page

    private Map<String, Object> versionPage(Map<String, Object> v, List<Map<String, Object>> artifacts,
                                            List<Map<String, Object>> files) {
        Map<String, Object> page = new LinkedHashMap<>(v);
        String ecosystem = str(v, "ecosystem");
        String name = str(v, "package");
        String version = str(v, "version");
        page.put("title", purl(ecosystem, name) + "@" + version);
        page.put("root", "../../");
        page.put("purl", purl(ecosystem, name));
        page.put("repositoryHref", safeHref(v.get("repository")));
        page.put("commitHref", commitUrl(v.get("repository"), v.get("commit")).orElse(null));
        page.put("agreement", v.get("ref_agreement") == null ? "— (a single signal)"
                : Boolean.TRUE.equals(v.get("ref_agreement")) ? "yes" : "no: a finding, see the ref note");
        String repository = str(v, "repository");
        String commit = str(v, "commit");
        List<Map<String, Object>> artifactViews = new ArrayList<>();
        for (Map<String, Object> a : artifacts) {
            Map<String, Object> m = new LinkedHashMap<>(a);
            m.put("cls", verdictClass(a.get("verdict")));
            m.put("urlHref", safeHref(a.get("url")));
            m.put("counts", counts(a));
            m.put("verify", verifyCommand(a));
            artifactViews.add(m);
        }
        page.put("artifacts", artifactViews);
        Map<String, String> artifactFileNames = artifacts.stream().collect(Collectors.toMap(
                a -> str(a, "filename"), a -> str(a, "filename"), (x, y) -> x));
        List<Map<String, Object>> fileViews = new ArrayList<>();
        for (Map<String, Object> f : files) {
            Map<String, Object> m = new LinkedHashMap<>(f);
            m.put("statusCls", statusClass(str(f, "status"), Boolean.TRUE.equals(f.get("high_risk"))));
            if (f.get("artifact_path") != null && artifactFileNames.containsKey(str(f, "artifact"))) {
                m.put("artifactCmd", extractCommand(str(f, "artifact"), str(f, "artifact_path")));
            }
            if (f.get("source_path") != null && HEX40.matcher(commit).matches() && !repository.isEmpty()
                    && !"PHANTOM".equals(f.get("status"))) {
                m.put("sourceCmd", "git -C " + shell(repository.matches("^[a-z]+://.*") ? "REPOSITORY_CLONE" : repository)
                        + " show " + shell(commit + ":" + str(f, "source_path")) + " | sha256sum");
            }
            fileViews.add(m);
        }
        // High-risk files first, then what no rule explains, then the explained ones.
        fileViews.sort(Comparator.comparing((Map<String, Object> m) -> !Boolean.TRUE.equals(m.get("high_risk")))
                .thenComparing(m -> -ReportData.STATUS_RANK.indexOf(str(m, "status")))
                .thenComparing(m -> str(m, "artifact")).thenComparing(m -> str(m, "artifact_path")));
        page.put("files", fileViews);
        page.put("fileCount", fileViews.size());
        page.put("reproduce", reproduceCommand(v, artifacts));
        page.put("hasHighRiskFiles", v.get("high_risk_files") instanceof List<?> l && !l.isEmpty());
        page.put("hasSignals", !((List<?>) v.get("signals")).isEmpty());
        return page;
    }

    /** The scan that makes this comparison again, into a scratch dataset. */
    static String reproduceCommand(Map<String, Object> release, List<Map<String, Object>> artifacts) {
        String ecosystem = str(release, "ecosystem");
        StringBuilder cmd = new StringBuilder("./divergence scan ").append(shell(purl(ecosystem, str(release, "package"))));
        if (!str(release, "repository").isEmpty()) {
            cmd.append(" --repo ").append(shell(str(release, "repository")));
        }
        if (!str(release, "version").isEmpty()) {
            cmd.append(" --versions ").append(shell(str(release, "version")));
        }
        registryFlag(ecosystem, str(release, "package"), str(release, "version"), artifacts)
                .ifPresent(flag -> cmd.append(' ').append(flag));
        cmd.append(" --full --out divergence-recheck");
        return cmd.toString();
    }

    /**
     * The ecosystem's options ({@code --pypi-url}, {@code --npm-url}, {@code --maven-url}) that fetch the files from
     * where they were served, when that is not the default registry: its plugin says which.
     */
    private static Optional<String> registryFlag(String ecosystem, String name, String version,
                                                 List<Map<String, Object>> artifacts) {
        Optional<String> url = artifacts.stream().map(a -> str(a, "url")).filter(u -> u.matches("^https?://.*"))
                .findFirst();
        Optional<EcosystemPlugin> plugin = EcosystemPlugins.find(ecosystem);
        if (url.isEmpty() || plugin.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> options;
        try {
            URI.create(url.get());
            options = plugin.get().optionsServing(url.get(), name, version);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not a URL
        }
        List<String> flags = new ArrayList<>();
        new TreeMap<>(options).forEach((k, v) -> flags.add("--" + plugin.get().purlType() + "-" + k + " "
                + shell(v)));
        return flags.isEmpty() ? Optional.empty() : Optional.of(String.join(" ", flags));
    }

    /** Download the published file and check it is the one compared (its SHA-256 as recorded). */
    private static String verifyCommand(Map<String, Object> artifact) {
        String url = str(artifact, "url");
        String file = str(artifact, "filename").replaceFirst("#\\d+$", "");
        String sha = str(artifact, "sha256");
        if (!url.matches("^https?://.*") || !sha.matches("[0-9a-f]{64}")) {
            return null;
        }
        return "curl -sSfLo " + shell(file) + " " + shell(url) + " && echo " + shell(sha + "  " + file)
                + " | sha256sum -c";
    }

    /** Reads one entry's bytes from the downloaded file without extracting or running anything. */
    private static String extractCommand(String artifact, String path) {
        String file = artifact.replaceFirst("#\\d+$", "");
        if (file.endsWith(".tar.gz") || file.endsWith(".tgz")) {
            return "tar --no-wildcards -xOzf " + shell(file) + " " + shell(path) + " | sha256sum";
        }
        if (file.endsWith(".whl") || file.endsWith(".zip") || file.endsWith(".jar")) {
            // unzip reads member names as patterns: brackets make *, ? and [ literal.
            String literal = path.replace("[", "[[]").replace("*", "[*]").replace("?", "[?]");
            return "unzip -p " + shell(file) + " " + shell(literal) + " | sha256sum";
        }
        return null;
    }

    // ---------------------------------------------------------------- package page

    /**
     * One circle per version in release order, coloured by verdict, with a mark above versions that have signals.
     * Past 60 versions the points close up and only every third version is labelled, plus every version that
     * diverged or failed, so the labels never overlap the ones that matter.
     */
    private static Map<String, Object> timeline(List<Map<String, Object>> versions) {
        boolean dense = versions.size() > 60;
        int step = dense ? 16 : 46;
        int every = dense ? 3 : 1; // a rotated label needs about 45 px
        int left = 24;
        List<Map<String, Object>> points = new ArrayList<>();
        for (int i = 0; i < versions.size(); i++) {
            Map<String, Object> v = versions.get(i);
            int x = left + i * step;
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("x", x);
            p.put("r", dense ? 6 : 9);
            p.put("version", v.get("version"));
            p.put("verdict", v.get("verdict"));
            p.put("cls", v.get("cls"));
            p.put("href", v.get("href"));
            boolean notable = List.of("DIVERGENT", "HIGH_RISK", "ERROR").contains(String.valueOf(v.get("verdict")));
            p.put("label", i % every == 0 || i == versions.size() - 1 || notable ? v.get("version") : null);
            List<?> signals = (List<?>) v.get("signals");
            p.put("signalTitle", signals.isEmpty() ? null : signals.stream()
                    .map(s -> str(asMap(s), "signal") + ": " + str(asMap(s), "detail")).collect(Collectors.joining("\n")));
            points.add(p);
        }
        List<Map<String, Object>> segments = new ArrayList<>();
        for (int i = 1; i < points.size(); i++) {
            segments.add(Map.of("x1", points.get(i - 1).get("x"), "x2", points.get(i).get("x")));
        }
        // Labels are rotated to the right of their point: room for the last one.
        return Map.of("width", left + 70 + Math.max(0, versions.size() - 1) * step, "points", points,
                "segments", segments);
    }

    /** Files (rows) × versions (columns, release order): each cell the file's worst status in that version. */
    private static Map<String, Object> heatmap(List<Map<String, Object>> versions, List<Map<String, Object>> cells) {
        Map<String, Map<String, Map<String, Object>>> byFile = new TreeMap<>();
        for (Map<String, Object> c : cells) {
            byFile.computeIfAbsent(str(c, "file"), k -> new LinkedHashMap<>()).put(str(c, "version"), c);
        }
        record FileRow(String file, int worst, int divergentVersions, Map<String, Map<String, Object>> cells) {
        }
        List<FileRow> rows = new ArrayList<>();
        for (Map.Entry<String, Map<String, Map<String, Object>>> e : byFile.entrySet()) {
            int worst = 0;
            int divergent = 0;
            for (Map<String, Object> c : e.getValue().values()) {
                int rank = Boolean.TRUE.equals(c.get("high_risk")) ? 100 : ReportData.STATUS_RANK.indexOf(str(c, "status"));
                worst = Math.max(worst, rank);
                divergent += rank >= ReportData.STATUS_RANK.indexOf("IN_HISTORY") ? 1 : 0;
            }
            rows.add(new FileRow(e.getKey(), worst, divergent, e.getValue()));
        }
        rows.sort(Comparator.comparingInt(FileRow::worst).reversed()
                .thenComparing(Comparator.comparingInt(FileRow::divergentVersions).reversed())
                .thenComparing(FileRow::file));
        List<Map<String, Object>> rowViews = new ArrayList<>();
        for (FileRow row : rows.subList(0, Math.min(rows.size(), HEATMAP_ROWS))) {
            List<Map<String, Object>> cellViews = new ArrayList<>();
            for (Map<String, Object> v : versions) {
                Map<String, Object> c = row.cells().get(str(v, "version"));
                String status = c == null ? null : str(c, "status");
                boolean high = c != null && Boolean.TRUE.equals(c.get("high_risk"));
                cellViews.add(Map.of("cls", c == null ? "absent" : statusClass(status, high),
                        "title", str(v, "version") + ": " + (c == null ? "not in this version" : status
                                + (high ? " (high risk)" : ""))));
            }
            rowViews.add(Map.of("file", row.file(), "cells", cellViews));
        }
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("versions", versions);
        h.put("rows", rowViews);
        h.put("hidden", rows.size() > HEATMAP_ROWS ? rows.size() - HEATMAP_ROWS : null);
        h.put("any", !rowViews.isEmpty());
        return h;
    }

    private static List<Map<String, Object>> verdictCounts(List<Map<String, Object>> releases) {
        Map<String, Long> n = releases.stream().collect(Collectors.groupingBy(r -> str(r, "verdict"), Collectors.counting()));
        List<Map<String, Object>> out = new ArrayList<>();
        for (String verdict : VERDICT_ORDER) {
            if (n.containsKey(verdict)) {
                out.add(Map.of("verdict", verdict, "n", n.get(verdict), "cls", verdictClass(verdict)));
            }
        }
        n.keySet().stream().filter(k -> !VERDICTS.contains(k)).sorted()
                .forEach(k -> out.add(Map.of("verdict", k, "n", n.get(k), "cls", "unknown")));
        return out;
    }

    private static String counts(Map<String, Object> artifact) {
        List<String> parts = new ArrayList<>();
        for (String c : List.of("match", "match_normalized", "generated", "build_output", "modified", "in_history",
                "phantom", "uncompared", "source_only")) {
            Object n = artifact.get(c);
            if (n instanceof Number num && num.longValue() > 0) {
                parts.add(c + " " + num);
            }
        }
        return String.join(", ", parts);
    }

    // ---------------------------------------------------------------- helpers

    /** The forge's page for the commit, for repositories on GitHub, GitLab, Codeberg and Bitbucket. */
    static Optional<String> commitUrl(Object repository, Object commit) {
        if (repository == null || commit == null || !HEX40.matcher(commit.toString()).matches()) {
            return Optional.empty();
        }
        String repo = repository.toString().trim().replaceFirst("/+$", "").replaceFirst("\\.git$", "");
        Matcher m = FORGE.matcher(repo);
        if (!m.matches()) {
            m = SCP_FORGE.matcher(repo);
            if (!m.matches()) {
                return Optional.empty();
            }
        }
        String host = m.group(1);
        String path = m.group(2);
        if (List.of(path.split("/")).stream().anyMatch(seg -> seg.equals("-") || seg.matches("\\.+"))) {
            return Optional.empty(); // a page inside the repository (GitLab's /-/), or a dot segment
        }
        if (!host.equals("gitlab.com") && path.split("/").length != 2) {
            return Optional.empty(); // only GitLab has subgroups: OWNER/REPO elsewhere
        }
        String base = "https://" + host + "/" + path;
        return Optional.of(switch (host) {
            case "gitlab.com" -> base + "/-/commit/" + commit;
            case "bitbucket.org" -> base + "/commits/" + commit;
            default -> base + "/commit/" + commit;
        });
    }

    /** An http(s) URL usable as a link, or null: a {@code javascript:} or other scheme stays text. */
    static String safeHref(Object url) {
        return url != null && SAFE_HREF.matcher(url.toString()).matches() ? url.toString() : null;
    }

    /** A POSIX shell word: unchanged when it holds only safe characters, else single-quoted. */
    static String shell(String s) {
        if (!s.isEmpty() && SHELL_SAFE.matcher(s).matches()) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /**
     * A file name for a package or version: safe characters kept, anything else replaced, and a hash of the original
     * appended whenever something was replaced (or the name could clash with another), so names never collide.
     */
    static String slug(String s) {
        String safe = s.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.equals(s) && !s.isEmpty() && !s.startsWith(".") && s.length() <= 80 && !s.equals("index")) {
            return s;
        }
        String cut = safe.length() > 60 ? safe.substring(0, 60) : safe;
        return cut.replaceFirst("^\\.", "_") + "-" + sha256(s).substring(0, 10);
    }

    static String versionFile(String version) {
        return "v-" + slug(version) + ".html";
    }

    static String purl(String ecosystem, String name) {
        try {
            return new PackageId(Ecosystem.fromPurlType(ecosystem), name).purl();
        } catch (IllegalArgumentException e) {
            return "pkg:" + ecosystem + "/" + name;
        }
    }

    private static String verdictClass(Object verdict) {
        return verdict != null && VERDICTS.contains(verdict.toString()) ? verdict.toString().toLowerCase().replace('_', '-')
                : "unknown";
    }

    private static String statusClass(String status, boolean highRisk) {
        if (highRisk) {
            return "high";
        }
        if (status == null) {
            return "absent";
        }
        return switch (status) {
            case "MATCH" -> "match";
            case "SOURCE_ONLY" -> "not-shipped";
            case "MATCH_NORMALIZED", "GENERATED" -> "explained";
            case "BUILD_OUTPUT" -> "build-output";
            case "UNCOMPARED", "IN_SUBMODULE" -> "uncompared";
            case "IN_HISTORY", "MODIFIED", "PHANTOM" -> "divergent";
            default -> "unknown";
        };
    }

    private static String shortCommit(Object commit) {
        return commit == null ? null : commit.toString().length() > 12 ? commit.toString().substring(0, 12) : commit.toString();
    }

    private static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? "" : v.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rows grouped by (ecosystem, package), keeping their order. */
    private static Map<String, List<Map<String, Object>>> group(List<Map<String, Object>> rows) {
        return groupBy(rows, r -> str(r, "ecosystem") + "\u0000" + str(r, "package"));
    }

    private static Map<String, List<Map<String, Object>>> groupByVersion(List<Map<String, Object>> rows) {
        return groupBy(rows, r -> str(r, "ecosystem") + "\u0000" + str(r, "package") + "\u0000" + str(r, "version"));
    }

    private static Map<String, List<Map<String, Object>>> groupBy(List<Map<String, Object>> rows,
                                                                  Function<Map<String, Object>, String> key) {
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        for (Map<String, Object> r : rows) {
            out.computeIfAbsent(key.apply(r), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    private void render(String template, Map<String, Object> scope, Path file) {
        Mustache m = templates.compile(template);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            m.execute(w, scope).flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
