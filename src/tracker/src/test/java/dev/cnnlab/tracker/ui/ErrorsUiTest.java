package dev.cnnlab.tracker.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.PostgresResource;
import dev.cnnlab.tracker.run.Run;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * An API error reaches the person as the server's own message in a banner, never as a blank page; a run's
 * own failure or early stop is data, shown on its page.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ErrorsUiTest extends BrowserTest {

    @Test
    void aRunThatDoesNotExistShowsTheServersMessage() throws IOException {
        browser.open("/runs/987654321");
        browser.wait.until(d -> browser.errorBanner() != null);
        assertEquals("run 987654321 not found", browser.errorBanner());
        assertFalse(browser.driver.findElement(By.id("view")).getText().isBlank(), "not a blank page");
        browser.screenshot("error-unknown-run");

        // The banner belongs to the page that failed: going elsewhere clears it.
        browser.driver.findElement(By.cssSelector("nav a[data-nav='experiments']")).click();
        browser.await(By.id("experiments-table"));
        assertNull(browser.errorBanner());
    }

    @Test
    void aBadRequestKeepsThePageAndNamesTheProblem() throws IOException {
        long experimentId = UiSeed.manyRuns(1).experimentId();
        browser.open("/experiments/" + experimentId + "?sort=bogus");
        browser.wait.until(d -> browser.errorBanner() != null);
        assertTrue(browser.errorBanner().contains("unknown sort key 'bogus'"), browser.errorBanner());
        assertTrue(browser.driver.findElement(By.cssSelector("#view h1")).isDisplayed(), "the experiment is still shown");

        // Sorting by a real column recovers.
        browser.driver.findElement(By.cssSelector("#runs-table th[data-sort='batchSize']")).click();
        browser.await(By.cssSelector("#runs-table tr.run"));
        browser.driver.findElement(By.id("error-close")).click();
        assertNull(browser.errorBanner());
    }

    @Test
    void aFailedRunShowsWhyItFailed() {
        UiSeed.SeededRun failed = UiSeed.paperGrid().run("lenet5", 64);
        browser.open("/runs/" + failed.id());
        assertEquals("TrainingDivergedException: loss is NaN at epoch 2 of fold 0",
                browser.await(By.cssSelector(".run-error")).getText());
        assertEquals("FAILED", browser.driver.findElement(By.cssSelector("#run-status .badge")).getText());
        assertNull(browser.errorBanner(), "a failed run is data, not an API error");
    }

    @Test
    void aPrunedRunShowsWhyItStoppedAndNoError() {
        String reason = "pruned after 4 of 6 folds: worse than run 1 on folds [0, 1, 2, 3] (mean -57.5 pp,"
                + " one-sided Wilcoxon p = 0.0625 < 0.1, 4 pairs)";
        long runId = QuarkusTransaction.requiringNew().call(() -> {
            Run run = UiSeed.newRun(UiSeed.experiment("ui-pruned-" + UUID.randomUUID(), List.of("lenet5"),
                    List.of(16)).id, "lenet5", 16, "PRUNED");
            run.stopReason = reason;
            run.persist();
            return run.id;
        });
        browser.open("/runs/" + runId);
        assertEquals(reason, browser.await(By.id("stop-reason")).getText().trim());
        assertEquals("PRUNED", browser.driver.findElement(By.cssSelector("#run-status .badge")).getText());
        assertFalse(browser.driver.findElement(By.cssSelector(".run-error")).isDisplayed(), "pruning is no failure");
    }

    @Test
    void anUnknownPageSaysSo() {
        browser.open("/no-such-page");
        assertEquals("No page at #/no-such-page", browser.errorBanner());
    }
}
