package dev.divergence.rebuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.divergence.demo.StaticRegistryServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A resolve step's private repository reaches the shared one only where the registry vouches for a new file. */
class VerifiedMergeTest {

    @TempDir
    Path dir;

    private static void write(Path root, String rel, String content) throws Exception {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    @Test
    void onlyNewFilesWithTheRegistrysSha1AreMerged() throws Exception {
        Path shared = dir.resolve("shared");
        Path mine = dir.resolve("private");
        Path www = dir.resolve("registry");
        write(shared, "org/a/a/1/a-1.jar", "genuine");
        write(mine, "org/a/a/1/a-1.jar", "rewritten by the build"); // an existing file altered in the copy
        write(mine, "org/d/d/2/d-2.jar", "downloaded");
        write(www, "org/d/d/2/d-2.jar.sha1", VerifiedMerge.sha1(mine.resolve("org/d/d/2/d-2.jar")) + "  d-2.jar\n");
        write(mine, "org/d/d/2/_remote.repositories", "d-2.jar>configured=\nevil.jar>configured=\n");
        write(mine, "org/e/e/3/e-3.jar", "planted"); // no checksum on the registry
        write(mine, "org/g/g/4/g-4.pom", "<project>tampered</project>");
        write(www, "org/g/g/4/g-4.pom.sha1", "0123456789abcdef0123456789abcdef01234567");
        try (StaticRegistryServer registry = new StaticRegistryServer(www)) {
            VerifiedMerge.Result r = VerifiedMerge.merge(mine, shared, URI.create(registry.baseUrl() + "/"), "configured");
            assertEquals(1, r.merged());
            assertEquals(List.of("org/e/e/3/e-3.jar: the registry publishes no SHA-1 for it",
                    "org/g/g/4/g-4.pom: SHA-1 " + VerifiedMerge.sha1(mine.resolve("org/g/g/4/g-4.pom"))
                            + ", the registry's 0123456789abcdef0123456789abcdef01234567"), r.refused());
        }
        assertEquals("genuine", Files.readString(shared.resolve("org/a/a/1/a-1.jar")));
        assertEquals("downloaded", Files.readString(shared.resolve("org/d/d/2/d-2.jar")));
        assertEquals("d-2.jar>configured=\n", Files.readString(shared.resolve("org/d/d/2/_remote.repositories")));
        assertFalse(Files.exists(shared.resolve("org/e/e/3/e-3.jar")));
        assertFalse(Files.exists(shared.resolve("org/g/g/4/g-4.pom")));
    }

    @Test
    void aDownloadThatFailedInOneResolveRoundIsAskedForAgainInTheNext() throws Exception {
        // Maven records a failed download as *.lastUpdated and would not retry it before the update interval
        Path repo = dir.resolve("private");
        write(repo, "org/codehaus/plexus/plexus-utils/1.1/plexus-utils-1.1.jar.lastUpdated", "#failed\n");
        write(repo, "org/codehaus/plexus/plexus-utils/1.1/resolver-status.properties", "x=y\n");
        write(repo, "org/a/a/1/a-1.jar", "kept");
        write(repo, "org/a/a/1/_remote.repositories", "a-1.jar>configured=\n");
        assertEquals(2, MavenRebuild.forgetFailedDownloads(repo));
        assertFalse(Files.exists(repo.resolve("org/codehaus/plexus/plexus-utils/1.1/plexus-utils-1.1.jar.lastUpdated")));
        assertFalse(Files.exists(repo.resolve("org/codehaus/plexus/plexus-utils/1.1/resolver-status.properties")));
        assertEquals("kept", Files.readString(repo.resolve("org/a/a/1/a-1.jar")));
        assertEquals("a-1.jar>configured=\n", Files.readString(repo.resolve("org/a/a/1/_remote.repositories")));
        assertEquals(0, MavenRebuild.forgetFailedDownloads(dir.resolve("absent")));
    }

    @Test
    void aRegistryAnsweringLaterAtFirstStillVouchesForAGenuineFile() throws Exception {
        // the cold-cache flake: a SHA-1 request that fails once under load must not leave the offline build short
        Path shared = dir.resolve("shared");
        Path mine = dir.resolve("private");
        write(mine, "org/d/d/2/d-2.jar", "downloaded");
        String sha1 = VerifiedMerge.sha1(mine.resolve("org/d/d/2/d-2.jar"));
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            boolean busy = asked.incrementAndGet() < VerifiedMerge.ATTEMPTS;
            byte[] body = (busy ? "busy" : sha1 + "  d-2.jar\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ex.sendResponseHeaders(busy ? 503 : 200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            VerifiedMerge.Result r = VerifiedMerge.merge(mine, shared,
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), "configured");
            assertEquals(1, r.merged(), r.refused().toString());
            assertEquals(VerifiedMerge.ATTEMPTS, asked.get());
        } finally {
            server.stop(0);
        }
        assertEquals("downloaded", Files.readString(shared.resolve("org/d/d/2/d-2.jar")));
    }
}
