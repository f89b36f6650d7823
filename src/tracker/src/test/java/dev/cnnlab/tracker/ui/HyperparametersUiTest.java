package dev.cnnlab.tracker.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The run page's hyperparameter table explains each training field with GET /api/schema's description and range. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class HyperparametersUiTest extends BrowserTest {

    @Test
    void eachTrainingFieldCarriesItsDescriptionAndRange() {
        UiSeed.SeededRun run = UiSeed.paperGrid().run("keras-cifar10", 16);
        browser.open("/runs/" + run.id());
        WebElement batch = browser.wait.until(d -> browser.all(By.cssSelector("#hyperparameters th")).stream()
                .filter(th -> th.getText().equals("batchSize")).findFirst().orElse(null));
        assertEquals("images per batch, between 1 and 4096 (default 64)", batch.getDomAttribute("title"));
        WebElement dataset = browser.all(By.cssSelector("#hyperparameters th")).stream()
                .filter(th -> th.getText().equals("dataset")).findFirst().orElseThrow();
        assertEquals(null, dataset.getDomAttribute("title"), "not a training field");
        assertTrue(browser.consoleErrors().isEmpty(), () -> "JavaScript errors: " + browser.consoleErrors());
    }
}
