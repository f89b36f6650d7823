package dev.cnnlab.tracker.ui;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.Fixtures;
import dev.cnnlab.tracker.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** "Try it": a real CIFAR-10 JPEG goes to POST /api/predict and comes back as bars. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class PredictUiTest extends BrowserTest {

    @Test
    void pickingAnImageShowsPredictedClassesAsBars() throws IOException {
        Path jpeg = Fixtures.cifarFolder().resolve("cat/0000.jpg");
        assertTrue(Files.isRegularFile(jpeg), "CIFAR-10 images under " + Fixtures.shared());
        browser.open("/try");
        browser.driver.findElement(By.id("image-input")).sendKeys(jpeg.toAbsolutePath().toString());

        browser.wait.until(d -> !browser.all(By.cssSelector("#predictions .prediction")).isEmpty()
                || browser.errorBanner() != null);
        assertEquals(null, browser.errorBanner());
        List<WebElement> bars = browser.all(By.cssSelector("#predictions .prediction"));
        assertTrue(bars.size() >= 1 && bars.size() <= 5, "top 5 at most, got " + bars.size());
        double previous = 101;
        for (WebElement bar : bars) {
            String label = bar.findElement(By.cssSelector(".prediction-label")).getText();
            assertTrue(UiSeed.LABELS.contains(label), label);
            String percent = bar.findElement(By.cssSelector(".prediction-value")).getText();
            double value = Double.parseDouble(percent.replace("%", ""));
            assertTrue(value <= previous, "highest probability first");
            previous = value;
            String width = bar.findElement(By.cssSelector(".bar-fill")).getDomAttribute("style");
            assertNotNull(width);
            assertTrue(width.contains("width: " + percent), width + " for " + percent);
        }
        assertTrue(browser.driver.findElement(By.id("preview")).isDisplayed());
        assertTrue(browser.driver.findElement(By.id("prediction-info")).getText().endsWith(" ms"));
        assertTrue(browser.consoleErrors().isEmpty(), () -> "JavaScript errors: " + browser.consoleErrors());
        browser.screenshot("try-it");
    }

    @Test
    void aFileThatIsNotAnImageIsRefusedWithTheServersMessage() throws IOException {
        Path text = Files.createTempFile("not-an-image", ".png");
        Files.writeString(text, "this is not a PNG");
        try {
            browser.open("/try");
            browser.driver.findElement(By.id("image-input")).sendKeys(text.toString());
            browser.wait.until(d -> browser.errorBanner() != null);
            assertTrue(browser.all(By.cssSelector("#predictions .prediction")).isEmpty());
            // The banner carries exactly what the API answers for these bytes.
            String error = given().contentType("image/png").body(Files.readAllBytes(text))
                    .when().post("/api/predict")
                    .then().statusCode(greaterThanOrEqualTo(400)).extract().jsonPath().getString("error");
            assertEquals(error, browser.errorBanner());
            browser.screenshot("try-it-error");
        } finally {
            Files.delete(text);
        }
    }
}
