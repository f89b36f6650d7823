package dev.cnnlab.tracker.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.PostgresResource;
import dev.cnnlab.tracker.model.Model;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The models page lists exported models with their metrics; "Serve" marks one as served. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ModelsUiTest extends BrowserTest {
    private Map<Long, String> stagesBefore;
    private List<Long> seeded;

    @AfterEach
    void restoreStages() {
        // Other tests predict with whatever model is served: put every stage back as it was.
        QuarkusTransaction.requiringNew().run(() -> {
            if (seeded != null) {
                Model.delete("id in ?1", seeded);
            }
            if (stagesBefore != null) {
                Model.update("stage = 'NONE' where stage = 'SERVED'");
                stagesBefore.forEach((id, stage) -> Model.update("stage = ?1 where id = ?2", stage, id));
            }
        });
    }

    @Test
    void servingAModelFromThePage() throws IOException {
        String name = "ui-model-" + UUID.randomUUID().toString().substring(0, 8);
        seeded = QuarkusTransaction.requiringNew().call(() -> {
            stagesBefore = Model.<Model>listAll().stream().collect(Collectors.toMap(m -> m.id, m -> m.stage));
            return List.of(model(name, 1, 0.61).id, model(name, 2, 0.68).id);
        });
        long v1 = seeded.get(0);
        long v2 = seeded.get(1);

        browser.open("/models");
        WebElement row = browser.await(By.cssSelector("#models-table tr[data-id='" + v2 + "']"));
        assertTrue(row.getText().contains(name), row.getText());
        assertTrue(row.getText().contains("accuracy: 68.0%"), row.getText());
        assertEquals("NONE", row.findElement(By.cssSelector(".badge")).getText());

        row.findElement(By.cssSelector("button.promote")).click();
        browser.wait.until(d -> "SERVED".equals(stage(v2)));
        assertEquals("NONE", stage(v1));
        assertEquals("SERVED", QuarkusTransaction.requiringNew().call(() -> Model.<Model>findById(v2).stage),
                "stored, not just drawn");
        assertTrue(browser.consoleErrors().isEmpty(), () -> "JavaScript errors: " + browser.consoleErrors());
        browser.screenshot("models");
    }

    private String stage(long id) {
        return browser.driver.findElement(By.cssSelector("#models-table tr[data-id='" + id + "'] .badge")).getText();
    }

    private static Model model(String name, int version, double accuracy) {
        Model m = new Model();
        m.name = name;
        m.version = version;
        m.path = "/nonexistent/" + name + "-" + version + ".cnn";
        m.sha256 = "0".repeat(63) + version;
        m.sizeBytes = 1_234_567;
        m.metrics = Map.of("accuracy", accuracy, "epochs", 3);
        m.labels = UiSeed.LABELS;
        m.createdAt = Instant.now();
        m.persist();
        return m;
    }
}
