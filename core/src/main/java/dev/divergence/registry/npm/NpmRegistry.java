package dev.divergence.registry.npm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.divergence.http.HttpFetcher;
import dev.divergence.model.Artifact;
import dev.divergence.model.ArtifactKind;
import dev.divergence.model.PackageId;
import dev.divergence.model.Release;
import dev.divergence.model.SourceHints;
import dev.divergence.registry.Provenance;
import dev.divergence.registry.Registry;
import dev.divergence.registry.RegistryException;
import dev.divergence.registry.RepositoryUrls;
import dev.divergence.source.VersionSpelling;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The npm registry's packument ({@code GET BASE/NAME}, scoped names as {@code @scope%2fname}): every version
 * with {@code dist.tarball}, {@code dist.integrity} (SRI sha512) and {@code dist.shasum} (sha1), publish
 * times, {@code repository} (string shorthand or object with {@code directory}), {@code gitHead} and
 * provenance attestations when present, deprecated and unpublished versions.
 * See https://github.com/npm/registry/blob/main/docs/responses/package-metadata.md.
 */
public final class NpmRegistry implements Registry {

    static final long MAX_METADATA_BYTES = 256L << 20;
    private final String baseUrl;
    private final HttpFetcher http;
    private final ObjectMapper json = new ObjectMapper();

    public NpmRegistry(String baseUrl, HttpFetcher http) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.http = http;
    }

    static String packumentPath(String name) {
        return name.startsWith("@") ? name.replace("/", "%2f") : name;
    }

    @Override
    public List<Release> releases(PackageId pkg) throws RegistryException {
        String url = baseUrl + "/" + packumentPath(pkg.name());
        JsonNode root;
        try {
            root = json.readTree(http.getBytes(url, "application/json", MAX_METADATA_BYTES));
        } catch (HttpFetcher.FetchException e) {
            throw new RegistryException(e.status() == 404 ? "package not found on npm: " + pkg.name() + " (" + url + ")"
                    : "npm metadata unavailable: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new RegistryException("malformed npm packument from " + url + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new RegistryException("malformed npm packument from " + url + ": not an object");
        }
        JsonNode times = root.path("time");
        Optional<String> topRepo = repository(root.path("repository")).map(r -> r[0]);
        Optional<String> topDir = repository(root.path("repository")).map(r -> r[1]).filter(d -> !d.isEmpty());
        List<Release> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.path("versions").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.add(release(pkg, e.getKey(), e.getValue(), times, topRepo, topDir));
        }
        // Versions in "time" but not in "versions" were unpublished: rows with the reason, nothing lost.
        Iterator<String> tv = times.fieldNames();
        while (tv.hasNext()) {
            String v = tv.next();
            if (!v.equals("created") && !v.equals("modified") && !v.equals("unpublished") && !root.path("versions").has(v)) {
                out.add(new Release(pkg, v, List.of(), time(times.path(v).asText(null)), true,
                        Optional.of("unpublished from the registry"), SourceHints.none()));
            }
        }
        out.sort(Comparator.comparing(Release::version, VersionSpelling::compare));
        return out;
    }

    private Release release(PackageId pkg, String version, JsonNode v, JsonNode times, Optional<String> topRepo,
                            Optional<String> topDir) {
        JsonNode dist = v.path("dist");
        Map<String, String> digests = new HashMap<>();
        sriToHex(dist.path("integrity").asText("")).ifPresent(d -> digests.put(d[0], d[1]));
        String shasum = dist.path("shasum").asText("");
        if (!shasum.isEmpty()) {
            digests.put("sha1", shasum.toLowerCase());
        }
        Optional<Instant> published = time(times.path(version).asText(null));
        List<Artifact> artifacts = new ArrayList<>();
        String tarball = dist.path("tarball").asText("");
        if (!tarball.isEmpty()) {
            String filename = tarball.substring(tarball.lastIndexOf('/') + 1);
            artifacts.add(new Artifact(filename, tarball, ArtifactKind.NPM_TARBALL, dist.path("unpackedSize").asLong(-1),
                    digests, published, false, Map.of(), Optional.of(NpmRegistryManifest.select(v).toString())));
        }
        Optional<String[]> repo = repository(v.path("repository"));
        List<String> urls = new ArrayList<>();
        repo.map(r -> r[0]).ifPresent(urls::add);
        topRepo.filter(u -> !urls.contains(u)).ifPresent(urls::add);
        Optional<String> directory = repo.map(r -> r[1]).filter(d -> !d.isEmpty()).or(() -> topDir);
        Optional<String> gitHead = Optional.of(v.path("gitHead").asText("")).filter(s -> s.matches("[0-9a-fA-F]{7,40}"));
        Optional<String> attested = attestedCommit(dist.path("attestations"), digests.get("sha512"));
        String deprecated = v.path("deprecated").isTextual() ? v.path("deprecated").asText() : null;
        return new Release(pkg, version, artifacts, published, deprecated != null,
                Optional.ofNullable(deprecated).map(d -> "deprecated: " + d),
                new SourceHints(urls, gitHead, directory.map(NpmRegistry::cleanDirectory), attested, Optional.empty()));
    }

    /**
     * Fetches and reads the provenance attestation when the packument points to one. The registry reachable
     * from some networks omits attestations or answers 404: no signal then, never an error.
     */
    private Optional<String> attestedCommit(JsonNode attestations, String tarballSha512) {
        String url = attestations.path("url").asText("");
        if (url.isEmpty()) {
            return Optional.empty();
        }
        try {
            Optional<Provenance.Statement> s = Provenance.fromNpmAttestations(http.getBytes(url, "application/json", 8 << 20));
            // An attestation about other bytes says nothing about this tarball.
            return s.filter(st -> st.subjectSha512().isEmpty() || tarballSha512 == null
                    || st.subjectSha512().get().equals(tarballSha512)).map(Provenance.Statement::commit);
        } catch (HttpFetcher.FetchException e) {
            return Optional.empty();
        }
    }

    /** {@code [url, directory]} from a string shorthand or a {@code {type, url, directory}} object. */
    static Optional<String[]> repository(JsonNode repo) {
        String url = repo.isTextual() ? repo.asText() : repo.path("url").asText("");
        String dir = repo.isObject() ? repo.path("directory").asText("") : "";
        String fromUrl = "";
        // https://github.com/o/r/tree/main/packages/x names a directory as well
        var m = java.util.regex.Pattern.compile("/tree/[^/]+/(.+)$").matcher(url);
        if (m.find()) {
            fromUrl = m.group(1);
        }
        String directory = dir.isEmpty() ? fromUrl : dir;
        return RepositoryUrls.normalizeAny(url).map(u -> new String[] {u, directory});
    }

    private static String cleanDirectory(String d) {
        String s = d.replace('\\', '/').replaceFirst("^\\./", "").replaceFirst("/+$", "");
        return s.contains("..") ? "" : s; // a directory cannot point outside the repository
    }

    /** {@code sha512-BASE64} → {@code ["sha512", hex]}. */
    static Optional<String[]> sriToHex(String sri) {
        for (String part : sri.trim().split("\\s+")) {
            int dash = part.indexOf('-');
            if (dash <= 0) {
                continue;
            }
            String algo = part.substring(0, dash).toLowerCase();
            if (!algo.equals("sha512") && !algo.equals("sha256") && !algo.equals("sha1")) {
                continue;
            }
            try {
                return Optional.of(new String[] {algo,
                        HexFormat.of().formatHex(Base64.getDecoder().decode(part.substring(dash + 1)))});
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Optional<Instant> time(String s) {
        if (s == null || s.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(s).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
