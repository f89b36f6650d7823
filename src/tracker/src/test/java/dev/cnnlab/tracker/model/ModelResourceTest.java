package dev.cnnlab.tracker.model;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.cnnlab.tracker.PostgresResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class ModelResourceTest {

    static long insert(String name) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Model m = new Model();
            m.name = name;
            m.version = 1;
            m.path = "/tmp/" + name + ".cnn";
            m.sha256 = "ab".repeat(32);
            m.sizeBytes = 1234;
            m.metrics = Map.of("testAccuracy", 0.61);
            m.labels = List.of("cat", "dog");
            m.createdAt = Instant.now();
            m.persist();
            return m.id;
        });
    }

    @Test
    void listsAndPromotesOneServedModelAtATime() {
        String prefix = "m-" + UUID.randomUUID();
        long first = insert(prefix + "-a");
        long second = insert(prefix + "-b");
        given().when().get("/api/models").then().statusCode(200)
                .body("find { it.id == " + first + " }.stage", equalTo("NONE"))
                .body("find { it.id == " + first + " }.sizeBytes", equalTo(1234))
                .body("find { it.id == " + first + " }.labels[1]", equalTo("dog"))
                .body("find { it.id == " + first + " }.metrics.testAccuracy", equalTo(0.61f));

        given().when().post("/api/models/" + first + "/promote").then().statusCode(200).body("stage", equalTo("SERVED"));
        given().when().post("/api/models/" + second + "/promote").then().statusCode(200).body("stage", equalTo("SERVED"));
        given().when().get("/api/models").then()
                .body("find { it.id == " + first + " }.stage", equalTo("ARCHIVED"))
                .body("find { it.id == " + second + " }.stage", equalTo("SERVED"))
                .body("findAll { it.stage == 'SERVED' }.size()", equalTo(1));
    }

    @Test
    void promotingAnUnknownModelIs404() {
        given().when().post("/api/models/99999999/promote").then().statusCode(404)
                .body("error", equalTo("model 99999999 not found"));
    }
}
