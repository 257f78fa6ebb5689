package dev.divergence.registry.pypi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.demo.PypiIndexWriter;
import dev.divergence.demo.StaticRegistryServer;
import dev.divergence.fixtures.ScanWorld;
import dev.divergence.model.Artifact;
import dev.divergence.model.ArtifactKind;
import dev.divergence.model.Ecosystem;
import dev.divergence.model.PackageId;
import dev.divergence.model.Release;
import dev.divergence.registry.RegistryException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PypiRegistryTest {

    @TempDir
    Path dir;

    @Test
    void listsEveryReleaseWithFilesDigestsTimesAndRepository() throws Exception {
        Instant t = Instant.parse("2026-03-24T10:52:00Z");
        byte[] sdist = "sdist bytes".getBytes(StandardCharsets.UTF_8);
        try (StaticRegistryServer server = new StaticRegistryServer(dir)) {
            new PypiIndexWriter(dir, "Demo_Pkg", Map.of("Source Code", "https://github.com/acme/demo-pkg/tree/main/python",
                    "Homepage", "https://acme.example"))
                    .add(new PypiIndexWriter.Upload("1.10.0", "demo_pkg-1.10.0.tar.gz", sdist, t))
                    .add(new PypiIndexWriter.Upload("1.9.0", "demo_pkg-1.9.0-py3-none-any.whl", sdist, t.minusSeconds(86400),
                            true, Optional.empty()))
                    .add(new PypiIndexWriter.Upload("1.10.0rc1", "demo_pkg-1.10.0rc1.tar.gz", sdist, t.minusSeconds(600)))
                    .addEmptyVersion("0.1")
                    .write(server.baseUrl());
            List<Release> releases = new PypiRegistry(server.baseUrl(), ScanWorld.fetcher())
                    .releases(PackageId.parse("pkg:pypi/Demo.Pkg"));
            assertEquals(List.of("0.1", "1.9.0", "1.10.0rc1", "1.10.0"), releases.stream().map(Release::version).toList());
            Release r = releases.get(3);
            assertEquals(new PackageId(Ecosystem.PYPI, "demo-pkg"), r.pkg());
            assertEquals(List.of("https://github.com/acme/demo-pkg"), r.hints().repositoryUrls());
            Artifact a = r.artifacts().get(0);
            assertEquals("demo_pkg-1.10.0.tar.gz", a.filename());
            assertEquals(ArtifactKind.SDIST, a.kind());
            assertEquals(server.baseUrl() + "/packages/demo_pkg-1.10.0.tar.gz", a.url());
            assertEquals(sdist.length, a.size());
            assertEquals(dev.divergence.archive.EntryDigest.sha256(sdist), a.sha256().orElseThrow());
            assertEquals(t, a.uploaded().orElseThrow());
            assertTrue(releases.get(1).yanked());
            assertEquals(ArtifactKind.WHEEL, releases.get(1).artifacts().get(0).kind());
            assertEquals(List.of(), releases.get(0).artifacts());
        }
    }

    @Test
    void unknownPackageAndMalformedAnswersAreRegistryErrors() throws Exception {
        Files.createDirectories(dir.resolve("pypi/broken"));
        Files.writeString(dir.resolve("pypi/broken/json"), "{\"info\": {}, \"releases\": [");
        Files.createDirectories(dir.resolve("pypi/odd"));
        Files.writeString(dir.resolve("pypi/odd/json"), "{\"info\": {}}");
        try (StaticRegistryServer server = new StaticRegistryServer(dir)) {
            PypiRegistry registry = new PypiRegistry(server.baseUrl(), ScanWorld.fetcher());
            RegistryException missing = assertThrows(RegistryException.class,
                    () -> registry.releases(PackageId.parse("pkg:pypi/absent")));
            assertTrue(missing.getMessage().startsWith("package not found on PyPI: absent"), missing.getMessage());
            RegistryException broken = assertThrows(RegistryException.class,
                    () -> registry.releases(PackageId.parse("pkg:pypi/broken")));
            assertTrue(broken.getMessage().startsWith("malformed PyPI JSON"), broken.getMessage());
            RegistryException odd = assertThrows(RegistryException.class,
                    () -> registry.releases(PackageId.parse("pkg:pypi/odd")));
            assertTrue(odd.getMessage().endsWith("no 'releases' object"), odd.getMessage());
        }
    }

    @Test
    void repositoryUrlsAreNormalisedToTheForgeRepository() {
        assertEquals(Optional.of("https://github.com/BerriAI/litellm"),
                PypiRegistry.repoUrl("git+https://github.com/BerriAI/litellm.git"));
        assertEquals(Optional.of("https://gitlab.com/group/proj"), PypiRegistry.repoUrl("https://gitlab.com/group/proj#readme"));
        assertEquals(Optional.empty(), PypiRegistry.repoUrl("https://docs.litellm.ai"));
    }
}
