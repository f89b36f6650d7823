package dev.cnnlab.tracker.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.cnnlab.tracker.PostgresResource;
import dev.cnnlab.tracker.TestToken;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With cnnlab.auth.read=token every /api request needs a token; the UI's files and health stay open. */
@QuarkusTest
@TestProfile(ProtectedReadsTest.ProtectedReads.class)
@WithTestResource(PostgresResource.class)
class ProtectedReadsTest {
    static final List<String> READS = List.of("/api/experiments", "/api/runs", "/api/models",
            "/api/stats/accuracy-by-batch-size");

    public static class ProtectedReads implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cnnlab.auth.read", "token");
        }
    }

    @BeforeEach
    void sendOnlyWhatEachTestSays() {
        RestAssured.replaceFiltersWith(List.of());
    }

    @Test
    void readsNeedAToken() {
        String bearer = "Bearer " + TestToken.secret().orElseThrow();
        for (String path : READS) {
            given().get(path).then().statusCode(401).body("code", equalTo(401))
                    .body("error", containsString("reading needs an API token"));
            given().header("Authorization", "Bearer wrong-token-0123456789abcdef").get(path).then().statusCode(401)
                    .body("error", containsString("unknown or revoked"));
            given().header("Authorization", bearer).get(path).then().statusCode(200);
        }
        given().contentType("image/png").body(new byte[0]).post("/api/predict").then().statusCode(401);
        given().header("Authorization", bearer).contentType("image/png").body(new byte[0]).post("/api/predict")
                .then().statusCode(400).body("error", containsString("JPEG or PNG"));
    }

    @Test
    void theUiAndHealthStayOpen() {
        // the UI must load to let a person enter a token; probes carry none
        for (String path : List.of("/", "/js/api.js", "/q/health/ready", "/q/health/live")) {
            given().get(path).then().statusCode(200);
        }
    }
}
