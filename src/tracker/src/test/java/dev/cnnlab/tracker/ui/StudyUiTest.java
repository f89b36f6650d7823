package dev.cnnlab.tracker.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.PostgresResource;
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

/**
 * The study views on a grid over weightDecay x augmentation: the accuracy chart with weightDecay on
 * its x axis, the summary metric chosen and named, parallel coordinates, accuracy against time, and
 * the confusion change between two runs.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class StudyUiTest extends BrowserTest {
    static StudySeed.Grid grid;

    @BeforeEach
    void seed() {
        if (grid == null) {
            grid = StudySeed.weightDecayByAugmentation();
        }
    }

    @Test
    void accuracyChartPutsTheSweptFieldOnItsXAxisUnderTheChosenSummary() throws IOException {
        browser.open("/experiments/" + grid.experimentId());
        assertTrue(browser.awaitChart("chart-batch") > 1000, "the chart painted");
        // batch size does not vary here: weightDecay, the first field that does, is the x axis
        assertEquals("weightDecay", selected("x-select"));
        assertEquals("Accuracy by weightDecay", browser.driver.findElement(By.id("by-title")).getText());
        assertEquals("weightDecay", xAxis("chart-batch").get("name"));
        assertEquals(List.of("0.0005", "0.005"), xAxis("chart-batch").get("data"));
        // folds of both augmentations pooled: 60, 61, 62, 62, 64, 66% -> 62.5; 64 .. 70% -> 66.5
        assertNumbers(List.of(62.5, 66.5), line("chart-batch", "best epoch"));
        assertTrue(note().contains("at the best epoch of each fold"), note());

        // The last epoch is 4 points below the best on every fold; the page says which it shows.
        new Select(browser.driver.findElement(By.id("metric-select"))).selectByValue("last");
        browser.wait.until(d -> note().contains("at the last epoch of each fold"));
        assertNumbers(List.of(58.5, 62.5), line("chart-batch", "last epoch"));
        assertTrue(browser.driver.getCurrentUrl().contains("metric=last"), browser.driver.getCurrentUrl());

        // Any varying field can go on the x axis; the other then draws one line per value.
        new Select(browser.driver.findElement(By.id("x-select"))).selectByValue("augmentation");
        browser.wait.until(d -> List.of("crop-flip", "crop-flip-cutout").equals(xAxis("chart-batch").get("data")));
        new Select(browser.driver.findElement(By.id("series-select"))).selectByValue("weightDecay");
        browser.wait.until(d -> series("chart-batch").stream().anyMatch(s -> "0.005".equals(s.get("name"))));
        assertNumbers(List.of(57.0, 60.0), line("chart-batch", "0.0005"));
        // the field list carries the schema's descriptions
        String title = browser.driver.findElement(By.cssSelector("#x-select option[value='weightDecay']")).getDomAttribute("title");
        assertTrue(title != null && !title.isBlank(), "weightDecay has its description from /api/schema");
        assertTrue(browser.consoleErrors().isEmpty(), () -> "JavaScript errors: " + browser.consoleErrors());
        browser.screenshot("study-accuracy-by-weight-decay");
    }

    @Test
    void parallelCoordinatesAndAccuracyAgainstTime() throws IOException {
        browser.open("/experiments/" + grid.experimentId());
        assertTrue(browser.awaitChart("chart-parallel") > 1000, "parallel coordinates painted");
        Map<String, Object> parallel = series("chart-parallel").get(0);
        assertEquals("parallel", parallel.get("type"));
        List<?> lines = (List<?>) parallel.get("data");
        assertEquals(4, lines.size(), "one line per run");
        assertTrue(lines.stream().anyMatch(l -> l.toString().equals("[0.005, crop-flip-cutout, 68]")), lines::toString);
        Object axes = browser.js("return echarts.getInstanceByDom(document.getElementById('chart-parallel'))"
                + ".getOption().parallelAxis.map(a => a.name);");
        assertEquals(List.of("weightDecay", "augmentation", "accuracy (best epoch)"), axes);

        // Wall time: 20 s epochs without cutout; the fold mean climbs to 61% and falls to 57%.
        assertTrue(browser.awaitChart("chart-progress") > 1000);
        long first = grid.run(5e-4, "crop-flip");
        List<?> points = (List<?>) series("chart-progress").stream()
                .filter(s -> String.valueOf(s.get("name")).startsWith("#" + first + " ")).findFirst().orElseThrow().get("data");
        assertEquals(List.of(List.of(20L, 51L), List.of(40L, 61L), List.of(60L, 57L)), integers(points));
        new Select(browser.driver.findElement(By.id("progress-x"))).selectByValue("imagesSeen");
        browser.wait.until(d -> "training images seen per fold".equals(xAxis("chart-progress").get("name")));
        List<?> byImages = (List<?>) series("chart-progress").stream()
                .filter(s -> String.valueOf(s.get("name")).startsWith("#" + first + " ")).findFirst().orElseThrow().get("data");
        assertEquals(List.of(List.of(2000L, 51L), List.of(4000L, 61L), List.of(6000L, 57L)), integers(byImages));
        assertTrue(browser.consoleErrors().isEmpty(), () -> "JavaScript errors: " + browser.consoleErrors());
        browser.screenshot("study-parallel-and-time");
    }

    @Test
    void compareShowsTheConfusionChangePerClassWithTheFoldSpread() throws IOException {
        long base = grid.run(5e-4, "crop-flip");
        long other = grid.run(5e-3, "crop-flip-cutout");
        browser.open("/compare?ids=" + base + "," + other);
        browser.await(By.cssSelector("#confusion-diff-table tbody tr"));
        assertTrue(browser.awaitChart("chart-confusion-diff") > 1000);
        // every class: 60, 61, 62 of 100 right in the baseline's folds, 66, 68, 70 in the other's
        List<String> airplane = browser.all(By.cssSelector("#confusion-diff-table tbody tr")).get(0)
                .findElements(By.cssSelector("td")).stream().map(WebElement::getText).toList();
        assertEquals(List.of("airplane", "61.0%", "68.0%", "+7.0 pp ± 1.0", "+6.0 pp … +8.0 pp"), airplane);
        String note = browser.driver.findElement(By.id("confusion-diff-note")).getText();
        assertTrue(note.contains("best epoch") && note.contains("3 folds both finished (0, 1, 2)"), note);
        // runs are named by the swept fields that differ between them
        assertEquals("#" + other + " weightDecay 0.005, augmentation crop-flip-cutout", browser.driver.findElement(
                By.cssSelector("#compare-table th[data-run='" + other + "'] a")).getText());
        // the paired verdict names its summary metric, and follows a change of it
        WebElement verdict = browser.driver.findElement(By.cssSelector("#compare-table tr.verdict th"));
        assertEquals("paired over folds (best epoch)", verdict.getText());
        new Select(browser.driver.findElement(By.id("compare-metric"))).selectByValue("last");
        browser.wait.until(d -> d.findElement(By.cssSelector("#compare-table tr.verdict th")).getText()
                .equals("paired over folds (last epoch)"));
        assertTrue(browser.consoleErrors().isEmpty(), () -> "JavaScript errors: " + browser.consoleErrors());
        browser.screenshot("study-confusion-diff");
    }

    @Test
    void runsTableFiltersAndGroupsByAnySweptField() throws IOException {
        browser.open("/experiments/" + grid.experimentId());
        browser.await(By.cssSelector("#runs-table tbody tr.run"));
        assertEquals(4, browser.all(By.cssSelector("#runs-table tbody tr.run")).size());
        new Select(browser.driver.findElement(By.id("filter-weightDecay"))).selectByValue("0.005");
        browser.wait.until(d -> runIds().equals(List.of(grid.run(5e-3, "crop-flip"), grid.run(5e-3, "crop-flip-cutout"))));
        assertTrue(browser.driver.getCurrentUrl().contains("weightDecay=0.005"), browser.driver.getCurrentUrl());
        new Select(browser.driver.findElement(By.id("filter-weightDecay"))).selectByValue("");
        new Select(browser.driver.findElement(By.id("group-by"))).selectByValue("augmentation");
        browser.wait.until(d -> browser.all(By.cssSelector("#runs-table tr.group-row")).size() == 2);
        List<String> groups = browser.all(By.cssSelector("#runs-table tr.group-row")).stream().map(WebElement::getText).toList();
        assertTrue(groups.get(0).startsWith("augmentation crop-flip · 2 runs · best 65.0%"), groups::toString);
        assertTrue(groups.get(1).startsWith("augmentation crop-flip-cutout · 2 runs · best 68.0%"), groups::toString);
        assertTrue(browser.consoleErrors().isEmpty(), () -> "JavaScript errors: " + browser.consoleErrors());
        browser.screenshot("study-runs-grouped");
    }

    private List<Long> runIds() {
        return browser.all(By.cssSelector("#runs-table tbody tr.run")).stream()
                .map(r -> Long.valueOf(r.getDomAttribute("data-id"))).toList();
    }

    private String note() {
        return browser.driver.findElement(By.id("metric-note")).getText();
    }

    private String selected(String id) {
        return new Select(browser.driver.findElement(By.id(id))).getFirstSelectedOption().getDomAttribute("value");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> xAxis(String chart) {
        return (Map<String, Object>) browser.js("const a = echarts.getInstanceByDom(document.getElementById(arguments[0]))"
                + ".getOption().xAxis[0]; return {name: a.name, data: a.data ?? null};", chart);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> series(String chart) {
        return (List<Map<String, Object>>) browser.chartSeries(chart);
    }

    private List<?> line(String chart, String name) {
        return series(chart).stream().filter(s -> "line".equals(s.get("type")) && name.equals(s.get("name")))
                .map(s -> (List<?>) s.get("data")).findFirst()
                .orElseThrow(() -> new AssertionError("no line " + name + " in " + series(chart)));
    }

    private static List<List<Long>> integers(List<?> points) {
        return points.stream().map(p -> ((List<?>) p).stream().map(n -> Math.round(((Number) n).doubleValue())).toList())
                .toList();
    }

    private static void assertNumbers(List<Double> expected, List<?> actual) {
        assertEquals(expected.size(), actual.size(), () -> expected + " vs " + actual);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), ((Number) actual.get(i)).doubleValue(), 0.01, () -> expected + " vs " + actual);
        }
    }
}
