package dev.divergence.registry.pypi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.divergence.http.HttpFetcher;
import dev.divergence.model.Artifact;
import dev.divergence.model.ArtifactKind;
import dev.divergence.model.PackageId;
import dev.divergence.model.Release;
import dev.divergence.model.SourceHints;
import dev.divergence.registry.Registry;
import dev.divergence.registry.RegistryException;
import dev.divergence.source.VersionSpelling;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * PyPI's JSON API ({@code GET BASE/pypi/NAME/json}, https://docs.pypi.org/api/json/): every release with each
 * file's url, filename, packagetype, size, digests, upload time and yanked state; project URLs locate the
 * repository. The base URL is configurable, so the same code talks to pypi.org or a local server.
 */
public final class PypiRegistry implements Registry {

    static final long MAX_METADATA_BYTES = 64L << 20;
    private final String baseUrl;
    private final HttpFetcher http;
    private final ObjectMapper json = new ObjectMapper();

    public PypiRegistry(String baseUrl, HttpFetcher http) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.http = http;
    }

    @Override
    public List<Release> releases(PackageId pkg) throws RegistryException {
        String url = baseUrl + "/pypi/" + pkg.name() + "/json";
        JsonNode root;
        try {
            byte[] body = http.getBytes(url, "application/json", MAX_METADATA_BYTES);
            root = json.readTree(body);
        } catch (HttpFetcher.FetchException e) {
            throw new RegistryException(e.status() == 404 ? "package not found on PyPI: " + pkg.name() + " (" + url + ")"
                    : "PyPI metadata unavailable: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new RegistryException("malformed PyPI JSON from " + url + ": " + e.getMessage(), e);
        }
        if (root == null || !root.path("releases").isObject()) {
            throw new RegistryException("malformed PyPI JSON from " + url + ": no 'releases' object");
        }
        SourceHints hints = new SourceHints(repositoryUrls(root.path("info")), Optional.empty(), Optional.empty());
        List<Release> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.path("releases").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.add(release(pkg, e.getKey(), e.getValue(), hints));
        }
        out.sort(Comparator.comparing(Release::version, VersionSpelling::compare));
        return withDeclaredRepositories(pkg, out);
    }

    /** How many of the earliest releases are asked which repository they declared. */
    static final int DECLARED_EARLIEST = 3;

    /**
     * The project document's {@code project_urls} are the latest release's: whoever published it chose them. So the
     * earliest releases are asked what they declared ({@code /pypi/NAME/VERSION/json}, three requests per listing),
     * the latest keeps the project document's, and the releases in between declare nothing known — the package's
     * repository is then what its history declared, and a latest release pointing elsewhere is a
     * {@code REPOSITORY_CHANGED} signal instead of the baseline. A registry without per-version documents (a 404)
     * leaves every release with the project document's URLs.
     */
    private List<Release> withDeclaredRepositories(PackageId pkg, List<Release> releases) {
        List<Release> byTime = releases.stream().filter(r -> r.published().isPresent())
                .sorted(Comparator.comparing(r -> r.published().get())).toList();
        if (byTime.size() < 2) {
            return releases;
        }
        Release latest = byTime.get(byTime.size() - 1);
        Map<String, List<String>> declared = new HashMap<>();
        for (Release r : byTime.subList(0, Math.min(DECLARED_EARLIEST, byTime.size() - 1))) {
            String url = baseUrl + "/pypi/" + pkg.name() + "/" + r.version() + "/json";
            try {
                JsonNode doc = json.readTree(http.getBytes(url, "application/json", MAX_METADATA_BYTES));
                if (doc != null && doc.path("info").isObject()) {
                    declared.put(r.version(), repositoryUrls(doc.path("info")));
                }
            } catch (IOException | RuntimeException e) {
                // no per-version document: this release keeps the project document's URLs
            }
        }
        if (declared.isEmpty()) {
            return releases;
        }
        List<Release> out = new ArrayList<>();
        for (Release r : releases) {
            List<String> urls = declared.containsKey(r.version()) ? declared.get(r.version())
                    : r.version().equals(latest.version()) ? r.hints().repositoryUrls() : List.of();
            SourceHints h = r.hints();
            out.add(new Release(r.pkg(), r.version(), r.artifacts(), r.published(), r.yanked(), r.yankedReason(),
                    new SourceHints(urls, h.recordedCommit(), h.directory(), h.attestedCommit(), h.recordedTag())));
        }
        return out;
    }

    private Release release(PackageId pkg, String version, JsonNode files, SourceHints hints) {
        List<Artifact> artifacts = new ArrayList<>();
        Optional<Instant> first = Optional.empty();
        boolean allYanked = files.isArray() && files.size() > 0;
        Optional<String> yankedReason = Optional.empty();
        if (files.isArray()) {
            for (JsonNode f : files) {
                String filename = f.path("filename").asText("");
                String url = f.path("url").asText("");
                if (filename.isEmpty() || url.isEmpty()) {
                    continue; // a file entry without name or url cannot be fetched; the release row still exists
                }
                Map<String, String> digests = new HashMap<>();
                f.path("digests").fields().forEachRemaining(d -> {
                    if (d.getValue().isTextual()) {
                        digests.put(d.getKey().toLowerCase(Locale.ROOT), d.getValue().asText().toLowerCase(Locale.ROOT));
                    }
                });
                Optional<Instant> uploaded = parseTime(f.path("upload_time_iso_8601").asText(null))
                        .or(() -> parseTime(f.path("upload_time").asText(null)));
                boolean yanked = f.path("yanked").asBoolean(false);
                allYanked &= yanked;
                if (yanked && f.hasNonNull("yanked_reason")) {
                    yankedReason = Optional.of(f.path("yanked_reason").asText());
                }
                if (uploaded.isPresent() && (first.isEmpty() || uploaded.get().isBefore(first.get()))) {
                    first = uploaded;
                }
                artifacts.add(new Artifact(filename, url, kind(f.path("packagetype").asText(""), filename),
                        f.path("size").asLong(-1), digests, uploaded, yanked));
            }
        }
        return new Release(pkg, version, artifacts, first, allYanked, yankedReason, hints);
    }

    /** PEP 740 provenance per file from the Integrity API; the first file whose attestation names a commit. */
    @Override
    public Release withPerFileSignals(Release r) {
        if (r.hints().attestedCommit().isPresent()) {
            return r;
        }
        for (Artifact a : r.artifacts()) {
            String url = baseUrl + "/integrity/" + r.pkg().name() + "/" + r.version() + "/" + a.filename() + "/provenance";
            try {
                byte[] doc = http.getBytes(url, "application/vnd.pypi.integrity.v1+json", 16 << 20);
                Optional<String> commit = dev.divergence.registry.Provenance.fromPypiProvenance(doc, a.sha256().orElse(null))
                        .map(dev.divergence.registry.Provenance.Statement::commit);
                if (commit.isPresent()) {
                    SourceHints h = r.hints();
                    return new Release(r.pkg(), r.version(), r.artifacts(), r.published(), r.yanked(), r.yankedReason(),
                            new SourceHints(h.repositoryUrls(), h.recordedCommit(), h.directory(), commit, h.recordedTag()));
                }
            } catch (HttpFetcher.FetchException e) {
                // 404: no attestation for this file (most files have none)
            }
        }
        return r;
    }

    static ArtifactKind kind(String packagetype, String filename) {
        String f = filename.toLowerCase(Locale.ROOT);
        if (packagetype.equals("bdist_wheel") || f.endsWith(".whl")) {
            return ArtifactKind.WHEEL;
        }
        if (packagetype.equals("sdist") || f.endsWith(".tar.gz") || f.endsWith(".zip") || f.endsWith(".tar.bz2")) {
            return ArtifactKind.SDIST;
        }
        return ArtifactKind.OTHER;
    }

    private static Optional<Instant> parseTime(String s) {
        if (s == null || s.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(s.endsWith("Z") || s.contains("+") ? s : s + "Z"));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Repository candidates from project_urls (Source/Repository/Code first) and home_page. */
    static List<String> repositoryUrls(JsonNode info) {
        List<String> preferred = new ArrayList<>();
        List<String> other = new ArrayList<>();
        info.path("project_urls").fields().forEachRemaining(e -> {
            String key = e.getKey().toLowerCase(Locale.ROOT);
            Optional<String> url = repoUrl(e.getValue().asText(""));
            if (url.isEmpty()) {
                return;
            }
            if (key.contains("source") || key.contains("repository") || key.contains("code") || key.contains("github")) {
                preferred.add(url.get());
            } else {
                other.add(url.get());
            }
        });
        repoUrl(info.path("home_page").asText("")).ifPresent(other::add);
        List<String> all = new ArrayList<>(preferred);
        all.addAll(other);
        return all.stream().distinct().toList();
    }

    /** Forge repositories only: a PyPI homepage is often a docs site. */
    static Optional<String> repoUrl(String url) {
        return url == null || url.startsWith("git@") || !url.contains("://") ? Optional.empty()
                : dev.divergence.registry.RepositoryUrls.normalize(url);
    }
}
