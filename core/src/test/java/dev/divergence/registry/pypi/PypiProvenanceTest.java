package dev.divergence.registry.pypi;

import static dev.divergence.fixtures.Trees.flatProject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.archive.EntryDigest;
import dev.divergence.fixtures.ScanWorld;
import dev.divergence.fixtures.Trees;
import dev.divergence.model.RefMethod;
import dev.divergence.model.ReleaseReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PEP 740 provenance served like PyPI's Integrity API. The signing certificate is made by the JDK's keytool
 * with the Fulcio "Source Repository Digest" extension, as Sigstore issues them to trusted publishers.
 */
class PypiProvenanceTest {

    @TempDir
    Path dir;

    /** A self-signed certificate carrying {@code commit} in extension 1.3.6.1.4.1.57264.1.13, base64 DER. */
    private String certificate(String commit) throws Exception {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        String value = "0C" + String.format("%02X", commit.length())
                + HexFormat.of().formatHex(commit.getBytes(StandardCharsets.US_ASCII));
        Path store = dir.resolve("ks.p12");
        Path cert = dir.resolve("cert.der");
        run(keytool, "-genkeypair", "-keystore", store.toString(), "-storepass", "changeit", "-alias", "fulcio",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=sigstore-intermediate", "-validity", "2",
                "-ext", "1.3.6.1.4.1.57264.1.13=" + value);
        run(keytool, "-exportcert", "-keystore", store.toString(), "-storepass", "changeit", "-alias", "fulcio",
                "-file", cert.toString());
        return Base64.getEncoder().encodeToString(Files.readAllBytes(cert));
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    private void provenance(Path registry, String file, String sha256, String cert) throws Exception {
        String statement = "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"" + file
                + "\",\"digest\":{\"sha256\":\"" + sha256 + "\"}}],\"predicateType\":\"https://docs.pypi.org/attestations/publish/v1\","
                + "\"predicate\":null}";
        String doc = "{\"version\":1,\"attestation_bundles\":[{\"publisher\":{\"kind\":\"GitHub\",\"repository\":\"example/demo\","
                + "\"workflow\":\"release.yml\"},\"attestations\":[{\"version\":1,\"verification_material\":{\"certificate\":\""
                + cert + "\",\"transparency_entries\":[]},\"envelope\":{\"statement\":\""
                + Base64.getEncoder().encodeToString(statement.getBytes(StandardCharsets.UTF_8)) + "\",\"signature\":\"AA==\"}}]}]}";
        Path p = registry.resolve("integrity/demo/1.0.0/" + file + "/provenance");
        Files.createDirectories(p.getParent());
        Files.writeString(p, doc);
    }

    @Test
    void attestedCommitFromThePublishersCertificateLocatesTheVersion() throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            SortedMap<String, byte[]> tree = flatProject("1.0.0");
            String built = w.commit(tree, "1.0.0");
            w.commit(Trees.with(tree, "README.md", "# later\n"), "later");
            w.tag("v1.0.0"); // on the later commit: the attestation and the tag disagree
            w.publish("1.0.0", tree, Trees.under(tree, ""));
            w.pypi.write();
            Path wheel = dir.resolve("registry/packages/demo-1.0.0-py3-none-any.whl");
            provenance(dir.resolve("registry"), "demo-1.0.0-py3-none-any.whl",
                    EntryDigest.sha256(Files.readAllBytes(wheel)), certificate(built));
            ReleaseReport r = w.scan("1.0.0");
            assertEquals(RefMethod.ATTESTATION, r.ref().method());
            assertEquals(built, r.ref().commit().orElseThrow());
            assertFalse(r.ref().agreement().orElseThrow());
            // The tag is tried first (the attestation is not verified); the content bears the attestation out.
            assertTrue(r.ref().note().orElseThrow().startsWith("attested commit " + built.substring(0, 12)
                    + " is the publisher's claim; compared with tag v1.0.0"), r.ref().note().orElseThrow());
            assertTrue(r.ref().note().orElseThrow().contains("compared with " + built.substring(0, 12)
                    + ", which holds every artifact file found in the history"), r.ref().note().orElseThrow());
        }
    }

    @Test
    void anAttestationAboutOtherBytesIsIgnored() throws Exception {
        try (ScanWorld w = new ScanWorld(dir, "demo")) {
            SortedMap<String, byte[]> tree = flatProject("1.0.0");
            String c = w.commit(tree, "1.0.0");
            w.tag("v1.0.0");
            w.publish("1.0.0", tree, Trees.under(tree, ""));
            w.pypi.write();
            provenance(dir.resolve("registry"), "demo-1.0.0-py3-none-any.whl", "ab".repeat(32), certificate("f".repeat(40)));
            ReleaseReport r = w.scan("1.0.0");
            assertEquals(RefMethod.TAG, r.ref().method());
            assertEquals(c, r.ref().commit().orElseThrow());
        }
    }
}
