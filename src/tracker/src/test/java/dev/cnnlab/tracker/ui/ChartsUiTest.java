package dev.cnnlab.tracker.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.PostgresResource;
import dev.cnnlab.tracker.ui.UiSeed.Seeded;
import dev.cnnlab.tracker.ui.UiSeed.SeededRun;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** The charts draw, and draw the seeded numbers: ECharts' own option is read back from the page. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ChartsUiTest extends BrowserTest {
    static Seeded grid;

    @BeforeEach
    void seed() {
        if (grid == null) {
            grid = UiSeed.paperGrid();
        }
    }

    @Test
    void accuracyByBatchSizeHasALinePerArchitectureWithFoldSpreadAsErrorBars() throws IOException {
        browser.open("/experiments/" + grid.experimentId());
        assertTrue(browser.awaitChart("chart-batch") > 2000, "the chart painted its canvas");

        List<Map<String, Object>> series = series("chart-batch");
        // x axis: batch sizes 16, 32, 64. lenet5/64 failed before any fold finished: a gap.
        assertNumbers(List.of(56.0, 53.0), line(series, "lenet5").subList(0, 2));
        assertNull(line(series, "lenet5").get(2));
        // keras-cifar10/64 is running: only its finished fold 0 (59%) counts so far.
        assertNumbers(List.of(66.0, 63.0, 59.0), line(series, "keras-cifar10"));
        // Error bars are mean ± std over folds: folds at 55, 56, 57% give 56 ± 1.
        List<Object> bars = find(series, "lenet5", "custom");
        assertNumbers(List.of(0.0, 55.0, 57.0), numbers(bars.get(0)));
        // Every finished fold is a dot: 2 + 2 runs x 3 folds, + 1 fold of the running run.
        long dots = series.stream().filter(s -> "scatter".equals(s.get("type")))
                .mapToLong(s -> ((List<?>) s.get("data")).size()).sum();
        assertEquals(13, dots);
        assertTrue(browser.consoleErrors().isEmpty(), () -> "JavaScript errors: " + browser.consoleErrors());
        browser.screenshot("experiment-charts");
    }

    @Test
    void tickedRunsOverlayTheirLearningCurves() throws IOException {
        SeededRun a = grid.run("keras-cifar10", 16);
        SeededRun b = grid.run("lenet5", 32);
        browser.open("/experiments/" + grid.experimentId());
        checkbox(a.id()).click();
        checkbox(b.id()).click();

        assertTrue(browser.awaitChart("chart-curves-acc") > 1000);
        assertTrue(browser.awaitChart("chart-curves-loss") > 1000);
        List<Map<String, Object>> acc = series("chart-curves-acc");
        assertEquals(List.of("#" + a.id() + " keras-cifar10 bs16", "#" + b.id() + " lenet5 bs32"),
                acc.stream().map(s -> s.get("name")).toList());
        // Epoch 3 of the seed reaches each fold's accuracy; the curve is the mean over folds.
        List<?> last = (List<?>) ((List<?>) acc.get(0).get("data")).get(2);
        assertNumbers(List.of(3.0, 66.0), numbers(last));
        assertTrue(browser.driver.getCurrentUrl().contains("sel=" + a.id() + "%2C" + b.id())
                || browser.driver.getCurrentUrl().contains("sel=" + a.id() + "," + b.id()), browser.driver.getCurrentUrl());
        browser.screenshot("learning-curves");
    }

    @Test
    void runPageShowsFoldAccuraciesCurvesConfusionMatrixAndPerClassMetrics() throws IOException {
        SeededRun run = grid.run("keras-cifar10", 16);
        browser.open("/runs/" + run.id());

        assertTrue(browser.awaitChart("chart-folds") > 1000);
        assertNumbers(List.of(65.0, 66.0, 67.0), numbers(find(series("chart-folds"), "accuracy", "bar")));
        assertTrue(browser.awaitChart("chart-run-acc") > 1000);
        assertTrue(browser.awaitChart("chart-run-loss") > 1000);
        assertEquals(3, series("chart-run-acc").size(), "one validation curve per fold");
        assertNumbers(List.of(3.0, 66.0), (List<?>) line(series("chart-run-acc"), "fold 1").get(2));

        // Against wall time: each seeded epoch took 30 s, so epoch 3 ends at 90 s of training.
        new Select(browser.driver.findElement(By.id("curves-x"))).selectByValue("time");
        browser.wait.until(d -> numbers(line(series("chart-run-acc"), "fold 1").get(2)).get(0) == 90.0);
        assertNumbers(List.of(90.0, 66.0), (List<?>) line(series("chart-run-acc"), "fold 1").get(2));
        assertTrue(browser.driver.getCurrentUrl().contains("x=time"), browser.driver.getCurrentUrl());

        // The best fold (2, 67%) opens first: 67 of 100 per class on the diagonal.
        assertEquals("2", new Select(browser.driver.findElement(By.id("fold-select")))
                .getFirstSelectedOption().getDomAttribute("value"));
        assertTrue(browser.awaitChart("chart-confusion") > 5000);
        List<Object> cells = find(series("chart-confusion"), null, "heatmap");
        assertEquals(100, cells.size(), "10 x 10 cells");
        assertTrue(cells.stream().map(ChartsUiTest::numbers).anyMatch(c -> c.equals(List.of(3.0, 3.0, 67.0))));

        List<WebElement> rows = browser.all(By.cssSelector("#per-class-table tbody tr"));
        assertEquals(UiSeed.LABELS, rows.stream().map(r -> r.findElement(By.cssSelector("td")).getText()).toList());
        assertEquals(List.of("cat", "67.0%", "67.0%", "67.0%", "100"),
                rows.get(3).findElements(By.cssSelector("td")).stream().map(WebElement::getText).toList());
        assertEquals("66.0% ± 1.0", browser.driver.findElement(By.cssSelector("#card-mean .card-value")).getText());
        assertTrue(browser.consoleErrors().isEmpty(), () -> "JavaScript errors: " + browser.consoleErrors());
        browser.screenshot("run-detail");

        // Another fold redraws the matrix and the table.
        new Select(browser.driver.findElement(By.id("fold-select"))).selectByValue("0");
        browser.wait.until(d -> browser.all(By.cssSelector("#per-class-table tbody tr")).get(3)
                .findElements(By.cssSelector("td")).get(2).getText().equals("65.0%"));
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> series(String chart) {
        return (List<Map<String, Object>>) browser.chartSeries(chart);
    }

    private static List<Object> line(List<Map<String, Object>> series, String name) {
        return find(series, name, "line");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> find(List<Map<String, Object>> series, String name, String type) {
        return series.stream().filter(s -> type.equals(s.get("type")) && (name == null || name.equals(s.get("name"))))
                .map(s -> (List<Object>) s.get("data")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " series " + name + " in " + series));
    }

    private static List<Double> numbers(Object list) {
        return ((List<?>) list).stream().map(n -> n == null ? null : ((Number) n).doubleValue()).toList();
    }

    private static void assertNumbers(List<Double> expected, List<?> actual) {
        List<Double> got = numbers(actual);
        assertEquals(expected.size(), got.size(), () -> expected + " vs " + got);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), got.get(i), 0.01, () -> expected + " vs " + got);
        }
    }

    private WebElement checkbox(long runId) {
        return browser.await(By.cssSelector("#runs-table tr.run[data-id='" + runId + "'] input.select-run"));
    }
}
