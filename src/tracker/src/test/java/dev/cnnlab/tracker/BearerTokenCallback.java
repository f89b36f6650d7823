package dev.cnnlab.tracker;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;

/**
 * Before every @QuarkusTest method, makes sure RestAssured sends the profile's API token
 * ({@link TestToken}) on every request that carries no Authorization header of its own, so tests
 * that write through the API need not each add it. Registered in META-INF/services.
 */
public class BearerTokenCallback implements QuarkusTestBeforeEachCallback {
    static final Filter SEND_TOKEN = (request, response, context) -> {
        if (!request.getHeaders().hasHeaderWithName("Authorization")) {
            TestToken.secret().ifPresent(secret -> request.header("Authorization", "Bearer " + secret));
        }
        return context.next(request, response);
    };

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        if (!RestAssured.filters().contains(SEND_TOKEN)) {
            RestAssured.filters(SEND_TOKEN);
        }
    }
}
