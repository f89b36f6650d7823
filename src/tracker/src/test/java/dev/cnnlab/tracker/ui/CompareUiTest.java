package dev.cnnlab.tracker.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.PostgresResource;
import dev.cnnlab.tracker.ui.UiSeed.Seeded;
import dev.cnnlab.tracker.ui.UiSeed.SeededRun;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** Runs ticked in the table open side by side: differing hyperparameters highlighted, deltas against a baseline. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class CompareUiTest extends BrowserTest {

    @Test
    void comparesTickedRunsAgainstAPinnedBaseline() throws IOException {
        Seeded grid = UiSeed.paperGrid();
        SeededRun keras16 = grid.run("keras-cifar10", 16);
        SeededRun lenet32 = grid.run("lenet5", 32);
        browser.open("/experiments/" + grid.experimentId());
        WebElement compare = browser.await(By.id("compare-selected"));
        assertTrue(!compare.isEnabled(), "comparing needs two runs");
        tick(keras16.id());
        tick(lenet32.id());
        compare.click();

        browser.await(By.cssSelector("#compare-table tr.param"));
        assertTrue(browser.driver.getCurrentUrl().contains("#/compare?ids=" + keras16.id() + "," + lenet32.id()));
        // Only architecture and batch size differ between the two; they and only they are highlighted.
        List<String> differing = browser.all(By.cssSelector("#compare-table tr.param.differs")).stream()
                .map(r -> r.getDomAttribute("data-name")).toList();
        assertEquals(List.of("architecture", "batchSize"), differing);
        assertEquals("rgba(255, 248, 197, 1)", param("batchSize").getCssValue("background-color"), "highlighted");
        assertEquals("rgba(0, 0, 0, 0)", param("optimizer").getCssValue("background-color"), "not highlighted");

        // The first run is the baseline; the second shows its deltas: 53.0% is 13.0 points below 66.0%.
        assertEquals(List.of("66.0%", "53.0% −13.0 pt"), cells("meanAccuracy"));
        assertEquals(List.of("16", "32 +16"), cells(param("batchSize")));
        assertTrue(browser.driver.findElement(By.cssSelector("#compare-table th[data-run='" + keras16.id() + "']"))
                .getDomAttribute("class").contains("baseline"));
        browser.screenshot("compare");

        // Pin the other run: the deltas turn around.
        browser.driver.findElement(By.cssSelector("#compare-table th[data-run='" + lenet32.id() + "'] button.pin")).click();
        browser.wait.until(d -> cells("meanAccuracy").equals(List.of("66.0% +13.0 pt", "53.0%")));
        assertEquals(List.of("16 −16", "32"), cells(param("batchSize")));
        assertTrue(browser.driver.getCurrentUrl().contains("base=" + lenet32.id()));

        // "Only differing" hides the hyperparameters that are the same.
        browser.driver.findElement(By.id("only-differing")).click();
        browser.wait.until(d -> browser.all(By.cssSelector("#compare-table tr.param")).size() == 2);
        assertTrue(browser.consoleErrors().isEmpty(), () -> "JavaScript errors: " + browser.consoleErrors());
    }

    @Test
    void showsThePairedVerdictAgainstTheBaseline() throws IOException {
        Seeded grid = UiSeed.paperGrid();
        SeededRun keras16 = grid.run("keras-cifar10", 16);
        SeededRun lenet32 = grid.run("lenet5", 32);
        browser.open("/compare?ids=" + keras16.id() + "," + lenet32.id());
        browser.await(By.cssSelector("#compare-table tr.verdict"));
        // the seeded lenet5 at batch 32 is 13 points below keras-cifar10 at 16 on each of 3 folds
        List<String> verdicts = cells(browser.driver.findElement(By.cssSelector("#compare-table tr.verdict")));
        assertEquals("baseline", verdicts.get(0));
        assertTrue(verdicts.get(1).startsWith("architecture lenet5, batchSize 32 trails architecture keras-cifar10,"
                + " batchSize 16 by 13.0 pp (95% CI -13.0 to -13.0 pp, p < 0.001, 3 folds; Wilcoxon p = 0.25)"),
                verdicts.get(1));
        browser.screenshot("compare-verdict");
        assertTrue(browser.consoleErrors().isEmpty(), () -> "JavaScript errors: " + browser.consoleErrors());
    }

    private void tick(long runId) {
        browser.await(By.cssSelector("#runs-table tr.run[data-id='" + runId + "'] input.select-run")).click();
    }

    private WebElement param(String name) {
        return browser.driver.findElement(By.cssSelector("#compare-table tr.param[data-name='" + name + "']"));
    }

    private List<String> cells(String result) {
        return cells(browser.driver.findElement(By.cssSelector("#compare-table tr.result[data-name='" + result + "']")));
    }

    private static List<String> cells(WebElement row) {
        return row.findElements(By.cssSelector("td")).stream().map(WebElement::getText).toList();
    }
}
