package dev.divergence.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Optional;

/**
 * Reads the source commit out of a provenance attestation: an in-toto statement (in a DSSE envelope, as npm
 * serves them from {@code dist.attestations.url}) with a SLSA provenance predicate, v1
 * ({@code buildDefinition.resolvedDependencies[].digest.gitCommit}) or v0.2 ({@code materials[].digest.sha1},
 * {@code invocation.configSource}). Signatures are not verified here: provenance is a locator signal and a
 * cross-check, never a verdict (valid provenance has shipped malware).
 * See https://slsa.dev/spec/v1.0/provenance and https://docs.npmjs.com/generating-provenance-statements.
 */
public final class Provenance {

    /** What the statement says: the commit, the repository it names, and the subject's sha512 (hex). */
    public record Statement(String commit, Optional<String> repository, Optional<String> subjectSha512) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private Provenance() {
    }

    /** Parses npm's attestations document; empty when it holds no SLSA provenance with a git commit. */
    public static Optional<Statement> fromNpmAttestations(byte[] document) {
        try {
            JsonNode root = JSON.readTree(document);
            for (JsonNode att : root.path("attestations")) {
                String type = att.path("predicateType").asText("");
                if (!type.startsWith("https://slsa.dev/provenance/")) {
                    continue;
                }
                String payload = att.path("bundle").path("dsseEnvelope").path("payload").asText("");
                if (payload.isEmpty()) {
                    continue;
                }
                Optional<Statement> s = fromStatement(Base64.getDecoder().decode(payload));
                if (s.isPresent()) {
                    return s;
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // malformed attestation: no signal (the caller records that none was found)
        }
        return Optional.empty();
    }

    /** Parses an in-toto statement with a SLSA provenance predicate. */
    public static Optional<Statement> fromStatement(byte[] statement) {
        try {
            JsonNode st = JSON.readTree(statement);
            JsonNode pred = st.path("predicate");
            Optional<String> subject = Optional.empty();
            for (JsonNode s : st.path("subject")) {
                String sha512 = s.path("digest").path("sha512").asText("");
                if (!sha512.isEmpty()) {
                    subject = Optional.of(sha512.toLowerCase());
                }
            }
            for (JsonNode dep : pred.path("buildDefinition").path("resolvedDependencies")) {
                String commit = dep.path("digest").path("gitCommit").asText("");
                if (commit.matches("[0-9a-f]{40}")) {
                    return Optional.of(new Statement(commit, repo(dep.path("uri").asText("")), subject));
                }
            }
            JsonNode config = pred.path("invocation").path("configSource");
            for (JsonNode m : pred.path("materials")) {
                String commit = m.path("digest").path("sha1").asText("");
                if (commit.matches("[0-9a-f]{40}")) {
                    return Optional.of(new Statement(commit, repo(m.path("uri").asText("")), subject));
                }
            }
            String commit = config.path("digest").path("sha1").asText("");
            if (commit.matches("[0-9a-f]{40}")) {
                return Optional.of(new Statement(commit, repo(config.path("uri").asText("")), subject));
            }
        } catch (IOException e) {
            // not JSON: no signal
        }
        return Optional.empty();
    }

    /** Fulcio: Source Repository Digest (DER UTF8String) and the legacy GitHub Workflow SHA (raw text). */
    static final String OID_SOURCE_DIGEST = "1.3.6.1.4.1.57264.1.13";
    static final String OID_GITHUB_SHA = "1.3.6.1.4.1.57264.1.3";
    static final String OID_SOURCE_URI = "1.3.6.1.4.1.57264.1.12";

    /**
     * Reads PyPI's provenance object (PEP 740, https://docs.pypi.org/api/integrity/): the commit is not in the
     * publish statement but in the signing certificate's Fulcio extensions, as with any Sigstore bundle.
     * {@code fileSha256} must be the statement subject's digest, or the attestation is about other bytes.
     */
    public static Optional<Statement> fromPypiProvenance(byte[] document, String fileSha256) {
        try {
            JsonNode root = JSON.readTree(document);
            for (JsonNode bundle : root.path("attestation_bundles")) {
                for (JsonNode att : bundle.path("attestations")) {
                    String statement = att.path("envelope").path("statement").asText("");
                    if (!statement.isEmpty() && fileSha256 != null) {
                        JsonNode st = JSON.readTree(Base64.getDecoder().decode(statement));
                        boolean about = false;
                        for (JsonNode s : st.path("subject")) {
                            about |= fileSha256.equalsIgnoreCase(s.path("digest").path("sha256").asText(""));
                        }
                        if (!about) {
                            continue;
                        }
                    }
                    String cert = att.path("verification_material").path("certificate").asText("");
                    Optional<Statement> s = fromCertificate(Base64.getDecoder().decode(cert));
                    if (s.isPresent()) {
                        return s;
                    }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // malformed provenance: no signal
        }
        return Optional.empty();
    }

    static Optional<Statement> fromCertificate(byte[] der) {
        try {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            Optional<String> commit = extension(c, OID_SOURCE_DIGEST, true)
                    .or(() -> extension(c, OID_GITHUB_SHA, false)).filter(x -> x.matches("[0-9a-f]{40}"));
            Optional<String> repo = extension(c, OID_SOURCE_URI, true).flatMap(RepositoryUrls::normalize);
            return commit.map(x -> new Statement(x, repo, Optional.empty()));
        } catch (CertificateException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The extension's text: the OCTET STRING wraps a DER UTF8String (new OIDs) or raw bytes (legacy ones). */
    private static Optional<String> extension(X509Certificate c, String oid, boolean derString) {
        byte[] v = c.getExtensionValue(oid);
        if (v == null || v.length < 2 || v[0] != 0x04) {
            return Optional.empty();
        }
        byte[] inner = der(v);
        if (derString) {
            if (inner.length < 2 || inner[0] != 0x0c) {
                return Optional.empty();
            }
            inner = der(inner);
        }
        return Optional.of(new String(inner, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The content of one DER TLV (short or long length form). */
    private static byte[] der(byte[] tlv) {
        int len = tlv[1] & 0xff;
        int off = 2;
        if (len > 0x80) {
            int n = len & 0x7f;
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (tlv[2 + i] & 0xff);
            }
            off = 2 + n;
        }
        return java.util.Arrays.copyOfRange(tlv, off, Math.min(tlv.length, off + len));
    }

    private static Optional<String> repo(String uri) {
        return RepositoryUrls.normalize(uri.replaceFirst("@.*$", ""));
    }
}
