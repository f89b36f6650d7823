package dev.cnnlab.tracker.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cnnlab.tracker.Fixtures;
import dev.cnnlab.tracker.PostgresResource;
import dev.cnnlab.tracker.TestToken;
import dev.cnnlab.tracker.experiment.ExperimentService;
import dev.cnnlab.tracker.experiment.SpecParser;
import dev.cnnlab.tracker.model.Model;
import dev.cnnlab.tracker.run.Run;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.junit.jupiter.api.Test;

/**
 * Writes over HTTP need a configured API token; each write records the token's name; tokens are
 * stored hashed; the configuration decides which tokens exist. This class sends its own
 * Authorization headers (the shared BearerTokenCallback filter is switched off).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class AccessTest {
    static final String DATASET = Fixtures.cifarFolder().toString();
    static final String WRONG = "wrong-token-0123456789abcdef";

    @Inject
    ApiTokens tokens;
    @Inject
    ExperimentService experiments;
    @Inject
    EntityManager em;
    @Inject
    ObjectMapper json;
    @ConfigProperty(name = "cnnlab.auth.tokens")
    String configured;

    String secret;
    long experimentId;
    long runId;
    long modelId;
    Map<Long, String> stagesBefore;

    /** One write of each kind, on rows made for this test. */
    record Write(String what, Function<RequestSpecification, ValidatableResponse> call) {
    }

    List<Write> writes() {
        Map<String, Object> spec = Fixtures.spec(DATASET);
        return List.of(
                new Write("submit", r -> r.contentType(ContentType.JSON).body(spec).post("/api/experiments").then()),
                new Write("cancel experiment", r -> r.post("/api/experiments/" + experimentId + "/cancel").then()),
                new Write("cancel run", r -> r.post("/api/runs/" + runId + "/cancel").then()),
                new Write("promote", r -> r.post("/api/models/" + modelId + "/promote").then()));
    }

    @BeforeEach
    void seed() {
        RestAssured.replaceFiltersWith(List.of());
        secret = TestToken.secret().orElseThrow();
        experimentId = experiments.create(SpecParser.parse(json.valueToTree(Fixtures.spec(DATASET))), "seed").id();
        runId = QuarkusTransaction.requiringNew().call(() ->
                Run.<Run>list("experimentId = ?1 order by id", experimentId).get(0).id);
        modelId = QuarkusTransaction.requiringNew().call(() -> {
            stagesBefore = Model.<Model>listAll().stream().collect(Collectors.toMap(m -> m.id, m -> m.stage));
            Model m = new Model();
            m.name = "access-" + UUID.randomUUID();
            m.version = 1;
            m.path = "/nonexistent/model.safetensors";
            m.sha256 = "cd".repeat(32);
            m.sizeBytes = 1;
            m.createdAt = Instant.now();
            m.persist();
            return m.id;
        });
    }

    @AfterEach
    void restore() {
        // predictions elsewhere use whatever is served: put every stage back as it was
        QuarkusTransaction.requiringNew().run(() -> {
            Model.delete("id", modelId);
            Model.update("stage = 'NONE' where stage = 'SERVED'");
            stagesBefore.forEach((id, stage) -> Model.update("stage = ?1 where id = ?2", stage, id));
        });
        tokens.sync(configured);
    }

    @Test
    void everyWriteWithoutAValidTokenIs401AndChangesNothing() {
        long experimentsBefore = count("SELECT count(*) FROM experiments");
        Map<String, String> refusals = Map.of("Bearer " + WRONG, "unknown or revoked API token",
                "Basic dGVzdDp0ZXN0", "must be 'Bearer <secret>'", secret, "must be 'Bearer <secret>'");
        for (Write write : writes()) {
            write.call().apply(given()).statusCode(401)
                    .contentType(ContentType.JSON)
                    .header("WWW-Authenticate", "Bearer realm=\"cnnlab\"")
                    .body("code", equalTo(401))
                    .body("error", containsString("this write (POST) needs an API token"))
                    .body("error", containsString("CNNLAB_AUTH_TOKENS"));
            refusals.forEach((header, error) -> write.call().apply(given().header("Authorization", header))
                    .statusCode(401).body("code", equalTo(401)).body("error", containsString(error)));
        }
        assertEquals(experimentsBefore, count("SELECT count(*) FROM experiments"), "no experiment stored");
        assertEquals(4, count("SELECT count(*) FROM runs WHERE experiment_id = " + experimentId
                + " AND status = 'QUEUED' AND cancelled_by IS NULL"), "no run cancelled");
        assertEquals(8, count("SELECT count(*) FROM jobs j JOIN runs r ON r.id = j.run_id WHERE r.experiment_id = "
                + experimentId + " AND j.state = 'QUEUED'"), "no job cancelled");
        assertEquals("NONE", QuarkusTransaction.requiringNew().call(() -> Model.<Model>findById(modelId).stage));
    }

    @Test
    void everyWriteTheApiDescribesNeedsAToken() {
        // from the OpenAPI document, so an endpoint added later is covered too
        Map<String, Map<String, Object>> paths = given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().jsonPath().getMap("paths");
        int writes = 0;
        for (var path : paths.entrySet()) {
            String url = path.getKey().replaceAll("\\{[^}]+}", "99999999");
            for (String method : path.getValue().keySet()) {
                if (List.of("get", "head", "options", "parameters").contains(method)) {
                    continue;
                }
                int status = given().contentType(ContentType.JSON).body("{}").request(method, url)
                        .then().extract().statusCode();
                if (path.getKey().equals("/api/predict")) {
                    assertNotEquals(401, status, "a prediction is a read");
                } else {
                    assertEquals(401, status, method + " " + path.getKey() + " without a token");
                    writes++;
                }
            }
        }
        assertTrue(writes >= 4, "submit, cancel twice, promote: found " + writes);
    }

    @Test
    void eachWriteRecordsTheTokenName() {
        String name = TestToken.name();
        long created = given().header("Authorization", "Bearer " + secret).contentType(ContentType.JSON)
                .body(Fixtures.spec(DATASET)).post("/api/experiments")
                .then().statusCode(201).body("createdBy", equalTo(name)).extract().jsonPath().getLong("id");
        given().get("/api/experiments/" + created).then().statusCode(200).body("createdBy", equalTo(name));
        assertEquals(name, text("SELECT created_by FROM experiments WHERE id = " + created));
        assertEquals(4, count("SELECT count(*) FROM runs WHERE experiment_id = " + created + " AND created_by = '"
                + name + "'"));

        given().header("Authorization", "Bearer " + secret).post("/api/runs/" + runId + "/cancel")
                .then().statusCode(200).body("status", equalTo("CANCELLED"));
        given().get("/api/runs/" + runId).then().body("cancelledBy", equalTo(name)).body("createdBy", equalTo("seed"));
        given().header("Authorization", "Bearer " + secret).post("/api/experiments/" + experimentId + "/cancel")
                .then().statusCode(200).body("runsByStatus.CANCELLED", equalTo(4));
        assertEquals(4, count("SELECT count(*) FROM runs WHERE experiment_id = " + experimentId
                + " AND status = 'CANCELLED' AND cancelled_by = '" + name + "'"));

        given().header("Authorization", "Bearer " + secret).post("/api/models/" + modelId + "/promote")
                .then().statusCode(200).body("stage", equalTo("SERVED")).body("promotedBy", equalTo(name))
                .body("promotedAt", notNullValue());
        assertEquals(name, text("SELECT promoted_by FROM models WHERE id = " + modelId));
        assertNotNull(text("SELECT last_used_at FROM api_tokens WHERE name = '" + name + "'"));
    }

    @Test
    void tokensAreStoredAsSha256Only() throws Exception {
        String expected = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, text("SELECT token_sha256 FROM api_tokens WHERE name = '" + TestToken.name()
                + "' AND revoked_at IS NULL"));
        @SuppressWarnings("unchecked")
        List<String> rows = QuarkusTransaction.requiringNew().call(() ->
                em.createNativeQuery("SELECT CAST(row_to_json(t) AS text) FROM api_tokens t").getResultList());
        assertFalse(rows.isEmpty());
        rows.forEach(row -> assertFalse(row.contains(secret), "a plaintext secret in api_tokens: " + row));
    }

    @Test
    void readsAreOpenByDefaultAndAPredictionIsARead() {
        for (String path : List.of("/api/experiments", "/api/experiments/" + experimentId, "/api/runs",
                "/api/runs/" + runId, "/api/models", "/api/stats/accuracy-by-batch-size")) {
            given().get(path).then().statusCode(200);
            given().header("Authorization", "Bearer " + WRONG).get(path).then().statusCode(200);
        }
        // an empty body fails the prediction, not the access check
        given().contentType("image/png").body(new byte[0]).post("/api/predict")
                .then().statusCode(400).body("error", containsString("JPEG or PNG"));
    }

    @Test
    void theConfigurationDecidesWhichTokensExist() {
        String other = "other-token-" + UUID.randomUUID();
        // A probe that passes the access check only: cancelling a run that does not exist is 404.
        Function<String, Integer> probe = s -> given().header("Authorization", "Bearer " + s)
                .post("/api/runs/99999999/cancel").then().extract().statusCode();

        tokens.sync(configured + ",other:" + other);
        assertEquals(404, probe.apply(other), "a token added to the configuration works");
        assertEquals(404, probe.apply(secret));

        tokens.sync(configured);
        assertEquals(401, probe.apply(other), "a token removed from the configuration is refused");
        assertNotNull(text("SELECT revoked_at FROM api_tokens WHERE name = 'other'"));
        assertEquals(404, probe.apply(secret));

        String rotated = "rotated-" + UUID.randomUUID();
        tokens.sync(TestToken.name() + ":" + rotated);
        assertEquals(401, probe.apply(secret), "the old secret of a rotated token is refused");
        assertEquals(404, probe.apply(rotated));

        tokens.sync("");
        given().header("Authorization", "Bearer " + rotated).post("/api/runs/99999999/cancel")
                .then().statusCode(401).body("error", containsString("no API token configured"));
        given().post("/api/runs/" + runId + "/cancel")
                .then().statusCode(401).body("error", containsString("no API token configured"));
        assertNull(text("SELECT cancelled_by FROM runs WHERE id = " + runId));
        assertEquals("QUEUED", text("SELECT status FROM runs WHERE id = " + runId), "writes are refused");
    }

    @Test
    void secretsNeverReachTheLog() {
        StringBuilder log = new StringBuilder();
        PatternFormatter format = new PatternFormatter("%p [%c] %m%n"); // %m: the message and any stack trace
        Handler capture = new Handler() {
            @Override
            public synchronized void publish(LogRecord record) {
                log.append(format.format(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        Logger ours = Logger.getLogger("dev.cnnlab");
        Level level = ours.getLevel();
        ours.setLevel(Level.ALL);
        root.addHandler(capture);
        try {
            tokens.sync(configured);
            given().header("Authorization", "Bearer " + secret).contentType(ContentType.JSON)
                    .body(Fixtures.spec(DATASET)).post("/api/experiments").then().statusCode(201);
            given().header("Authorization", "Bearer " + secret).post("/api/runs/" + runId + "/cancel")
                    .then().statusCode(200);
            for (String header : List.of("Bearer " + WRONG, secret, "Bearer " + secret + "x")) {
                given().header("Authorization", header).post("/api/runs/" + runId + "/cancel").then().statusCode(401);
            }
        } finally {
            root.removeHandler(capture);
            ours.setLevel(level);
        }
        String text = log.toString();
        // the capture sees what the tracker logs about tokens and writes...
        assertTrue(text.contains("API tokens: 1 configured [" + TestToken.name() + "]"), text);
        assertTrue(text.contains("run " + runId + " cancelled (was QUEUED) by " + TestToken.name()), text);
        // ...and no secret, tried or configured, nor its hash
        for (String secretish : List.of(secret, WRONG, ApiTokens.sha256(secret))) {
            assertFalse(text.contains(secretish), "the log holds '" + secretish + "':\n" + text);
        }
    }

    long count(String sql) {
        return QuarkusTransaction.requiringNew().call(() ->
                ((Number) em.createNativeQuery(sql).getSingleResult()).longValue());
    }

    String text(String sql) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Object value = em.createNativeQuery(sql).getSingleResult();
            return value == null ? null : value.toString();
        });
    }
}
