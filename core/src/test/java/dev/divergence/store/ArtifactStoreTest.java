package dev.divergence.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.archive.EntryDigest;
import dev.divergence.demo.StaticRegistryServer;
import dev.divergence.fixtures.ScanWorld;
import dev.divergence.model.Artifact;
import dev.divergence.model.ArtifactKind;
import dev.divergence.model.DigestStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactStoreTest {

    @TempDir
    Path dir;

    private static Artifact artifact(String url, String sha256) {
        return new Artifact("f.tar.gz", url, ArtifactKind.SDIST, 5, sha256 == null ? Map.of() : Map.of("sha256", sha256),
                Optional.empty(), false);
    }

    @Test
    void downloadIsVerifiedStoredUnderItsDigestAndServedFromCacheNextTime() throws Exception {
        byte[] bytes = "hello".getBytes(StandardCharsets.UTF_8);
        Files.createDirectories(dir.resolve("www"));
        Files.write(dir.resolve("www/f.tar.gz"), bytes);
        try (StaticRegistryServer server = new StaticRegistryServer(dir.resolve("www"))) {
            ArtifactStore store = new ArtifactStore(dir.resolve("cache"), ScanWorld.fetcher(), 1 << 20);
            String sha = EntryDigest.sha256(bytes);
            ArtifactStore.Fetched first = store.fetch(artifact(server.baseUrl() + "/f.tar.gz", sha));
            assertEquals(DigestStatus.VERIFIED, first.digestStatus());
            assertFalse(first.fromCache());
            assertEquals(dir.resolve("cache/sha256/" + sha.substring(0, 2) + "/" + sha), first.path().orElseThrow());
            assertArrayEquals(bytes, Files.readAllBytes(first.path().orElseThrow()));
            Files.delete(dir.resolve("www/f.tar.gz")); // a second fetch must not need the server
            ArtifactStore.Fetched second = store.fetch(artifact(server.baseUrl() + "/f.tar.gz", sha));
            assertTrue(second.fromCache());
            assertEquals(DigestStatus.VERIFIED, second.digestStatus());
        }
    }

    @Test
    void digestMismatchIsAFindingWithBothDigestsNotACrash() throws Exception {
        byte[] bytes = "served bytes".getBytes(StandardCharsets.UTF_8);
        Files.createDirectories(dir.resolve("www"));
        Files.write(dir.resolve("www/f.tar.gz"), bytes);
        String claimed = "0".repeat(64);
        try (StaticRegistryServer server = new StaticRegistryServer(dir.resolve("www"))) {
            ArtifactStore store = new ArtifactStore(dir.resolve("cache"), ScanWorld.fetcher(), 1 << 20);
            ArtifactStore.Fetched f = store.fetch(artifact(server.baseUrl() + "/f.tar.gz", claimed));
            assertEquals(DigestStatus.MISMATCH, f.digestStatus());
            assertEquals(EntryDigest.sha256(bytes), f.sha256().orElseThrow());
            assertEquals("sha256 mismatch: registry says " + claimed + ", downloaded bytes are " + EntryDigest.sha256(bytes),
                    f.error().orElseThrow());
            assertTrue(Files.isRegularFile(f.path().orElseThrow()));
        }
    }

    @Test
    void missingFileAndHostileDigestAreReportedNotThrown() throws Exception {
        try (StaticRegistryServer server = new StaticRegistryServer(dir)) {
            ArtifactStore store = new ArtifactStore(dir.resolve("cache"), ScanWorld.fetcher(), 1 << 20);
            ArtifactStore.Fetched f = store.fetch(artifact(server.baseUrl() + "/absent.tar.gz", "../../../../etc/passwd"));
            assertEquals(DigestStatus.NOT_FETCHED, f.digestStatus());
            assertTrue(f.error().orElseThrow().startsWith("download failed: HTTP 404"), f.error().orElseThrow());
        }
    }
}
