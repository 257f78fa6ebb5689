package dev.divergence.scan;

import static dev.divergence.fixtures.Trees.flatProject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.fixtures.ScanWorld;
import dev.divergence.model.Ecosystem;
import dev.divergence.model.FileStatus;
import dev.divergence.model.PackageId;
import dev.divergence.model.RefMethod;
import dev.divergence.model.Release;
import dev.divergence.model.ReleaseReport;
import dev.divergence.model.SourceHints;
import dev.divergence.model.Verdict;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repository is the package's, chosen from its history; the release being judged does not choose it. */
class RepositoryChoiceTest {

    @TempDir
    Path dir;

    private static final String ORIGINAL = "https://github.com/acme/widget";
    private static final String OTHER = "https://github.com/attacker/widget";

    private static Release release(String version, String published, String... urls) {
        return new Release(new PackageId(Ecosystem.NPM, "widget"), version, List.of(),
                Optional.of(Instant.parse(published)), false, Optional.empty(),
                new SourceHints(List.of(urls), Optional.empty(), Optional.empty()));
    }

    @Test
    void repositoryIsChosenFromHistoryWhenTheLatestReleaseDeclaresAnother() {
        List<Release> releases = List.of(
                release("1.2.0", "2026-03-01T00:00:00Z", OTHER), // the registry lists newest first
                release("1.0.0", "2026-01-01T00:00:00Z", ORIGINAL + ".git"),
                release("1.1.0", "2026-02-01T00:00:00Z", "https://github.com/Acme/Widget/"),
                release("0.9.0", "2025-12-01T00:00:00Z"));
        RepositoryChoice choice = RepositoryChoice.fromHistory(releases);
        assertEquals(Optional.of(ORIGINAL + ".git"), choice.location(), "spelled as its first declaration");
        assertEquals("declared by 2 of 3 releases", choice.basis());
        assertEquals(List.of(new History.Signal("1.2.0", History.SignalKind.REPOSITORY_CHANGED, "declares " + OTHER
                + "; the package's repository is " + ORIGINAL + ".git (declared by 2 of 3 releases)")),
                History.repositoryChanges(releases, choice, Set.of("0.9.0", "1.0.0", "1.1.0", "1.2.0")));
        // reported when the version is scanned, not again by every nightly run
        assertEquals(List.of(), History.repositoryChanges(releases, choice, Set.of("1.0.0", "1.1.0")));
    }

    @Test
    void aTieGoesToTheRepositoryDeclaredFirst() {
        List<Release> releases = List.of(release("2.0.0", "2026-03-01T00:00:00Z", OTHER),
                release("1.0.0", "2026-01-01T00:00:00Z", ORIGINAL));
        RepositoryChoice choice = RepositoryChoice.fromHistory(releases);
        assertEquals(Optional.of(ORIGINAL), choice.location());
        assertEquals(List.of("2.0.0"), History.repositoryChanges(releases, choice, Set.of("1.0.0", "2.0.0")).stream()
                .map(History.Signal::version).toList());
    }

    @Test
    void aGivenRepositoryIsNeverCheckedNorComparedWithTheMetadata() {
        RepositoryChoice given = RepositoryChoice.given("/srv/clones/widget");
        assertEquals(Optional.empty(), given.refusal());
        assertEquals(List.of(), History.repositoryChanges(List.of(release("1.0.0", "2026-01-01T00:00:00Z", OTHER)),
                given, Set.of("1.0.0")));
    }

    @Test
    void aRepositoryUrlTheRegistryDeclaresIsRefusedUnlessHttpsToAPublicHost() throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            SortedMap<String, byte[]> v1 = flatProject("1.0.0");
            w.commit(v1, "1.0.0");
            w.tag("v1.0.0");
            SortedMap<String, byte[]> wheel = new TreeMap<>(v1.tailMap("demo/").headMap("demo0"));
            w.publish("1.0.0", v1, wheel);
            Release listed = w.release("1.0.0");
            for (String declared : List.of("file://" + w.git.dir(), w.git.dir().toString(), "http://127.0.0.1:9/demo.git",
                    "git://127.0.0.1/demo.git")) {
                Release release = new Release(listed.pkg(), listed.version(), listed.artifacts(), listed.published(),
                        listed.yanked(), listed.yankedReason(), new SourceHints(List.of(declared), Optional.empty(),
                        Optional.empty()));
                ReleaseReport r = w.scanner().scan(release, Optional.empty());
                assertEquals(Verdict.NO_SOURCE, r.verdict(), declared);
                assertEquals(RefMethod.NONE, r.ref().method());
                assertTrue(r.ref().note().orElseThrow().startsWith("repository refused: "), r.ref().note().orElseThrow());
                assertTrue(r.reason().orElseThrow().contains("repository refused: "), r.reason().orElseThrow());
                assertEquals(FileStatus.UNCOMPARED, r.artifacts().get(0).files().get(0).status());
            }
            // The same local repository given by the user is compared with.
            ReleaseReport given = w.scanner().scan(listed, Optional.of("file://" + w.git.dir()));
            assertEquals(RefMethod.TAG, given.ref().method());
        }
    }

    @Test
    void forPypiTheEarliestReleasesDeclareTheRepositoryNotTheProjectDocumentTheLatestPublisherWrote() throws Exception {
        // PyPI's project document carries the latest release's project_urls; per-version documents carry each one's
        try (dev.divergence.fixtures.LocalPypi pypi = new dev.divergence.fixtures.LocalPypi(dir.resolve("pypi"), "widget",
                java.util.Map.of("Source", OTHER))) {
            SortedMap<String, byte[]> files = flatProject("1.0.0");
            for (String v : List.of("1.0.0", "1.1.0", "1.2.0")) {
                pypi.publish("widget", v, files, files);
                java.nio.file.Path doc = dir.resolve("pypi").resolve("pypi").resolve("widget").resolve(v).resolve("json");
                java.nio.file.Files.createDirectories(doc.getParent());
                java.nio.file.Files.writeString(doc, "{\"info\": {\"project_urls\": {\"Source\": \""
                        + (v.equals("1.2.0") ? OTHER : ORIGINAL) + "\"}}, \"urls\": []}");
            }
            pypi.write();
            List<Release> releases = new dev.divergence.registry.pypi.PypiRegistry(pypi.baseUrl(), ScanWorld.fetcher())
                    .releases(new PackageId(Ecosystem.PYPI, "widget"));
            assertEquals(List.of(List.of(ORIGINAL), List.of(ORIGINAL), List.of(OTHER)),
                    releases.stream().map(r -> r.hints().repositoryUrls()).toList());
            RepositoryChoice choice = RepositoryChoice.fromHistory(releases);
            assertEquals(Optional.of(ORIGINAL), choice.location());
            assertEquals(List.of("1.2.0"), History.repositoryChanges(releases, choice, Set.of("1.0.0", "1.1.0", "1.2.0"))
                    .stream().map(History.Signal::version).toList());
        }
    }
}
