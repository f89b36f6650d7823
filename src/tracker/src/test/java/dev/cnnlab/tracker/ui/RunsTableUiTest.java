package dev.cnnlab.tracker.ui;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.PostgresResource;
import dev.cnnlab.tracker.run.RunStatus;
import dev.cnnlab.tracker.ui.UiSeed.Seeded;
import dev.cnnlab.tracker.ui.UiSeed.SeededRun;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** The runs table of an experiment: what it lists, server-side sorting, filters, groups, paging, live progress. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RunsTableUiTest extends BrowserTest {
    static Seeded grid;

    @BeforeEach
    void seed() {
        if (grid == null) {
            grid = UiSeed.paperGrid();
        }
    }

    @Test
    void listsTheSeededRunsWithTheirFoldAccuracy() throws IOException {
        browser.open("/experiments/" + grid.experimentId());
        browser.await(By.cssSelector("#runs-table tbody tr.run"));

        assertEquals(grid.runs().stream().map(SeededRun::id).sorted().toList(), rowIds());
        SeededRun run = grid.run("keras-cifar10", 16);
        WebElement row = row(run.id());
        assertEquals(String.format(Locale.ROOT, "%.1f%% ± %.1f", run.meanAccuracy() * 100, run.stdAccuracy() * 100),
                row.findElement(By.cssSelector(".col-meanAccuracy")).getText());
        assertEquals("SUCCEEDED", row.findElement(By.cssSelector(".col-status .badge")).getText());
        WebElement running = row(grid.run("keras-cifar10", 64).id());
        assertEquals("44%", running.findElement(By.cssSelector(".progress-text")).getText(), "4 of 9 epochs done");
        assertEquals("FAILED", row(grid.run("lenet5", 64).id()).findElement(By.cssSelector(".badge")).getText());
        assertTrue(browser.consoleErrors().isEmpty(), () -> "JavaScript errors: " + browser.consoleErrors());
        browser.screenshot("runs-table");
    }

    @Test
    void theExperimentsListLeadsToTheRuns() {
        browser.open("/experiments");
        WebElement row = browser.await(By.cssSelector("#experiments-table tr[data-id='" + grid.experimentId() + "']"));
        assertTrue(row.getText().contains(grid.name()), row.getText());
        assertTrue(row.getText().contains("SUCCEEDED 4"), row.getText());
        assertTrue(row.getText().contains("RUNNING 1"), row.getText());
        row.findElement(By.linkText(grid.name())).click();
        awaitRows(grid.runs().stream().map(SeededRun::id).sorted().toList());
    }

    @Test
    void aRunningRunCanBeCancelledFromItsPage() throws IOException {
        SeededRun running = UiSeed.paperGrid().run("keras-cifar10", 64);
        browser.open("/runs/" + running.id());
        browser.await(By.id("cancel-run")).click();
        browser.wait.until(d -> d.findElement(By.cssSelector("#run-status .badge")).getText().equals("CANCELLED"));
        assertTrue(browser.all(By.id("cancel-run")).isEmpty(), "nothing left to cancel");
        assertEquals("CANCELLED", given().get("/api/runs/" + running.id()).jsonPath().getString("status"));
    }

    @Test
    void aFailedRunCanBeRetriedFromItsPageWhichThenWatchesItAgain() throws IOException {
        SeededRun failed = UiSeed.paperGrid().run("lenet5", 64);
        browser.open("/runs/" + failed.id());
        browser.await(By.id("retry-run"));
        assertTrue(browser.all(By.id("cancel-run")).isEmpty(), "a failed run has nothing to cancel");
        browser.screenshot("run-failed-retry");
        browser.driver.findElement(By.id("retry-run")).click();
        browser.wait.until(d -> d.findElement(By.cssSelector("#run-status .badge")).getText().equals("QUEUED"));
        assertEquals("QUEUED", given().get("/api/runs/" + failed.id()).jsonPath().getString("status"));
        assertTrue(browser.all(By.id("retry-run")).isEmpty(), "a queued run has nothing to retry");
        browser.await(By.id("cancel-run"));

        // the page polls again: a cancel made elsewhere shows up, and with it the retry button
        given().post("/api/runs/" + failed.id() + "/cancel").then().statusCode(200);
        browser.wait.until(d -> d.findElement(By.cssSelector("#run-status .badge")).getText().equals("CANCELLED"));
        browser.await(By.id("retry-run"));
        assertTrue(browser.consoleErrors().isEmpty(), () -> "JavaScript errors: " + browser.consoleErrors());
    }

    @Test
    void clickingAHeaderSortsOnTheServerAndClickingAgainReverses() throws IOException {
        browser.open("/experiments/" + grid.experimentId());
        browser.await(By.cssSelector("#runs-table tbody tr.run"));

        header("batchSize").click();
        awaitRows(expected(r -> true, Comparator.comparingInt(SeededRun::batchSize)));
        assertTrue(header("batchSize").getText().endsWith("▲"));

        header("batchSize").click();
        awaitRows(expected(r -> true, Comparator.comparingInt(SeededRun::batchSize).reversed()));
        assertTrue(header("batchSize").getText().endsWith("▼"));
        assertTrue(browser.driver.getCurrentUrl().contains("sort=-batchSize"), "the sort is kept in the URL");

        // Runs without an accuracy (running, failed) come last: the server sorts NULLS LAST.
        header("meanAccuracy").click();
        awaitRows(expected(r -> true, Comparator.comparing(SeededRun::meanAccuracy,
                Comparator.nullsLast(Comparator.naturalOrder()))));
        browser.screenshot("runs-sorted-by-accuracy");
    }

    @Test
    void filtersNarrowTheTableAndGroupsKeepEachArchitectureTogether() throws IOException {
        browser.open("/experiments/" + grid.experimentId());
        browser.await(By.cssSelector("#runs-table tbody tr.run"));

        new Select(browser.driver.findElement(By.id("filter-architecture"))).selectByValue("lenet5");
        awaitRows(expected(r -> r.architecture().equals("lenet5"), Comparator.comparingLong(SeededRun::id)));
        new Select(browser.driver.findElement(By.id("filter-status"))).selectByValue("SUCCEEDED");
        awaitRows(expected(r -> r.architecture().equals("lenet5") && r.status().equals("SUCCEEDED"),
                Comparator.comparingLong(SeededRun::id)));
        new Select(browser.driver.findElement(By.id("filter-batchSize"))).selectByValue("32");
        awaitRows(List.of(grid.run("lenet5", 32).id()));

        // Back to every run, grouped by architecture: keras-cifar10's three, then lenet5's three.
        new Select(browser.driver.findElement(By.id("filter-architecture"))).selectByValue("");
        new Select(browser.driver.findElement(By.id("filter-status"))).selectByValue("");
        new Select(browser.driver.findElement(By.id("filter-batchSize"))).selectByValue("");
        new Select(browser.driver.findElement(By.id("group-by"))).selectByValue("architecture");
        awaitRows(expected(r -> true, Comparator.comparing(SeededRun::architecture)
                .thenComparingLong(SeededRun::id)));
        List<String> groups = browser.all(By.cssSelector("#runs-table tr.group-row")).stream()
                .map(WebElement::getText).toList();
        assertEquals(2, groups.size(), groups::toString);
        assertTrue(groups.get(0).startsWith("keras-cifar10 · 3 runs"), groups::toString);
        assertTrue(groups.get(1).startsWith("lenet5 · 3 runs"), groups::toString);
        browser.screenshot("runs-grouped");
    }

    @Test
    void theStatusFilterOffersTheStatusesTheTrackerDeclares() {
        browser.open("/experiments/" + grid.experimentId());
        browser.await(By.cssSelector("#runs-table tbody tr.run"));
        List<String> options = new Select(browser.driver.findElement(By.id("filter-status"))).getOptions().stream()
                .map(o -> o.getDomAttribute("value")).toList();
        List<String> expected = new java.util.ArrayList<>(List.of(""));
        java.util.Arrays.stream(RunStatus.values()).map(RunStatus::name).forEach(expected::add);
        assertEquals(expected, options, "'' (all), then RunStatus in its order, from GET /api/schema");
        assertTrue(browser.consoleErrors().isEmpty(), () -> "JavaScript errors: " + browser.consoleErrors());
    }

    @Test
    void aRunningRunsProgressBarMovesWithoutReloading() throws IOException {
        Seeded own = UiSeed.paperGrid(); // this test moves a run on: the shared grid stays as seeded
        SeededRun running = own.run("keras-cifar10", 64);
        browser.open("/experiments/" + own.experimentId() + "?status=RUNNING");
        awaitRows(List.of(running.id()));
        WebElement text = row(running.id()).findElement(By.cssSelector(".progress-text"));
        assertEquals("44%", text.getText());

        // The worker records fold 1's second epoch: 5 of 9 epochs. The page polls every few seconds.
        UiSeed.recordEpoch(running.id(), 1, 2);
        browser.wait.until(d -> "56%".equals(row(running.id()).findElement(By.cssSelector(".progress-text")).getText()));
        String width = row(running.id()).findElement(By.cssSelector(".progress-fill")).getDomAttribute("style");
        assertTrue(width.contains("56%"), width);
        browser.screenshot("runs-running");
    }

    @Test
    void pagesOfFiftyWithPagerControls() throws IOException {
        Seeded many = UiSeed.manyRuns(55);
        List<Long> ids = many.runs().stream().map(SeededRun::id).sorted().toList();
        browser.open("/experiments/" + many.experimentId());
        awaitRows(ids.subList(0, 50));
        assertEquals("page 1 of 2 · 55 runs", browser.driver.findElement(By.id("pager-info")).getText());
        assertFalse(browser.driver.findElement(By.id("pager-prev")).isEnabled());

        browser.driver.findElement(By.id("pager-next")).click();
        awaitRows(ids.subList(50, 55));
        assertEquals("page 2 of 2 · 55 runs", browser.driver.findElement(By.id("pager-info")).getText());
        assertFalse(browser.driver.findElement(By.id("pager-next")).isEnabled());
        browser.screenshot("runs-page-2");
    }

    @Test
    void finishedExperimentPageHasNoCancelButtonAndNoStrayText() {
        Seeded done = UiSeed.manyRuns(3);
        browser.open("/experiments/" + done.experimentId());
        awaitRows(done.runs().stream().map(SeededRun::id).sorted().toList());
        String text = browser.driver.findElement(By.tagName("body")).getText();
        assertFalse(text.contains("Cancel experiment"), text);
        assertFalse(text.lines().anyMatch(line -> line.strip().equals("null")), text);
    }

    private List<Long> expected(Predicate<SeededRun> filter, Comparator<SeededRun> order) {
        return grid.runs().stream().filter(filter)
                .sorted(order.thenComparingLong(SeededRun::id)).map(SeededRun::id).toList();
    }

    private WebElement header(String key) {
        return browser.driver.findElement(By.cssSelector("#runs-table th[data-sort='" + key + "']"));
    }

    private WebElement row(long id) {
        return browser.driver.findElement(By.cssSelector("#runs-table tr.run[data-id='" + id + "']"));
    }

    private List<Long> rowIds() {
        return browser.all(By.cssSelector("#runs-table tbody tr.run")).stream()
                .map(r -> Long.valueOf(r.getDomAttribute("data-id"))).toList();
    }

    /** Waits for the table to show exactly these runs in this order; fails with both lists otherwise. */
    private void awaitRows(List<Long> expected) {
        try {
            browser.wait.until(d -> expected.equals(rowIds()));
        } catch (TimeoutException e) {
            assertEquals(expected, rowIds());
        }
    }
}
