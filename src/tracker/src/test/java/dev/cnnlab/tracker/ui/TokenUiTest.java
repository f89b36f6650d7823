package dev.cnnlab.tracker.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.PostgresResource;
import dev.cnnlab.tracker.TestToken;
import dev.cnnlab.tracker.run.Run;
import dev.cnnlab.tracker.ui.UiSeed.SeededRun;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/** Without a token a write shows "needs an API token"; entering one in the header lets it through. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class TokenUiTest extends BrowserTest {
    @AfterEach
    void keepTheTestToken() {
        browser.useToken(TestToken.secret().orElse(null));
    }

    @Test
    void aWriteWithoutATokenAsksForOneAndWorksOnceItIsEntered() throws IOException {
        SeededRun running = UiSeed.paperGrid().run("keras-cifar10", 64);
        browser.useToken(null);
        browser.open("/runs/" + running.id());
        assertEquals("API token", browser.driver.findElement(By.id("token-summary")).getText());

        browser.await(By.id("cancel-run")).click();
        browser.wait.until(d -> browser.errorBanner() != null);
        assertTrue(browser.errorBanner().startsWith("This action needs an API token: enter one under \"API token\""),
                browser.errorBanner());
        assertTrue(browser.driver.findElement(By.id("token-input")).isDisplayed(), "the token field opens");
        assertEquals("RUNNING", status(running.id()), "refused, so nothing changed");
        browser.screenshot("token-needed");

        browser.driver.findElement(By.id("token-input")).sendKeys(TestToken.secret().orElseThrow());
        browser.driver.findElement(By.id("token-save")).click();
        browser.awaitRendered();
        assertEquals("API token ✓", browser.driver.findElement(By.id("token-summary")).getText());
        browser.await(By.id("cancel-run")).click();
        browser.wait.until(d -> d.findElement(By.cssSelector("#run-status .badge")).getText().equals("CANCELLED"));
        assertEquals("cancelled by " + TestToken.name(), browser.await(By.id("cancelled-by")).getText());
        assertEquals("CANCELLED", status(running.id()));
    }

    private static String status(long runId) {
        return QuarkusTransaction.requiringNew().call(() -> Run.<Run>findById(runId).status.name());
    }
}
