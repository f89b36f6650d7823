package dev.cnnlab.tracker.model;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.cnnlab.inference.format.GraphNode;
import dev.cnnlab.inference.format.ModelFile;
import dev.cnnlab.inference.format.ModelMetadata;
import dev.cnnlab.inference.format.Tensor;
import dev.cnnlab.tracker.PostgresResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** A stored model whose file changed after it was registered is refused by its sha256, not served. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class CorruptModelTest {
    @ConfigProperty(name = "cnnlab.model-dir")
    Path modelDir;

    @Test
    void aModelFileWithOneFlippedByteIsRefusedNamingTheSha256() throws IOException {
        String name = "corrupt-" + UUID.randomUUID();
        Path file = Files.createDirectories(modelDir.resolve(name).resolve("v1")).resolve("model.safetensors");
        List<GraphNode> graph = List.of(new GraphNode("gap", "globalavgpool", List.of("input"), Map.of()),
                new GraphNode("fc", "dense", List.of("gap"), Map.of()),
                new GraphNode("out", "softmax", List.of("fc"), Map.of()));
        ModelMetadata metadata = new ModelMetadata(name, "test", new int[] {3, 32, 32}, new float[] {0.5f, 0.5f, 0.5f},
                new float[] {0.25f, 0.25f, 0.25f}, List.of("cat", "dog"), graph, Map.of());
        String sha = ModelFile.write(file, metadata, List.of(new Tensor("fc.weight", new int[] {3, 2}, new float[6]),
                new Tensor("fc.bias", new int[] {2}, new float[] {2, 0})));
        long id = QuarkusTransaction.requiringNew().call(() -> {
            Model m = new Model();
            m.name = name;
            m.version = 1;
            m.path = file.toAbsolutePath().toString();
            m.sha256 = sha;
            m.sizeBytes = Files.size(file);
            m.createdAt = Instant.now();
            m.persist();
            return m.id;
        });

        // one bit of the last weight flips on disk: the file still parses, so only the digest can tell
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 0x01;
        Files.write(file, bytes);
        given().contentType("image/png").body(png()).queryParam("model", id)
                .when().post("/api/predict")
                .then().statusCode(500)
                .body("error", allOf(containsString("sha256 mismatch"), containsString(sha), containsString(file.toRealPath().toString())));

        // the same file with the bit restored is served
        bytes[bytes.length - 1] ^= 0x01;
        Files.write(file, bytes);
        given().contentType("image/png").body(png()).queryParam("model", id)
                .when().post("/api/predict")
                .then().statusCode(200).body("model.sha256", equalTo(sha)).body("predictions[0].label", equalTo("cat"));
    }

    static byte[] png() throws IOException {
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
