package dev.divergence.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A release as JSON text: how the driver hands a registry's answer to the tasks that scan it, so executors
 * need no second metadata call and see exactly what the driver saw.
 */
public final class ReleaseCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReleaseCodec() {
    }

    public static String toJson(Release r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("purl", r.pkg().purl());
        n.put("version", r.version());
        r.published().ifPresent(t -> n.put("published", t.toString()));
        n.put("yanked", r.yanked());
        r.yankedReason().ifPresent(t -> n.put("yankedReason", t));
        ObjectNode h = n.putObject("hints");
        ArrayNode urls = h.putArray("repositoryUrls");
        r.hints().repositoryUrls().forEach(urls::add);
        r.hints().recordedCommit().ifPresent(c -> h.put("recordedCommit", c));
        r.hints().directory().ifPresent(d -> h.put("directory", d));
        r.hints().attestedCommit().ifPresent(d -> h.put("attestedCommit", d));
        r.hints().recordedTag().ifPresent(d -> h.put("recordedTag", d));
        r.hints().publishedVersion().ifPresent(d -> h.put("publishedVersion", d));
        ArrayNode arts = n.putArray("artifacts");
        for (Artifact a : r.artifacts()) {
            ObjectNode an = arts.addObject();
            an.put("filename", a.filename());
            an.put("url", a.url());
            an.put("kind", a.kind().name());
            an.put("size", a.size());
            ObjectNode d = an.putObject("digests");
            a.digests().forEach(d::put);
            a.uploaded().ifPresent(t -> an.put("uploaded", t.toString()));
            an.put("yanked", a.yanked());
            ObjectNode du = an.putObject("digestUrls");
            a.digestUrls().forEach(du::put);
            a.registryManifest().ifPresent(m -> an.put("registryManifest", m));
        }
        return n.toString();
    }

    public static Release fromJson(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            List<Artifact> artifacts = new ArrayList<>();
            for (JsonNode a : n.path("artifacts")) {
                Map<String, String> digests = new HashMap<>();
                a.path("digests").fields().forEachRemaining(e -> digests.put(e.getKey(), e.getValue().asText()));
                Map<String, String> digestUrls = new HashMap<>();
                a.path("digestUrls").fields().forEachRemaining(e -> digestUrls.put(e.getKey(), e.getValue().asText()));
                artifacts.add(new Artifact(a.path("filename").asText(), a.path("url").asText(),
                        ArtifactKind.valueOf(a.path("kind").asText()), a.path("size").asLong(), digests,
                        time(a, "uploaded"), a.path("yanked").asBoolean(), digestUrls, text(a, "registryManifest")));
            }
            JsonNode h = n.path("hints");
            List<String> urls = new ArrayList<>();
            h.path("repositoryUrls").forEach(u -> urls.add(u.asText()));
            SourceHints hints = new SourceHints(urls, text(h, "recordedCommit"), text(h, "directory"),
                    text(h, "attestedCommit"), text(h, "recordedTag"), text(h, "publishedVersion"));
            return new Release(PackageId.parse(n.path("purl").asText()), n.path("version").asText(), artifacts,
                    time(n, "published"), n.path("yanked").asBoolean(), text(n, "yankedReason"), hints);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<String> text(JsonNode n, String field) {
        return n.hasNonNull(field) ? Optional.of(n.get(field).asText()) : Optional.empty();
    }

    private static Optional<Instant> time(JsonNode n, String field) {
        return text(n, field).map(Instant::parse);
    }
}
