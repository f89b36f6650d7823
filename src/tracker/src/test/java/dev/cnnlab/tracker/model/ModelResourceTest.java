package dev.cnnlab.tracker.model;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cnnlab.inference.format.ModelArchive;
import dev.cnnlab.inference.format.ModelFile;
import dev.cnnlab.inference.format.TestTimeAugmentation;
import dev.cnnlab.onnx.OnnxConvert;
import dev.cnnlab.tracker.PostgresResource;
import io.restassured.http.ContentType;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
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
    void importsAModelFileWithTheAccuracyItCarriesAndRefusesBadOnesStoringNothing() throws Exception {
        Path source = Path.of("../../models/default/model.safetensors");
        ModelArchive archive = ModelFile.read(source);
        byte[] bytes = Files.readAllBytes(source);
        String name = "imported-" + UUID.randomUUID();
        Number id = given().contentType("application/octet-stream").body(bytes).queryParam("name", name)
                .post("/api/models").then().statusCode(201)
                .body("name", equalTo(name)).body("version", equalTo(1)).body("runId", nullValue())
                .body("sha256", equalTo(archive.sha256())).body("sizeBytes", equalTo(bytes.length))
                .body("labels[0]", equalTo("airplane")).body("createdBy", equalTo("test"))
                .body("metrics.architecture", equalTo(archive.metadata().architecture()))
                .extract().path("id");
        Model stored = QuarkusTransaction.requiringNew().call(() -> Model.findById(id.longValue()));
        assertArrayEquals(bytes, Files.readAllBytes(Path.of(stored.path)));
        // a second import of the same name is its next version, and the stored file serves predictions
        given().contentType("application/octet-stream").body(bytes).queryParam("name", name)
                .post("/api/models").then().statusCode(201).body("version", equalTo(2));
        given().contentType("image/png").body(PredictResourceTest.png()).queryParam("model", id)
                .post("/api/predict").then().statusCode(200).body("model.name", equalTo(name))
                .body("predictions.size()", equalTo(5));

        long before = QuarkusTransaction.requiringNew().call(() -> Model.count());
        given().contentType("application/octet-stream").body("not a model".getBytes()).post("/api/models")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error", containsString("not a usable cnnlab model file"));
        given().contentType("application/octet-stream").body(Arrays.copyOf(bytes, bytes.length / 2))
                .post("/api/models").then().statusCode(400).body("error", containsString("truncated"));
        given().contentType(ContentType.JSON).body("{}").post("/api/models")
                .then().statusCode(400).body("error", containsString("not a usable cnnlab model file"));
        given().contentType("application/octet-stream").body(new byte[0]).post("/api/models")
                .then().statusCode(400).body("error", containsString("got no bytes"));
        for (String bad : ModelStoreTest.TRAVERSALS) {
            given().urlEncodingEnabled(false).contentType("application/octet-stream").body(bytes)
                    .queryParam("name", bad).post("/api/models").then().statusCode(400)
                    .body("error", containsString("must be 1-100 letters"));
        }
        assertEquals(before, QuarkusTransaction.requiringNew().call(() -> Model.count()));
    }

    @Test
    void listsTheTestTimeAugmentationAFileAsksFor() throws Exception {
        ModelArchive archive = ModelFile.read(Path.of("../../models/default/model.safetensors"));
        for (TestTimeAugmentation t : TestTimeAugmentation.values()) {
            byte[] bytes = ModelFile.toBytes(archive.metadata().with(archive.metadata().provenance(), t),
                    archive.tensors().values());
            given().contentType("application/octet-stream").body(bytes).queryParam("name", "tta-" + UUID.randomUUID())
                    .post("/api/models").then().statusCode(201)
                    .body("metrics.testTimeAugmentation", equalTo(t == TestTimeAugmentation.NONE ? null : t.json()));
        }
    }

    @Test
    void registersAModelImportedFromOnnxWithItsOrigin() throws Exception {
        Path dir = Files.createTempDirectory("cnnlab-onnx-import");
        Path onnx = dir.resolve("default.onnx");
        Path imported = dir.resolve("model.safetensors");
        OnnxConvert.run(new String[] {"--to-onnx", onnx.toString(), "../../models/default/model.safetensors"});
        OnnxConvert.run(new String[] {"--from-onnx", onnx.toString(), "--name", "from-onnx", imported.toString()});
        String name = "onnx-" + UUID.randomUUID();
        Number id = given().contentType("application/octet-stream").body(Files.readAllBytes(imported))
                .queryParam("name", name).post("/api/models").then().statusCode(201)
                .body("metrics.source", equalTo("onnx"))
                .body("metrics.onnxFile", equalTo("default.onnx"))
                .body("metrics.onnxSha256", equalTo(ModelFile.sha256(Files.readAllBytes(onnx))))
                .body("metrics.onnxOpset", equalTo("17"))
                .extract().path("id");
        given().contentType("image/png").body(PredictResourceTest.png()).queryParam("model", id)
                .post("/api/predict").then().statusCode(200).body("model.name", equalTo(name));
    }

    @Test
    void metricsComeFromTheFilesProvenanceUnderTheTrackersNames() {
        Map<String, Object> metrics = ModelResource.metrics(Map.of("accuracy", "0.8031", "heldOutImages", "5000",
                "dataset", "cifar10/train", "epochs", "thirty", "accuracyWithoutFlip", "0.7925"));
        assertEquals(0.8031, metrics.get("testAccuracy"));
        assertEquals(0.7925, metrics.get("testAccuracyWithoutFlip"));
        assertEquals(5000.0, metrics.get("testImages"));
        assertEquals("cifar10/train", metrics.get("dataset"));
        assertEquals("thirty", metrics.get("epochs"));
        assertEquals(5, metrics.size());
    }

    @Test
    void promotingAnUnknownModelIs404() {
        given().when().post("/api/models/99999999/promote").then().statusCode(404)
                .body("error", equalTo("model 99999999 not found"));
    }
}
