package dev.divergence.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.fixtures.FaultyServer;
import dev.divergence.http.HttpFetcher;
import dev.divergence.model.Artifact;
import dev.divergence.model.ArtifactKind;
import dev.divergence.model.DigestStatus;
import dev.divergence.model.PackageId;
import dev.divergence.model.Release;
import dev.divergence.registry.RegistryException;
import dev.divergence.registry.maven.MavenRegistry;
import dev.divergence.registry.pypi.PypiRegistry;
import dev.divergence.store.ArtifactStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registry faults against a server that misbehaves on purpose: bounded retries, then a clear reason. */
class RegistryFaultsTest {

    @TempDir
    Path dir;

    private static final byte[] JSON = "{\"info\":{\"project_urls\":{}},\"releases\":{\"1.0\":[]}}".getBytes(StandardCharsets.UTF_8);
    private static final HttpFetcher HTTP = new HttpFetcher(new HttpFetcher.Policy(3, Duration.ofMillis(50),
            Duration.ofSeconds(2), Duration.ofMillis(800)));

    private static List<Release> list(FaultyServer s) throws RegistryException {
        return new PypiRegistry(s.baseUrl(), HTTP).releases(PackageId.parse("pkg:pypi/demo"));
    }

    @Test
    void tooManyRequestsIsRetriedAfterRetryAfter() throws Exception {
        try (FaultyServer s = new FaultyServer()) {
            s.on("/pypi/demo/json", FaultyServer.status(429, Map.of("Retry-After", "1")), FaultyServer.ok(JSON));
            long t0 = System.nanoTime();
            assertEquals(1, list(s).size());
            assertTrue(System.nanoTime() - t0 >= 900_000_000L, "waited for Retry-After");
            assertEquals(2, s.count("/pypi/demo/json"));
        }
    }

    @Test
    void serverErrorsAndResetsAreRetried() throws Exception {
        try (FaultyServer s = new FaultyServer()) {
            s.on("/pypi/demo/json", FaultyServer.status(503, Map.of()), new FaultyServer.Reset(), FaultyServer.ok(JSON));
            assertEquals(1, list(s).size());
            assertEquals(3, s.count("/pypi/demo/json"));
        }
    }

    @Test
    void persistentFailuresEndAsARegistryErrorWithTheReason() throws Exception {
        try (FaultyServer s = new FaultyServer()) {
            s.on("/pypi/demo/json", FaultyServer.status(500, Map.of()));
            RegistryException e = assertThrows(RegistryException.class, () -> list(s));
            assertEquals("PyPI metadata unavailable: HTTP 500 for " + s.baseUrl() + "/pypi/demo/json after 3 attempts",
                    e.getMessage());
            assertEquals(3, s.count("/pypi/demo/json"), "bounded retries");
        }
    }

    @Test
    void aHangingServerTimesOut() throws Exception {
        try (FaultyServer s = new FaultyServer()) {
            s.on("/pypi/demo/json", new FaultyServer.Hang(5_000));
            RegistryException e = assertThrows(RegistryException.class, () -> list(s));
            assertTrue(e.getMessage().startsWith("PyPI metadata unavailable: network error: HttpTimeoutException"),
                    e.getMessage());
        }
    }

    @Test
    void aRedirectLoopEndsWithAReason() throws Exception {
        try (FaultyServer s = new FaultyServer()) {
            s.on("/pypi/demo/json", FaultyServer.status(302, Map.of("Location", "/loop")));
            s.on("/loop", FaultyServer.status(302, Map.of("Location", "/pypi/demo/json")));
            RegistryException e = assertThrows(RegistryException.class, () -> list(s));
            assertTrue(e.getMessage().startsWith("PyPI metadata unavailable:"), e.getMessage());
        }
    }

    @Test
    void malformedXmlFromAMavenRepositoryIsARegistryError() throws Exception {
        try (FaultyServer s = new FaultyServer()) {
            s.on("/g/a/maven-metadata.xml", FaultyServer.ok("<metadata><versions><version>1.0".getBytes(StandardCharsets.UTF_8)));
            RegistryException e = assertThrows(RegistryException.class,
                    () -> new MavenRegistry(s.baseUrl(), HTTP).releases(PackageId.parse("pkg:maven/g/a")));
            assertTrue(e.getMessage().startsWith("malformed XML from " + s.baseUrl() + "/g/a/maven-metadata.xml"),
                    e.getMessage());
        }
    }

    @Test
    void aTruncatedDownloadIsRetriedAndThenReportedNotStored() throws Exception {
        byte[] body = "0123456789".getBytes(StandardCharsets.UTF_8);
        try (FaultyServer s = new FaultyServer()) {
            s.on("/f.tar.gz", new FaultyServer.Truncated(body, 1000));
            ArtifactStore store = new ArtifactStore(dir.resolve("cache"), HTTP, 1 << 20);
            ArtifactStore.Fetched f = store.fetch(new Artifact("f.tar.gz", s.baseUrl() + "/f.tar.gz", ArtifactKind.SDIST,
                    1000, Map.of(), Optional.empty(), false));
            assertEquals(DigestStatus.NOT_FETCHED, f.digestStatus());
            assertTrue(f.error().orElseThrow().startsWith("download failed: network error:"), f.error().orElseThrow());
            assertEquals(3, s.count("/f.tar.gz"));
            assertTrue(f.path().isEmpty(), "a partial download never enters the cache");
            s.on("/g.tar.gz", new FaultyServer.Truncated(body, 1000), FaultyServer.ok(body));
            ArtifactStore.Fetched g = store.fetch(new Artifact("g.tar.gz", s.baseUrl() + "/g.tar.gz", ArtifactKind.SDIST,
                    10, Map.of("sha256", dev.divergence.archive.EntryDigest.sha256(body)), Optional.empty(), false));
            assertEquals(DigestStatus.VERIFIED, g.digestStatus(), g.error().orElse(""));
        }
    }

    @Test
    void aMavenReleaseIsDatedByItsPomsLastModifiedAndUndatedWithoutIt() throws Exception {
        // Central's files never change once deployed: the POM's Last-Modified is the publication time (used to
        // order commits against the release and to say when the repository is older than it).
        try (FaultyServer s = new FaultyServer()) {
            s.on("/g/a/maven-metadata.xml", FaultyServer.ok(
                    "<metadata><versioning><versions><version>1.0</version><version>2.0</version></versions></versioning></metadata>"
                            .getBytes(StandardCharsets.UTF_8)));
            byte[] pom = "<project><artifactId>a</artifactId><packaging>pom</packaging></project>".getBytes(StandardCharsets.UTF_8);
            s.on("/g/a/1.0/a-1.0.pom", new FaultyServer.Respond(200, Map.of("Last-Modified", "Tue, 03 Jun 2008 11:05:30 GMT"), pom));
            s.on("/g/a/2.0/a-2.0.pom", new FaultyServer.Respond(200, Map.of("Last-Modified", "not a date"), pom));
            List<dev.divergence.model.Release> rs = new MavenRegistry(s.baseUrl(), HTTP).releases(PackageId.parse("pkg:maven/g/a"));
            assertEquals(java.time.Instant.parse("2008-06-03T11:05:30Z"), rs.get(0).published().orElseThrow());
            assertTrue(rs.get(1).published().isEmpty());
        }
    }
}
