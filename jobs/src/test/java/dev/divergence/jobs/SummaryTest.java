package dev.divergence.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.junit.jupiter.api.Test;

/** The printed summary: release order, and the qualifiers of a divergence. No Spark session needed. */
class SummaryTest {

    private static Row release(String eco, String version, Integer order, String verdict, Boolean docOnly,
                               Boolean older) {
        Object[] values = new Object[Tables.RELEASES_SCHEMA.size()];
        values[Tables.RELEASES_SCHEMA.fieldIndex("ecosystem")] = eco;
        values[Tables.RELEASES_SCHEMA.fieldIndex("package")] = "demo";
        values[Tables.RELEASES_SCHEMA.fieldIndex("version")] = version;
        values[Tables.RELEASES_SCHEMA.fieldIndex("ref_method")] = "TAG";
        values[Tables.RELEASES_SCHEMA.fieldIndex("tag")] = "v" + version;
        values[Tables.RELEASES_SCHEMA.fieldIndex("verdict")] = verdict;
        values[Tables.RELEASES_SCHEMA.fieldIndex("high_risk_files")] = scala.jdk.javaapi.CollectionConverters
                .asScala(List.<String>of()).toSeq();
        values[Tables.RELEASES_SCHEMA.fieldIndex("divergent_files")] = scala.jdk.javaapi.CollectionConverters
                .asScala(List.of("demo-" + version + ".tar.gz:README.md")).toSeq();
        values[Tables.RELEASES_SCHEMA.fieldIndex("explained_rules")] = scala.jdk.javaapi.CollectionConverters
                .asScala(List.<String>of()).toSeq();
        values[Tables.RELEASES_SCHEMA.fieldIndex("version_order")] = order;
        values[Tables.RELEASES_SCHEMA.fieldIndex("doc_only_divergence")] = docOnly;
        values[Tables.RELEASES_SCHEMA.fieldIndex("repository_older")] = older;
        return new GenericRowWithSchema(values, Tables.RELEASES_SCHEMA);
    }

    private static List<String> versionsPrinted(List<Row> rows) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Summary.print(rows, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("1.") || l.startsWith("2."))
                .map(l -> l.split("\\s+")[0]).toList();
    }

    @Test
    void versionsArePrintedInTheirVersionOrder() {
        assertEquals(List.of("1.0.0rc2", "1.0.0rc10", "1.0.0"), versionsPrinted(List.of(
                release("pypi", "1.0.0", 3, "CLEAN", false, false),
                release("pypi", "1.0.0rc10", 2, "CLEAN", false, false),
                release("pypi", "1.0.0rc2", 1, "CLEAN", false, false))));
        // Rows an older engine wrote have no version_order: the same order is computed from the versions.
        assertEquals(List.of("1.0.0-beta.2", "1.0.0-beta.11", "1.0.0"), versionsPrinted(List.of(
                release("npm", "1.0.0", null, "CLEAN", null, null),
                release("npm", "1.0.0-beta.11", null, "CLEAN", null, null),
                release("npm", "1.0.0-beta.2", null, "CLEAN", null, null))));
    }

    @Test
    void aDivergenceSaysWhenOnlyDocumentationDiffersOrTheRepositoryIsOlder() {
        assertEquals("unexplained: demo-1.0.tar.gz:README.md [documentation only] [repository older than the release]",
                Summary.evidence(release("pypi", "1.0", 1, "DIVERGENT", true, true)));
        assertEquals("unexplained: demo-1.0.tar.gz:README.md",
                Summary.evidence(release("pypi", "1.0", 1, "DIVERGENT", false, null)));
        assertTrue(Summary.evidence(release("pypi", "1.0", 1, "HIGH_RISK", false, true))
                .endsWith("[repository older than the release]"));
    }

    @Test
    void aRebuiltVersionSaysItsRebuildVerdict() {
        Row r = release("maven", "1.0", 1, "CLEAN", false, false);
        Object[] values = new Object[Tables.RELEASES_SCHEMA.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = r.get(i);
        }
        values[Tables.RELEASES_SCHEMA.fieldIndex("rebuild_verdict")] = "REPRODUCED";
        assertEquals("byte-identical to the commit; rebuild: REPRODUCED",
                Summary.evidence(new GenericRowWithSchema(values, Tables.RELEASES_SCHEMA)));
        assertEquals("byte-identical to the commit", Summary.evidence(r));
        values[Tables.RELEASES_SCHEMA.fieldIndex("mode")] = "rebuild";
        assertEquals("rebuild: REPRODUCED", Summary.evidence(new GenericRowWithSchema(values, Tables.RELEASES_SCHEMA)));
    }
}
