package dev.divergence.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes what PyPI's JSON API answers for a project ({@code /pypi/NAME/json}): {@code info} with project URLs
 * and {@code releases} mapping each version to its files (filename, url, packagetype, size, digests,
 * upload_time_iso_8601, yanked). Files are stored under {@code ROOT/packages/} and served from there.
 */
public final class PypiIndexWriter {

    /**
     * One uploaded file. {@code claimedSha256} overrides the digest (to publish a wrong one on purpose);
     * {@code stored} names a file already under {@code ROOT/packages/} (large histories), then content is empty.
     */
    public record Upload(String version, String filename, byte[] content, Instant uploaded, boolean yanked,
                         Optional<String> claimedSha256, Optional<Path> stored) {
        public Upload(String version, String filename, byte[] content, Instant uploaded, boolean yanked,
                      Optional<String> claimedSha256) {
            this(version, filename, content, uploaded, yanked, claimedSha256, Optional.empty());
        }

        public Upload(String version, String filename, byte[] content, Instant uploaded) {
            this(version, filename, content, uploaded, false, Optional.empty());
        }

        /** A file written to {@code ROOT/packages/FILENAME} beforehand, with its SHA-256. */
        public static Upload stored(String version, Path file, String sha256, Instant uploaded) {
            return new Upload(version, file.getFileName().toString(), new byte[0], uploaded, false, Optional.of(sha256),
                    Optional.of(file));
        }
    }

    private final Path root;
    private final String name;
    private final Map<String, String> projectUrls;
    private final Map<String, List<Upload>> releases = new LinkedHashMap<>();

    public PypiIndexWriter(Path root, String name, Map<String, String> projectUrls) {
        this.root = root;
        this.name = name;
        this.projectUrls = projectUrls;
    }

    public PypiIndexWriter add(Upload upload) {
        releases.computeIfAbsent(upload.version(), v -> new java.util.ArrayList<>()).add(upload);
        return this;
    }

    /** Replaces the upload with the same file name (an artifact re-uploaded with other bytes). */
    public PypiIndexWriter replace(Upload upload) {
        List<Upload> files = releases.get(upload.version());
        if (files == null || !files.removeIf(u -> u.filename().equals(upload.filename()))) {
            throw new IllegalArgumentException("no upload " + upload.filename() + " to replace");
        }
        files.add(upload);
        return this;
    }

    /** A version registered with no files (PyPI has those). */
    public PypiIndexWriter addEmptyVersion(String version) {
        releases.computeIfAbsent(version, v -> new java.util.ArrayList<>());
        return this;
    }

    /** Writes the files and the JSON document; {@code baseUrl} is where {@code root} is served. */
    public Path write(String baseUrl) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode doc = json.createObjectNode();
        ObjectNode info = doc.putObject("info");
        info.put("name", name);
        String latest = releases.keySet().stream().reduce((a, b) -> b).orElse("");
        info.put("version", latest);
        info.put("home_page", "");
        ObjectNode urls = info.putObject("project_urls");
        projectUrls.forEach(urls::put);
        ObjectNode rel = doc.putObject("releases");
        for (Map.Entry<String, List<Upload>> e : releases.entrySet()) {
            ArrayNode files = rel.putArray(e.getKey());
            for (Upload u : e.getValue()) {
                Path file = root.resolve("packages").resolve(u.filename());
                long size;
                if (u.stored().isPresent()) {
                    size = Files.size(u.stored().get());
                } else {
                    PythonDistributions.write(file, u.content());
                    size = u.content().length;
                }
                ObjectNode f = files.addObject();
                f.put("filename", u.filename());
                f.put("packagetype", u.filename().endsWith(".whl") ? "bdist_wheel" : "sdist");
                f.put("python_version", u.filename().endsWith(".whl") ? "py3" : "source");
                f.put("size", size);
                ObjectNode d = f.putObject("digests");
                d.put("sha256", u.claimedSha256().orElse(dev.divergence.archive.EntryDigest.sha256(u.content())));
                f.put("upload_time_iso_8601", u.uploaded().truncatedTo(ChronoUnit.SECONDS).toString());
                f.put("url", baseUrl + "/packages/" + u.filename());
                f.put("yanked", u.yanked());
                f.putNull("yanked_reason");
            }
        }
        doc.putArray("urls");
        // PyPI answers under the PEP 503 normalised name (and redirects other spellings there).
        Path out = root.resolve("pypi").resolve(name.toLowerCase(java.util.Locale.ROOT).replaceAll("[-_.]+", "-"))
                .resolve("json");
        Files.createDirectories(out.getParent());
        json.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), doc);
        return out;
    }
}
