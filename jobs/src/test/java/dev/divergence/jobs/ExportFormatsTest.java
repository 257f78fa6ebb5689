package dev.divergence.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.divergence.jobs.ExportCommand.Artifact;
import dev.divergence.jobs.ExportCommand.Finding;
import dev.divergence.jobs.ExportCommand.Release;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the demo does not have: build output explained by name only (not verified), a divergence that is not high
 * risk (a SARIF warning), a Maven package (OSV name), and a path that would break a Markdown table.
 */
class ExportFormatsTest {

    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    private static Release release(String eco, String pkg, String version, int order, String verdict, int unverified,
                                   List<Artifact> files, List<Finding> findings) {
        return new Release(eco, pkg, version, order, Optional.of(Instant.parse("2026-03-0" + order + "T00:00:00Z")),
                false, "https://example.org/repo", COMMIT, "TAG", "v" + version, verdict, null, unverified,
                List.of("npm.build-output"), List.of(), List.of(), files, findings);
    }

    private static Artifact tarball(String name, String verdict, List<String> divergent) {
        return new Artifact(name, "NPM_TARBALL", 10, "https://registry/" + name, "ab".repeat(32), "sha512:cd",
                "VERIFIED", verdict, List.of(), divergent);
    }

    private static String write(List<Release> releases, ExportCommand.Format format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExportFormats.write(releases, new ExportCommand.Request("/data", List.of(), Optional.empty(), format),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void verifiedIsCleanOrExplainedWithNothingExplainedByNameOnly() {
        assertTrue(release("npm", "a", "1.0.0", 1, "CLEAN", 0, List.of(), List.of()).verified());
        assertTrue(release("npm", "a", "1.0.0", 1, "EXPLAINED", 0, List.of(), List.of()).verified());
        assertFalse(release("npm", "a", "1.0.0", 1, "EXPLAINED", 3, List.of(), List.of()).verified());
        for (String verdict : List.of("NO_SOURCE", "ERROR", "DIVERGENT", "HIGH_RISK")) {
            assertFalse(release("npm", "a", "1.0.0", 1, verdict, 0, List.of(), List.of()).verified(), verdict);
        }
    }

    @Test
    void markdownSaysWhyAVersionIsNotVerifiedAndKeepsTheTableWhole() {
        Release built = release("npm", "widget", "1.0.0", 1, "EXPLAINED", 3,
                List.of(tarball("widget-1.0.0.tgz", "EXPLAINED", List.of())), List.of());
        Release odd = release("npm", "widget", "1.1.0", 2, "DIVERGENT", 0,
                List.of(tarball("widget-1.1.0.tgz", "DIVERGENT", List.of("docs/a|b.md"))), List.of());
        String md = write(List.of(built, odd), ExportCommand.Format.MD);
        assertTrue(md.contains("2 versions: 0 verified, 2 not verified (DIVERGENT: 1, EXPLAINED, unverified build "
                + "output: 1)."), md);
        List<String> rows = md.lines().filter(l -> l.startsWith("| 1.")).toList();
        assertEquals(List.of("| 1.0.0 | **NO** | `EXPLAINED` | `widget-1.0.0.tgz` | `" + "ab".repeat(32)
                        + "` | matched (sha512) | `" + COMMIT + "` | tag v1.0.0 | rules: npm.build-output; 3 files explained "
                        + "by name only (unverified without a rebuild) |",
                "| 1.1.0 | **NO** | `DIVERGENT` | `widget-1.1.0.tgz` | `" + "ab".repeat(32) + "` | matched (sha512) | `"
                        + COMMIT + "` | tag v1.1.0 | unexplained: docs/a\\|b.md |"), rows);
    }

    @Test
    void sarifWarnsForADivergenceAndOsvNamesMavenPackagesByGroupAndArtifact() throws Exception {
        Finding doc = new Finding("widget-1.1.0.tgz", "package/README.md", "README.md", "MODIFIED",
                "compare.unexplained", List.of(), false, "+1 -1 lines", "ef".repeat(32), "DOC");
        JsonNode sarif = new ObjectMapper().readTree(write(List.of(release("npm", "widget", "1.1.0", 2, "DIVERGENT", 0,
                List.of(), List.of(doc))), ExportCommand.Format.SARIF));
        JsonNode result = sarif.get("runs").get(0).get("results").get(0);
        assertEquals("warning compare.unexplained README.md", result.get("level").asText() + " "
                + result.get("ruleId").asText() + " " + result.get("locations").get(0).get("physicalLocation")
                .get("artifactLocation").get("uri").asText());

        Finding agent = new Finding("a-1.0.jar", "META-INF/MANIFEST.MF", "META-INF/MANIFEST.MF", "MODIFIED",
                "maven.manifest.execution-entry", List.of("AUTO_EXEC"), true, "Premain-Class", "12".repeat(32), "METADATA");
        JsonNode osv = new ObjectMapper().readTree(write(List.of(
                release("maven", "org.acme/a", "1.0", 1, "HIGH_RISK", 0, List.of(), List.of(agent)),
                release("maven", "org.acme/a", "1.1", 2, "CLEAN", 0, List.of(), List.of())), ExportCommand.Format.OSV));
        assertEquals(1, osv.size());
        assertEquals("DIVERGENCE-maven-org.acme-a-1.0", osv.get(0).get("id").asText());
        assertEquals("{\"ecosystem\":\"Maven\",\"name\":\"org.acme:a\",\"purl\":\"pkg:maven/org.acme/a\"}",
                osv.get(0).get("affected").get(0).get("package").toString());
    }
}
