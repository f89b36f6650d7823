package dev.cnnlab.tracker.ui;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.Fixtures;
import dev.cnnlab.tracker.PostgresResource;
import dev.cnnlab.tracker.TestModelStore;
import dev.cnnlab.tracker.model.Model;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * "Try it": a real CIFAR-10 JPEG goes to POST /api/predict and comes back as bars. The model is the
 * repository's default model file, copied into the model store, registered under a name of its own
 * and picked in the page, so the test does not depend on which model other tests left SERVED.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class PredictUiTest extends BrowserTest {
    static final Path DEFAULT_MODEL = Path.of("../../models/default/model.safetensors").toAbsolutePath().normalize();

    private String name;
    private Long modelId;

    @BeforeEach
    void registerModel() {
        name = "ui-try-" + UUID.randomUUID().toString().substring(0, 8);
        modelId = QuarkusTransaction.requiringNew().call(() -> register(name));
    }

    @AfterEach
    void forgetModel() {
        QuarkusTransaction.requiringNew().run(() -> Model.deleteById(modelId));
    }

    @Test
    void pickingAnImageShowsPredictedClassesAsBars() throws IOException {
        Path jpeg = Fixtures.cifarFolder().resolve("cat/0000.jpg").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(jpeg), "CIFAR-10 images under " + Fixtures.shared());
        upload(jpeg);

        browser.wait.until(d -> !browser.all(By.cssSelector("#predictions .prediction")).isEmpty()
                || browser.errorBanner() != null);
        assertNull(browser.errorBanner());
        List<WebElement> bars = browser.all(By.cssSelector("#predictions .prediction"));
        assertEquals(5, bars.size(), "topK=5");
        double previous = 101;
        for (WebElement bar : bars) {
            String label = bar.findElement(By.cssSelector(".prediction-label")).getText();
            assertTrue(UiSeed.LABELS.contains(label), label);
            String percent = bar.findElement(By.cssSelector(".prediction-value")).getText();
            double value = Double.parseDouble(percent.replace("%", ""));
            assertTrue(value <= previous, "highest probability first");
            previous = value;
            String style = bar.findElement(By.cssSelector(".bar-fill")).getDomAttribute("style");
            assertNotNull(style);
            // the bar is as wide as the number says (a browser writes "width: 0.0%" back as "width: 0%")
            Matcher width = Pattern.compile("width: ([\\d.]+)%").matcher(style);
            assertTrue(width.find(), style);
            assertEquals(value, Double.parseDouble(width.group(1)), 1e-9, style + " for " + percent);
        }
        assertTrue(browser.driver.findElement(By.id("preview")).isDisplayed());
        String info = browser.driver.findElement(By.id("prediction-info")).getText();
        assertTrue(info.startsWith(name + " v1 · ") && info.endsWith(" ms"), info);
        assertTrue(browser.consoleErrors().isEmpty(), () -> "JavaScript errors: " + browser.consoleErrors());
        browser.screenshot("try-it");
    }

    @Test
    void aFileThatIsNotAnImageIsRefusedWithTheServersMessage() throws IOException {
        Path text = Files.createTempFile("not-an-image", ".png");
        Files.writeString(text, "this is not a PNG");
        try {
            upload(text);
            browser.wait.until(d -> browser.errorBanner() != null);
            assertTrue(browser.all(By.cssSelector("#predictions .prediction")).isEmpty());
            // The banner carries exactly what the API answers for these bytes.
            String error = given().contentType("image/png").body(Files.readAllBytes(text))
                    .queryParam("model", modelId)
                    .when().post("/api/predict")
                    .then().statusCode(415).extract().jsonPath().getString("error");
            assertEquals(error, browser.errorBanner());
            browser.screenshot("try-it-error");
        } finally {
            Files.delete(text);
        }
    }

    private void upload(Path file) {
        browser.open("/try");
        new Select(browser.await(By.id("model-select"))).selectByValue(String.valueOf(modelId));
        browser.driver.findElement(By.id("image-input")).sendKeys(file.toString());
    }

    private static long register(String name) {
        try {
            Path file = TestModelStore.versionDir(name, 1).resolve(DEFAULT_MODEL.getFileName());
            Files.copy(DEFAULT_MODEL, file);
            Model m = new Model();
            m.name = name;
            m.version = 1;
            m.path = file.toString();
            m.sha256 = HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(DEFAULT_MODEL)));
            m.sizeBytes = Files.size(DEFAULT_MODEL);
            m.labels = UiSeed.LABELS;
            m.createdAt = Instant.now();
            m.persist();
            return m.id;
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot register " + DEFAULT_MODEL, e);
        }
    }
}
