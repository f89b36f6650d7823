package dev.cnnlab.tracker.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.PostgresResource;
import dev.cnnlab.tracker.experiment.Experiment;
import dev.cnnlab.tracker.run.EpochMetric;
import dev.cnnlab.tracker.run.Fold;
import dev.cnnlab.tracker.run.Run;
import dev.cnnlab.tracker.run.RunStatus;
import dev.cnnlab.tracker.search.RunRung;
import dev.cnnlab.tracker.search.SuccessiveHalving.Decision;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * An ASHA experiment's page: three runs of 3 folds and 3 epochs (10 s each), rung 0 at 1 epoch, where
 * batch 32 went on to the end and batches 16 and 64 stopped. 15 of 27 fold-epochs were trained, 150 s
 * of 270 s: the page shows the rung, each run's rung and score, and 44.4% saved.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class SearchUiTest extends BrowserTest {

    @Test
    void theExperimentPageShowsRungsAndComputeSaved() throws IOException {
        long experimentId = seed();
        browser.open("/experiments/" + experimentId);
        browser.wait.until(d -> !d.findElement(By.id("compute-saved")).getText().isEmpty());
        assertEquals("Spent 0.042 CPU-hours of 0.075 CPU-hours for the full grid (15 of 27 fold-epochs): 44.4% saved.",
                browser.driver.findElement(By.id("compute-saved")).getText());
        assertEquals(List.of("0", "1", "3", "1", "2", "0"), browser.all(By.cssSelector("#rungs-table tr[data-rung='0'] td"))
                .stream().map(e -> e.getText()).toList());
        List<String> rows = browser.all(By.cssSelector("#rung-runs-table tbody tr")).stream().map(e -> e.getText()).toList();
        assertEquals(3, rows.size(), rows::toString);
        assertTrue(rows.get(0).matches("#\\d+ batchSize 16 STOPPED_EARLY 0 \\(1 epochs\\) 41\\.0% ✕"), rows.get(0));
        assertTrue(rows.get(1).matches("#\\d+ batchSize 32 SUCCEEDED 0 \\(1 epochs\\) 55\\.0% ↑"), rows.get(1));
        String reason = browser.driver.findElement(By.cssSelector("#rung-runs-table tbody tr:first-child"))
                .getDomAttribute("title");
        assertTrue(reason.startsWith("stopped early at rung 0"), reason);
        assertTrue(browser.consoleErrors().isEmpty(), () -> "JavaScript errors: " + browser.consoleErrors());
        browser.screenshot("search-asha-rungs");
    }

    /** Batch 32 promoted at rung 0 and SUCCEEDED; 16 and 64 STOPPED_EARLY there. */
    private static long seed() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Experiment experiment = UiSeed.experiment("ui-asha-" + UUID.randomUUID(), List.of("lenet5"), List.of(16, 32, 64));
            experiment.spec.put("epochs", 3);
            experiment.spec.put("search", Map.of("kind", "asha", "reductionFactor", 3, "minEpochs", 1));
            int arrival = 0;
            for (int batch : List.of(16, 32, 64)) {
                boolean promoted = batch == 32;
                double score = batch == 32 ? 0.55 : batch == 16 ? 0.41 : 0.38;
                Run run = UiSeed.newRun(experiment.id, "lenet5", batch, promoted ? "SUCCEEDED" : "STOPPED_EARLY");
                run.epochs = 3;
                run.hyperparameters.put("epochs", 3);
                run.meanAccuracy = score;
                run.stopReason = promoted ? null : "stopped early at rung 0 (1 epochs, mean accuracy " + score + ")";
                run.persist();
                for (int k = 0; k < 3; k++) {
                    Fold fold = Fold.of(run.id, k);
                    fold.status = promoted ? RunStatus.SUCCEEDED : RunStatus.STOPPED_EARLY;
                    fold.accuracy = score;
                    fold.persist();
                    for (int e = 1; e <= (promoted ? 3 : 1); e++) {
                        EpochMetric m = new EpochMetric();
                        m.foldId = fold.id;
                        m.epoch = e;
                        m.valAccuracy = score;
                        m.seconds = 10.0;
                        m.recordedAt = Instant.now();
                        m.persist();
                    }
                }
                RunRung rung = new RunRung();
                rung.runId = run.id;
                rung.rung = 0;
                rung.experimentId = experiment.id;
                rung.epoch = 1;
                rung.score = score;
                rung.arrival = ++arrival;
                rung.arrivedAt = Instant.now();
                rung.decision = promoted ? Decision.PROMOTED : Decision.STOPPED;
                rung.decidedAt = Instant.now();
                rung.decidedBy = "ui-test";
                rung.reason = run.stopReason;
                rung.persist();
            }
            return experiment.id;
        });
    }
}
