package dev.cnnlab.tracker.ui;

import dev.cnnlab.tracker.TestToken;
import io.quarkus.test.common.http.TestHTTPResource;
import java.io.IOException;
import java.net.URL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One chromium per test class, opened against the tracker Quarkus started for the tests, holding
 * the test profile's API token as a person would after entering it, so the UI's writes are allowed.
 */
abstract class BrowserTest {
    static Browser browser;

    @TestHTTPResource("/")
    URL root;

    @BeforeEach
    void startBrowser() throws IOException {
        if (browser == null) {
            browser = Browser.start(root);
            browser.useToken(TestToken.secret().orElse(null));
        }
        browser.consoleErrors(); // reading the log empties it: each test sees only its own errors
    }

    @AfterAll
    static void closeBrowser() throws IOException {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }
}
