package dev.cnnlab.tracker.model;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.PostgresResource;
import dev.cnnlab.tracker.TestModelStore;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Path traversal: nothing in a request names a file (models are addressed by id), the UI's static
 * files stay inside the UI, and a registered model is only read from inside the model store, even
 * when its stored path or a symbolic link points elsewhere.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ModelStoreTest {
    static final List<String> TRAVERSALS = List.of("../../../../etc/passwd", "/etc/passwd",
            "%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd", "..%2f..%2fapplication.properties", "..%5c..%5cpom.xml");

    @Test
    void requestsNameModelsByIdOnly() throws IOException {
        for (String path : TRAVERSALS) {
            given().urlEncodingEnabled(false).contentType("image/png").body(PredictResourceTest.png())
                    .queryParam("model", path).post("/api/predict")
                    .then().statusCode(400).contentType(ContentType.JSON).body("code", equalTo(400))
                    .body("error", containsString("model must be an integer"));
            for (String endpoint : List.of("/api/models/" + path + "/promote", "/api/runs/" + path,
                    "/api/experiments/" + path)) {
                var response = endpoint.endsWith("/promote") ? given().urlEncodingEnabled(false).post(endpoint)
                        : given().urlEncodingEnabled(false).get(endpoint);
                response.then().statusCode(anyOf(equalTo(400), equalTo(404)))
                        .body(not(containsString("root:")));
            }
        }
        // an id that is a number is the only thing the API accepts, and it is looked up, not opened
        given().urlEncodingEnabled(false).post("/api/models/..%2f..%2fetc%2fpasswd/promote")
                .then().statusCode(404).contentType(ContentType.JSON).body("code", equalTo(404));
    }

    @Test
    void staticFilesStayInsideTheUi() {
        for (String path : TRAVERSALS) {
            for (String prefix : List.of("/", "/js/", "/webjars/", "/js/views/")) {
                given().urlEncodingEnabled(false).get(prefix + path)
                        .then().statusCode(anyOf(equalTo(400), equalTo(404)))
                        .body(not(containsString("root:")), not(containsString("quarkus.datasource")),
                                not(containsString("<project")));
            }
        }
        given().get("/js/api.js").then().statusCode(200).body(containsString("cnnlab.token"));
    }

    @Test
    void aModelFileOutsideTheStoreIsNotRead() throws IOException {
        Path store = TestModelStore.dir();
        String name = "store-" + UUID.randomUUID();
        Path inside = TestModelStore.versionDir(name, 3).resolve("model.safetensors");
        String sha = PredictResourceTest.writeBiasNet(inside);
        // the same bytes outside the store, reached by an absolute path, a relative one and a link
        Path outside = Files.createDirectories(store.resolveSibling("outside-" + name)).resolve("model.safetensors");
        Files.copy(inside, outside);
        Path link = Files.createDirectories(store.resolve(name).resolve("v4")).resolve("model.safetensors");
        Files.createSymbolicLink(link, outside);
        assertTrue(Files.isRegularFile(link), "the link resolves");

        long good = PredictResourceTest.register(name, inside, sha);
        given().contentType("image/png").body(PredictResourceTest.png()).queryParam("model", good)
                .post("/api/predict").then().statusCode(200).body("model.sha256", equalTo(sha));

        for (Path escaping : List.of(outside, store.resolve("../outside-" + name + "/model.safetensors"),
                Path.of("../outside-" + name + "/model.safetensors"), link)) {
            long id = PredictResourceTest.register(name + "-" + UUID.randomUUID(), escaping, sha);
            given().contentType("image/png").body(PredictResourceTest.png()).queryParam("model", id)
                    .post("/api/predict").then().statusCode(404).contentType(ContentType.JSON)
                    .body("code", equalTo(404))
                    .body("error", containsString("model " + id + " cannot be served"))
                    .body("error", containsString("outside the model store"));
        }
    }
}
