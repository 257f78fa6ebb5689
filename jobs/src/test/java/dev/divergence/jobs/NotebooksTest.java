package dev.divergence.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every notebook in {@code notebooks/} executed by Jupyter (nbconvert, the python3 kernel) against the demo's report
 * data, as CI does: no cell may fail, each must draw at least one chart, and the lines they print must be the demo's
 * facts. Also checks that the notebooks committed to the repository were executed (their charts are in them).
 */
class NotebooksTest {

    static final Path NOTEBOOKS = Path.of("..", "notebooks").toAbsolutePath().normalize();
    static final List<String> EXPECTED = List.of("benign-rules.ipynb", "divergence-history.ipynb",
            "new-files-per-night.ipynb", "ref-agreement.ipynb", "verdict-regressions.ipynb");

    @Test
    void everyNotebookRunsAgainstTheDemoReportDataAndPrintsItsFacts() throws Exception {
        boolean present = onPath("jupyter-nbconvert");
        if (!present && System.getenv("CI") != null) {
            fail("CI must have jupyter-nbconvert with pandas and matplotlib (.ci/run installs them)");
        }
        assumeTrue(present, "jupyter-nbconvert is not installed (apt-get install jupyter-nbconvert python3-ipykernel "
                + "python3-pandas python3-matplotlib)");
        assertEquals(EXPECTED, notebooks(NOTEBOOKS));
        DemoReport demo = DemoReport.get();
        Path out = Path.of("target", "notebooks").toAbsolutePath();
        DemoReport.delete(out);
        Files.createDirectories(out);
        List<String> command = new ArrayList<>(List.of("jupyter-nbconvert", "--to", "notebook", "--execute",
                "--output-dir", out.toString(), "--ExecutePreprocessor.timeout=300"));
        EXPECTED.forEach(n -> command.add(NOTEBOOKS.resolve(n).toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(out.resolve("nbconvert.log").toFile());
        pb.environment().put("DIVERGENCE_REPORT_DATA", demo.site().resolve("data").toString());
        pb.environment().put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
        pb.environment().put("MPLBACKEND", "module://matplotlib_inline.backend_inline");
        Process p = pb.start();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "nbconvert did not finish");
        assertEquals(0, p.exitValue(), Files.readString(out.resolve("nbconvert.log")));

        for (String n : EXPECTED) {
            assertExecutedWithCharts(out.resolve(n));
        }
        String night = ReportSiteTest.csv(demo.site().resolve("data/scans.csv")).get(0).get("started_at").substring(0, 10);
        Map<String, List<String>> expected = Map.of(
                "divergence-history.ipynb", List.of("summary: llmrelay EXPLAINED=11 HIGH_RISK=2"),
                "new-files-per-night.ipynb", List.of(
                        "new file: " + night + " llmrelay 1.81.0 tests/test_utils.py (EXPLAINED)",
                        "new file: " + night + " llmrelay 1.82.8 llmrelay_init.pth (HIGH_RISK)"),
                "verdict-regressions.ipynb", List.of(
                        "regression: pypi/llmrelay 1.82.7 (EXPLAINED -> HIGH_RISK) after 1.82.6",
                        "packages with a regression: 1 of 1"),
                "ref-agreement.ipynb", List.of("no release where the signals disagree",
                        "overlap only: llmrelay 1.82.7 HIGH_RISK share=0.42 (tie)",
                        "overlap only: llmrelay 1.82.8 HIGH_RISK share=0.40 (tie)"),
                "benign-rules.ipynb", List.of(
                        "rule: pypi.sdist.egg-info GENERATED files=52 versions=13",
                        "rule: pypi.wheel.dist-info GENERATED files=52 versions=13",
                        "rule: pypi.sdist.pkg-info GENERATED files=13 versions=13",
                        "rule: pypi.sdist.setup-cfg-egg-info GENERATED files=13 versions=13",
                        "rule: compare.version-string MATCH_NORMALIZED files=6 versions=2",
                        "rule: compare.line-endings MATCH_NORMALIZED files=1 versions=1"));
        // Every printed line of the kinds expected (the words before the first ':'), in order: none missing, none extra.
        for (Map.Entry<String, List<String>> e : expected.entrySet()) {
            List<String> kinds = e.getValue().stream().map(NotebooksTest::kind).distinct().toList();
            assertEquals(e.getValue(), printedLines(out.resolve(e.getKey())).stream()
                    .filter(l -> kinds.contains(kind(l))).toList(), e.getKey());
        }
    }

    @Test
    void theCommittedNotebooksWereExecutedAndShowTheirCharts() throws Exception {
        for (String n : notebooks(NOTEBOOKS)) {
            assertExecutedWithCharts(NOTEBOOKS.resolve(n));
        }
        assertEquals(List.of("summary: llmrelay EXPLAINED=11 HIGH_RISK=2"), printedLines(NOTEBOOKS.resolve(
                "divergence-history.ipynb")).stream().filter(l -> l.startsWith("summary:")).toList());
    }

    private static String kind(String line) {
        int colon = line.indexOf(':');
        return colon < 0 ? line : line.substring(0, colon);
    }

    /** Every code cell ran (an execution count), none failed, and at least one drew a chart (image/png). */
    private static void assertExecutedWithCharts(Path notebook) throws IOException {
        JsonNode nb = new ObjectMapper().readTree(notebook.toFile());
        int images = 0;
        for (JsonNode cell : nb.get("cells")) {
            if (!cell.get("cell_type").asText().equals("code")) {
                continue;
            }
            assertTrue(cell.get("execution_count").isInt(), notebook + ": a cell was not executed");
            for (JsonNode o : cell.get("outputs")) {
                assertTrue(!o.get("output_type").asText().equals("error"), notebook + ": " + o);
                if (o.has("data") && o.get("data").has("image/png")) {
                    images++;
                }
            }
        }
        assertTrue(images >= 1, notebook + " draws no chart");
    }

    /** The lines the notebook's cells printed (stdout), in order. */
    private static List<String> printedLines(Path notebook) throws IOException {
        List<String> lines = new ArrayList<>();
        for (JsonNode cell : new ObjectMapper().readTree(notebook.toFile()).get("cells")) {
            for (JsonNode o : cell.path("outputs")) {
                if (o.get("output_type").asText().equals("stream") && o.get("name").asText().equals("stdout")) {
                    StringBuilder text = new StringBuilder();
                    o.get("text").forEach(t -> text.append(t.asText()));
                    if (o.get("text").isTextual()) {
                        text.append(o.get("text").asText());
                    }
                    lines.addAll(text.toString().lines().toList());
                }
            }
        }
        return lines;
    }

    private static List<String> notebooks(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ipynb")).sorted().toList();
        }
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
