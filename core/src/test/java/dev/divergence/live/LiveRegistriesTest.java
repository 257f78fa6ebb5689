package dev.divergence.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.divergence.http.HttpFetcher;
import dev.divergence.model.Artifact;
import dev.divergence.model.DigestStatus;
import dev.divergence.model.PackageId;
import dev.divergence.model.Release;
import dev.divergence.registry.Registry;
import dev.divergence.registry.RegistryException;
import dev.divergence.registry.maven.MavenSupport;
import dev.divergence.registry.npm.NpmSupport;
import dev.divergence.store.ArtifactStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The few live checks: the real npm registry and Maven Central (the registries this project's machines and
 * CI reach). A failure caused by the network says so first ("NETWORK:"), so it is not mistaken for a bug.
 */
@Tag("live")
class LiveRegistriesTest {

    @TempDir
    Path dir;

    private static final HttpFetcher HTTP = new HttpFetcher(new HttpFetcher.Policy(3, Duration.ofSeconds(1),
            Duration.ofSeconds(5), Duration.ofSeconds(60)));

    private static List<Release> list(Registry registry, String purl) {
        try {
            return registry.releases(PackageId.parse(purl));
        } catch (RegistryException e) {
            if (e.getCause() instanceof HttpFetcher.FetchException f && (f.status() < 0 || f.status() >= 500)) {
                fail("NETWORK: cannot reach the registry for " + purl + ": " + e.getMessage(), e);
            }
            fail("registry answered but could not be read for " + purl + ": " + e.getMessage(), e);
            return List.of();
        }
    }

    private ArtifactStore.Fetched download(Artifact a) {
        ArtifactStore.Fetched f = new ArtifactStore(dir, HTTP, 64L << 20).fetch(a);
        if (f.digestStatus() == DigestStatus.NOT_FETCHED) {
            fail("NETWORK: cannot download " + a.url() + ": " + f.error().orElse(""));
        }
        return f;
    }

    @Test
    void npmRegistryListsVersionsAndATarballMatchesItsIntegrity() {
        List<Release> releases = list(new NpmSupport(NpmSupport.DEFAULT_BASE_URL, HTTP).registry(), "pkg:npm/is-number");
        assertTrue(releases.size() >= 10, "is-number has more than ten versions, got " + releases.size());
        Release r = releases.stream().filter(x -> x.version().equals("7.0.0")).findFirst().orElseThrow();
        assertEquals(List.of("https://github.com/jonschlinkert/is-number"), r.hints().repositoryUrls());
        Artifact tgz = r.artifacts().get(0);
        assertEquals("is-number-7.0.0.tgz", tgz.filename());
        assertTrue(tgz.digests().containsKey("sha512"), "integrity is published");
        ArtifactStore.Fetched f = download(tgz);
        assertEquals(DigestStatus.VERIFIED, f.digestStatus(), f.error().orElse(""));
    }

    @Test
    void mavenCentralListsVersionsAndAJarMatchesItsSha1() {
        List<Release> releases = list(new MavenSupport(MavenSupport.DEFAULT_BASE_URL, HTTP).registry(),
                "pkg:maven/commons-cli/commons-cli");
        Release r = releases.stream().filter(x -> x.version().equals("1.9.0")).findFirst()
                .orElseThrow(() -> new AssertionError("commons-cli 1.9.0 not listed"));
        Artifact jar = r.artifacts().stream().filter(a -> a.filename().equals("commons-cli-1.9.0.jar")).findFirst()
                .orElseThrow();
        assertTrue(r.artifacts().stream().anyMatch(a -> a.filename().equals("commons-cli-1.9.0-sources.jar")));
        ArtifactStore.Fetched f = download(jar);
        assertEquals(DigestStatus.VERIFIED, f.digestStatus(), f.error().orElse(""));
        // The POM's <scm>: a clonable connection first; its <tag> says HEAD, which names no release.
        assertEquals("https://gitbox.apache.org/repos/asf/commons-cli.git", r.hints().repositoryUrls().get(0));
        assertEquals(java.util.Optional.empty(), r.hints().recordedTag());
    }
}
