package dev.divergence.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The report in a real browser: Debian's chromium, headless, driven through its chromedriver by Selenium. Opens the
 * demo's report from disk, reads the DOM, clicks into a version, and saves screenshots to
 * {@code jobs/target/report-screenshots/}. CI installs chromium (.ci/run); elsewhere the test is skipped without it.
 */
class ReportBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "report-screenshots").toAbsolutePath();

    private static ChromeDriver browser;

    @BeforeAll
    static void startBrowser() throws IOException {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && System.getenv("CI") != null) {
            fail("CI must have chromium and chromium-driver (.ci/run installs them)");
        }
        assumeTrue(present, "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)");
        Files.createDirectories(SCREENSHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--hide-scrollbars", "--window-size=1400,1200", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void indexShowsTheTwoHighRiskVersionsAndTheirFilesAndTheDrillDownShowsTheEvidence() throws Exception {
        DemoReport demo = DemoReport.get();
        browser.get(demo.site().resolve("index.html").toUri().toString());
        assertEquals("divergence report", browser.getTitle());

        List<WebElement> rows = browser.findElements(By.cssSelector("#high-risk tbody tr"));
        assertEquals(List.of("1.82.7", "1.82.8"), rows.stream().map(r -> r.getAttribute("data-version")).toList());
        assertEquals(List.of("llmrelay-1.82.7-py3-none-any.whl:llmrelay/proxy/proxy_server.py",
                "llmrelay-1.82.7.tar.gz:llmrelay-1.82.7/llmrelay/proxy/proxy_server.py"), texts(rows.get(0), "li.high-risk-file"));
        assertEquals(List.of("llmrelay-1.82.8-py3-none-any.whl:llmrelay/proxy/proxy_server.py",
                "llmrelay-1.82.8-py3-none-any.whl:llmrelay_init.pth",
                "llmrelay-1.82.8.tar.gz:llmrelay-1.82.8/llmrelay/proxy/proxy_server.py",
                "llmrelay-1.82.8.tar.gz:llmrelay-1.82.8/llmrelay_init.pth"), texts(rows.get(1), "li.high-risk-file"));
        assertEquals(List.of("pypi llmrelay 13 1.83.0 EXPLAINED 2 HIGH_RISK 11 EXPLAINED 3"),
                browser.findElements(By.cssSelector("#packages tbody tr")).stream()
                        .map(r -> r.findElements(By.tagName("td")).subList(0, 7).stream().map(WebElement::getText)
                                .reduce((a, b) -> a + " " + b).orElse("")).toList());
        screenshot("index");

        // Click into 1.82.7: the drill-down.
        rows.get(0).findElement(By.cssSelector("a.version-link")).click();
        assertTrue(browser.getCurrentUrl().endsWith("/p/pypi-llmrelay/v-1.82.7.html"), browser.getCurrentUrl());
        assertEquals("llmrelay 1.82.7 HIGH_RISK", browser.findElement(By.tagName("h1")).getText());
        assertEquals("HIGH_RISK", browser.findElement(By.id("verdict")).getText());
        assertEquals(List.of("llmrelay-1.82.7-py3-none-any.whl:llmrelay/proxy/proxy_server.py",
                "llmrelay-1.82.7.tar.gz:llmrelay-1.82.7/llmrelay/proxy/proxy_server.py"),
                texts(browser.findElement(By.id("high-risk-files")), "li"));
        List<WebElement> highFiles = browser.findElements(By.cssSelector("#files tr.high"));
        assertEquals(List.of("llmrelay/proxy/proxy_server.py|MODIFIED high risk|compare.unexplained|CODE|CODE DYNAMIC_EXEC ENCODED_BLOB",
                "llmrelay-1.82.7/llmrelay/proxy/proxy_server.py|MODIFIED high risk|compare.unexplained|CODE|CODE DYNAMIC_EXEC ENCODED_BLOB"),
                highFiles.stream().map(r -> {
                    List<WebElement> td = r.findElements(By.tagName("td"));
                    return r.getAttribute("data-path") + "|" + td.get(1).getText() + "|" + td.get(2).getText() + "|"
                            + td.get(3).getText() + "|" + td.get(4).getText();
                }).toList());
        // The artifact's hashes, the commit it was compared with (1.82.6's), the signal, the command.
        List<Map<String, String>> releases = ReportSiteTest.csv(demo.site().resolve("data/releases.csv"));
        String commit = releases.stream().filter(r -> r.get("version").equals("1.82.6")).findFirst().orElseThrow()
                .get("commit");
        assertEquals(commit, browser.findElement(By.id("commit")).getText());
        List<Map<String, String>> artifacts = ReportSiteTest.csv(demo.site().resolve("data/artifacts.csv"));
        String wheelSha = artifacts.stream().filter(a -> a.get("filename").equals("llmrelay-1.82.7-py3-none-any.whl"))
                .findFirst().orElseThrow().get("sha256");
        assertTrue(browser.findElement(By.id("artifacts")).getText().contains(wheelSha));
        assertEquals("REGRESSION HIGH_RISK after 1.82.6 was EXPLAINED",
                browser.findElement(By.cssSelector("#version-signals li")).getText().replaceFirst(" \\(.*\\)$", ""));
        assertTrue(browser.findElement(By.id("reproduce")).getText().startsWith("./divergence scan pkg:pypi/llmrelay --repo "
                + demo.dataset().resolveSibling("demo").resolve("repo") + " --versions 1.82.7 --pypi-url http://127.0.0.1:"));
        screenshot("version-1.82.7");

        // Up to the package: the timeline in release order, coloured by verdict; the heatmap row of the payload file.
        browser.findElement(By.linkText("all versions")).click();
        List<WebElement> points = browser.findElements(By.cssSelector("#timeline a.point"));
        assertEquals("1.80.0 1.80.1 1.81.0 1.81.1 1.81.2 1.82.0rc1 1.82.0 1.82.4 1.82.5 1.82.6 1.82.7 1.82.8 1.83.0",
                String.join(" ", points.stream().map(p -> p.getAttribute("data-version")).toList()));
        assertEquals("v-high-risk v-high-risk", String.join(" ", points.stream()
                .filter(p -> p.getAttribute("data-verdict").equals("HIGH_RISK"))
                .map(p -> p.findElement(By.tagName("circle")).getAttribute("class")).toList()));
        WebElement payloadRow = browser.findElements(By.cssSelector("#heatmap tbody tr")).get(0);
        assertEquals("llmrelay/proxy/proxy_server.py", payloadRow.findElement(By.cssSelector("td.path")).getText());
        assertEquals("match match match match match match match match match match high high match",
                String.join(" ", payloadRow.findElements(By.cssSelector("td.cell")).stream()
                        .map(c -> c.getAttribute("class").replace("cell s-", "")).toList()));
        assertEquals(List.of("NEW_FILE", "REGRESSION", "NEW_FILE"), browser.findElements(By.cssSelector("#signals tbody tr"))
                .stream().map(r -> r.findElements(By.tagName("td")).get(2).getText()).toList());
        browser.manage().window().setSize(new Dimension(1400, 1250));
        screenshot("package");
        browser.manage().window().setSize(new Dimension(1400, 1200));
    }

    @Test
    void anAttackersMarkupInAPathIsShownAsTextAndNeverRuns() throws Exception {
        DemoReport.Hostile hostile = DemoReport.hostile();
        browser.get(hostile.site().resolve("p/pypi-demo/v-1.0.1.html").toUri().toString());
        assertEquals(List.of(DemoReport.HOSTILE_PATH, "demo-1.0.1/" + DemoReport.HOSTILE_PATH), browser.findElements(By.cssSelector("#files .file-path")).stream()
                .map(WebElement::getText).filter(t -> t.contains("script")).toList());
        assertEquals(0, browser.findElements(By.tagName("script")).size());
        assertEquals(0, browser.findElements(By.cssSelector("#files img")).size());
        assertEquals("undefined", ((JavascriptExecutor) browser).executeScript("return typeof window.__pwned"));
        screenshot("hostile");
    }

    private static List<String> texts(WebElement root, String css) {
        return root.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
    }

    private static void screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
