package dev.cnnlab.tracker.ui;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless chromium driven through /usr/bin/chromedriver, pointed at the tracker under test.
 * Paths are explicit so Selenium Manager never tries to download a driver or a browser.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");

    final ChromeDriver driver;
    final WebDriverWait wait;
    private final String root;
    private final Path profile;

    private Browser(ChromeDriver driver, String root, Path profile) {
        this.driver = driver;
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
        this.profile = profile;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(15));
        // tables re-render while polling: an element read a moment ago may be gone; look again
        this.wait.ignoring(StaleElementReferenceException.class);
    }

    /** Starts chromium, or skips the test where chromedriver is not installed. */
    static Browser start(URL root) throws IOException {
        assumeTrue(Files.isExecutable(CHROMEDRIVER), "no " + CHROMEDRIVER + ": apt-get install chromium chromium-driver");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        Path profile = Files.createTempDirectory("cnnlab-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1400,1000",
                "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new Browser(new ChromeDriver(service, options), root.toString(), profile);
    }

    /**
     * Loads the UI afresh at a route such as "/experiments/3?sort=-batchSize" and waits until it has
     * rendered. A fresh load, because going from one hash to another only re-renders, and the old
     * page's elements could answer the test's first look.
     */
    void open(String route) {
        driver.get("about:blank");
        driver.get(root + "/#" + route);
        awaitRendered();
    }

    /** Keeps this API token in the UI's localStorage as the header's token field would; null forgets it. */
    void useToken(String token) {
        driver.get(root + "/"); // localStorage belongs to the tracker's origin
        js(token == null ? "localStorage.removeItem('cnnlab.token');"
                : "localStorage.setItem('cnnlab.token', arguments[0]);", token);
    }

    void awaitRendered() {
        wait.until(d -> d.findElements(By.cssSelector("#view[data-loading]")).isEmpty()
                && !d.findElements(By.cssSelector("#view > *")).isEmpty());
    }

    WebElement await(By locator) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    List<WebElement> all(By locator) {
        return driver.findElements(locator);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** The visible error banner's text, or null while it is hidden. */
    String errorBanner() {
        WebElement banner = driver.findElement(By.id("error"));
        return banner.isDisplayed() ? driver.findElement(By.id("error-text")).getText() : null;
    }

    /**
     * How many pixels the chart in the container with this id has painted on its canvas
     * (ECharts draws on a transparent canvas, so every non-transparent pixel is ink).
     */
    long paintedPixels(String containerId) {
        Object n = js("""
                const canvas = document.querySelector('#' + arguments[0] + ' canvas');
                if (!canvas || canvas.width === 0 || canvas.height === 0) return 0;
                const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                let painted = 0;
                for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) painted++;
                return painted;""", containerId);
        return ((Number) n).longValue();
    }

    /** Waits until the chart in this container has painted something, then returns the pixel count. */
    long awaitChart(String containerId) {
        wait.until(d -> paintedPixels(containerId) > 0);
        return paintedPixels(containerId);
    }

    /** The option ECharts holds for the chart in this container, as JSON-like maps and lists. */
    Object chartSeries(String containerId) {
        return js("return echarts.getInstanceByDom(document.getElementById(arguments[0])).getOption().series"
                + ".map(s => ({name: s.name, type: s.type, data: s.data}));", containerId);
    }

    /** JavaScript errors the page logged (uncaught exceptions and console.error). */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    /** Saves the whole page (the window grows to the page's height for the shot) to target/ui-screenshots. */
    void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Dimension window = driver.manage().window().getSize();
        long height = ((Number) js("return document.documentElement.scrollHeight;")).longValue();
        driver.manage().window().setSize(new Dimension(window.getWidth(), (int) Math.min(4000, height + 150)));
        File png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        driver.manage().window().setSize(window);
        Files.copy(png.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
