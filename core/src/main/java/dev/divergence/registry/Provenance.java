package dev.divergence.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
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

    private static Optional<String> repo(String uri) {
        return RepositoryUrls.normalize(uri.replaceFirst("@.*$", ""));
    }
}
