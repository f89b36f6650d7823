package dev.cnnlab.tracker.model;

import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.cnnlab.inference.format.GraphNode;
import dev.cnnlab.inference.format.ModelFile;
import dev.cnnlab.inference.format.ModelMetadata;
import dev.cnnlab.inference.format.Tensor;
import dev.cnnlab.tracker.Fixtures;
import dev.cnnlab.tracker.PostgresResource;
import dev.cnnlab.tracker.TestModelStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class PredictResourceTest {
    /** softmax([2, 0]): the network ignores the image, so the answer is known exactly. */
    static final double CAT = Math.exp(2) / (Math.exp(2) + 1);

    static RequestSpecification given() {
        return Fixtures.givenDoubles();
    }

    long modelId;
    String sha256;

    /** A real model file in the model store: global average pool, dense (zero weights, bias [2, 0]), softmax. */
    @BeforeEach
    void writeModel() throws IOException {
        String name = "bias-net-" + UUID.randomUUID();
        Path file = TestModelStore.versionDir(name, 3).resolve("model.safetensors");
        String sha = writeBiasNet(file);
        sha256 = sha;
        modelId = register(name, file, sha);
    }

    static String writeBiasNet(Path file) throws IOException {
        List<GraphNode> graph = List.of(new GraphNode("gap", "globalavgpool", List.of("input"), Map.of()),
                new GraphNode("fc", "dense", List.of("gap"), Map.of()),
                new GraphNode("out", "softmax", List.of("fc"), Map.of()));
        ModelMetadata metadata = new ModelMetadata("bias-net", "test", new int[] {3, 32, 32},
                new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f}, List.of("cat", "dog"), graph,
                Map.of("runId", "test"));
        return ModelFile.write(file, metadata, List.of(new Tensor("fc.weight", new int[] {3, 2}, new float[6]),
                new Tensor("fc.bias", new int[] {2}, new float[] {2, 0})));
    }

    /** Registers a model row whose path is exactly {@code path}, as given. */
    static long register(String name, Path path, String sha) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Model m = new Model();
            m.name = name;
            m.version = 3;
            m.path = path.toString();
            m.sha256 = sha;
            m.sizeBytes = 1;
            m.createdAt = Instant.now();
            m.persist();
            return m.id;
        });
    }

    static byte[] png() throws IOException {
        BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 4, 0xff0000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    @Test
    void predictsWithTheServedModel() throws IOException {
        given().when().post("/api/models/" + modelId + "/promote").then().statusCode(200);
        given().contentType("image/png").body(png()).queryParam("topK", 2)
                .when().post("/api/predict")
                .then().statusCode(200)
                .body("predictions.label", contains("cat", "dog"))
                .body("predictions[0].probability", closeTo(CAT, 1e-6))
                .body("predictions[1].probability", closeTo(1 - CAT, 1e-6))
                .body("model.version", equalTo(3))
                .body("model.sha256", equalTo(sha256))
                .body("tookMs", closeTo(0, 10_000));
    }

    @Test
    void topKAndModelAreHonoured() throws IOException {
        given().contentType("image/png").body(png()).queryParam("topK", 1).queryParam("model", modelId)
                .when().post("/api/predict")
                .then().statusCode(200).body("predictions", hasSize(1)).body("predictions[0].label", equalTo("cat"));
    }

    @Test
    void badRequestsNameTheProblem() throws IOException {
        given().contentType("image/png").body(png()).queryParam("topK", 3).queryParam("model", modelId)
                .when().post("/api/predict")
                .then().statusCode(400).body("error", containsString("topK"));
        given().contentType("image/png").body(new byte[0]).queryParam("model", modelId)
                .when().post("/api/predict")
                .then().statusCode(400).body("code", equalTo(400)).body("error", containsString("image"));
        given().contentType("image/png").body("not an image".getBytes()).queryParam("model", modelId)
                .when().post("/api/predict")
                .then().statusCode(anyOf(equalTo(400), equalTo(415))).body("error", containsString("image"));
        given().contentType("image/png").body(png()).queryParam("model", 99999999)
                .when().post("/api/predict")
                .then().statusCode(404).body("error", equalTo("model 99999999 not found"));
    }
}
