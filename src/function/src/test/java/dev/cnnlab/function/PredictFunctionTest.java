package dev.cnnlab.function;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.inference.Prediction;
import dev.cnnlab.inference.Predictor;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(ModelTestResource.class)
public class PredictFunctionTest {

    static byte[] image(String format, int w, int h, int seed) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, ((x * 7 + seed) % 256) << 16 | ((y * 5 + seed * 3) % 256) << 8
                        | ((x * y + seed) % 256));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, format, out);
        return out.toByteArray();
    }

    // a valid PNG header declaring an absurd size, with no pixel data
    static byte[] pngDeclaring(int w, int h) {
        ByteBuffer ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes()).putInt(w).putInt(h)
                .put(new byte[] {8, 2, 0, 0, 0});
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        return ByteBuffer.allocate(33).put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10})
                .putInt(13).put(ihdr.array()).putInt((int) crc.getValue()).array();
    }

    static void assertMatchesLocalModel(ValidatableResponse r, String path, byte[] image, int k)
            throws IOException {
        List<Prediction> expected = Predictor.load(ModelTestResource.MODEL).predict(image, k);
        for (int i = 0; i < k; i++) {
            r.body(path + "[" + i + "].label", equalTo(expected.get(i).label()));
            float p = r.extract().jsonPath().getFloat(path + "[" + i + "].probability");
            assertEquals(expected.get(i).probability(), p, 1e-6f);
        }
    }

    @Test
    void rawPngGivesTop5FromTheModel() throws IOException {
        byte[] png = image("png", 32, 32, 1);
        ValidatableResponse r = given().contentType("image/png").body(png)
                .when().post("/predict")
                .then().statusCode(200)
                .body("predictions", hasSize(5))
                .body("model.name", equalTo("small-cnn-golden"))
                .body("model.version", equalTo("run-golden-v1"))
                .body("model.sha256", equalTo(ModelTestResource.MODEL_SHA256))
                .body("tookMs", greaterThanOrEqualTo(0f));
        assertMatchesLocalModel(r, "predictions", png, 5);
    }

    @Test
    void rawJpegOfAnySizeWithTopK() throws IOException {
        byte[] jpeg = image("jpeg", 120, 80, 2);
        ValidatableResponse r = given().contentType("image/jpeg").body(jpeg)
                .queryParam("topK", 3)
                .when().post("/predict")
                .then().statusCode(200).body("predictions", hasSize(3));
        assertMatchesLocalModel(r, "predictions", jpeg, 3);
    }

    @Test
    void base64Json() throws IOException {
        byte[] png = image("png", 40, 40, 3);
        ValidatableResponse r = given().contentType("application/json")
                .body("{\"image\":\"" + Base64.getEncoder().encodeToString(png) + "\"}")
                .queryParam("topK", 10)
                .when().post("/predict")
                .then().statusCode(200).body("predictions", hasSize(10));
        assertMatchesLocalModel(r, "predictions", png, 10);
        given().contentType("application/json")
                .body("{\"image\":\"data:image/png;base64,"
                        + Base64.getEncoder().encodeToString(png) + "\"}")
                .when().post("/predict")
                .then().statusCode(200).body("predictions", hasSize(5));
    }

    @Test
    void multipartWithSeveralImagesAnswersAList() throws IOException {
        byte[] a = image("png", 32, 32, 4);
        byte[] b = image("jpeg", 64, 48, 5);
        ValidatableResponse r = given()
                .multiPart("file", "a.png", a, "image/png")
                .multiPart("file", "b.jpg", b, "image/jpeg")
                .when().post("/predict")
                .then().statusCode(200)
                .body("$", hasSize(2))
                .body("[0].file", equalTo("a.png"))
                .body("[1].file", equalTo("b.jpg"))
                .body("[1].model.name", equalTo("small-cnn-golden"));
        assertMatchesLocalModel(r, "[0].predictions", a, 5);
        assertMatchesLocalModel(r, "[1].predictions", b, 5);
    }

    @Test
    void describesTheModel() {
        given().when().get("/model")
                .then().statusCode(200)
                .body("name", equalTo("small-cnn-golden"))
                .body("sha256", equalTo(ModelTestResource.MODEL_SHA256))
                .body("formatVersion", equalTo(1))
                .body("architecture", equalTo("test-small-cnn"))
                .body("inputShape", equalTo(List.of(3, 32, 32)))
                .body("labels", hasSize(10))
                .body("labels[3]", equalTo("cat"))
                .body("testTimeAugmentation", equalTo("none"))
                .body("normalization.mean", hasSize(3))
                .body("provenance.runId", equalTo("golden-v1"))
                .body("provenance.dataset", containsString("random"));
    }

    @Test
    void namesTheEngineChosenAtStartUp() {
        given().when().get("/model")
                .then().statusCode(200)
                .body("engine", matchesPattern("(plain|tiled|vector-(128|256|512)) kernel, [1-9][0-9]* threads"));
    }

    @Test
    void readyOnceTheModelIsLoaded() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks[0].name", equalTo("model"))
                .body("checks[0].data.sha256", equalTo(ModelTestResource.MODEL_SHA256));
    }

    @Test
    void nonImageBodyIs415() {
        given().contentType("image/png").body("definitely not a png".getBytes())
                .when().post("/predict")
                .then().statusCode(415).body("code", equalTo(415))
                .body("error", containsString("not a JPEG or PNG"));
        given().contentType("image/gif").body(new byte[] {'G', 'I', 'F', '8', '9', 'a', 1, 0})
                .when().post("/predict")
                .then().statusCode(415).body("code", equalTo(415))
                .body("error", containsString("not a JPEG or PNG"));
    }

    @Test
    void unsupportedContentTypeIs415Json() {
        given().contentType("text/plain").body("hello")
                .when().post("/predict")
                .then().statusCode(415).body("code", equalTo(415))
                .body("error", containsString("unsupported content type"));
    }

    @Test
    void brokenImageIs400() throws IOException {
        byte[] png = image("png", 32, 32, 6);
        given().contentType("image/png").body(Arrays.copyOf(png, png.length / 2))
                .when().post("/predict")
                .then().statusCode(400).body("code", equalTo(400))
                .body("error", containsString("broken png"));
    }

    @Test
    void absurdDimensionsAre413BeforeDecoding() {
        given().contentType("image/png").body(pngDeclaring(50_000, 50_000))
                .when().post("/predict")
                .then().statusCode(413).body("code", equalTo(413))
                .body("error", containsString("50000x50000"));
    }

    @Test
    void oversizeBodyIs413Json() {
        byte[] big = new byte[ModelTestResource.MAX_BODY_BYTES + 1];
        given().contentType("image/png").body(big)
                .when().post("/predict")
                .then().statusCode(413).body("code", equalTo(413))
                .body("error", containsString("exceeds the limit"));
    }

    @Test
    void oversizeChunkedBodyIs413Json() throws IOException {
        // no Content-Length: refused once the bytes read pass the limit
        RawHttp.Answer a = RawHttp.send(RestAssured.port, new RawHttp.Request("/predict",
                Map.of("Content-Type", "image/png"), new byte[ModelTestResource.MAX_BODY_BYTES + 1],
                RawHttp.Framing.CHUNKED));
        assertEquals(413, a.status());
        assertEquals(413, JsonPath.from(a.body()).getInt("code"));
        assertTrue(a.body().contains("exceeds the limit of " + ModelTestResource.MAX_BODY_BYTES),
                a.body());
    }

    @Test
    void missingContentTypeIs415Json() throws IOException {
        RawHttp.Answer a = RawHttp.send(RestAssured.port, new RawHttp.Request("/predict",
                Map.of(), image("png", 32, 32, 8), RawHttp.Framing.LENGTH));
        assertEquals(415, a.status());
        assertTrue(JsonPath.from(a.body()).getString("error").startsWith("missing Content-Type"),
                a.body());
    }

    @Test
    void malformedMultipartIs400Json() throws IOException {
        // the multipart parser fails outside the REST layer's exception mappers
        RawHttp.Answer a = RawHttp.send(RestAssured.port, new RawHttp.Request("/predict",
                Map.of("Content-Type", "multipart/form-data; boundary=xyz"),
                "--xyz\r\nbroken".getBytes(), RawHttp.Framing.LENGTH));
        assertEquals(400, a.status());
        assertTrue(JsonPath.from(a.body()).getString("error")
                .startsWith("malformed request body"), a.body());
    }

    @Test
    void tooManyFilesIs413() throws IOException {
        byte[] tiny = image("png", 1, 1, 9);
        var request = given();
        for (int i = 0; i < 33; i++) {
            request.multiPart("file", "f" + i + ".png", tiny, "image/png");
        }
        request.when().post("/predict")
                .then().statusCode(413).body("error", containsString("33 files; the limit is 32"));
        // beyond quarkus.http.limits.max-parameters the multipart parser itself gives up
        var many = given();
        for (int i = 0; i < 65; i++) {
            many.multiPart("file", "f" + i + ".png", tiny, "image/png");
        }
        many.when().post("/predict")
                .then().statusCode(413).body("error", containsString("too many parts"));
    }

    @Test
    void http2PredictsAndNeedsADeclaredLength() throws Exception {
        byte[] png = image("png", 32, 32, 10);
        Vertx vertx = Vertx.vertx();
        HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
        try {
            String ok = post(client, png, false);
            assertTrue(ok.startsWith("HTTP_2 200 {\"predictions\":"), ok);
            // without Content-Length the REST layer would read the body under Quarkus's limit,
            // whose answer is not JSON
            String refused = post(client, png, true);
            assertTrue(refused.startsWith("HTTP_2 411 {"), refused);
            assertTrue(refused.contains("must declare their Content-Length"), refused);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    // "<protocol> <status> <body>"
    private static String post(HttpClient client, byte[] body, boolean chunked) throws Exception {
        return client.request(HttpMethod.POST, RestAssured.port, "localhost", "/predict")
                .compose(r -> r.putHeader("Content-Type", "image/png").setChunked(chunked)
                        .send(Buffer.buffer(body)))
                .compose(r -> r.body().map(b -> r.version() + " " + r.statusCode() + " " + b))
                .toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void badTopKIs400NamingTheValue() throws IOException {
        byte[] png = image("png", 32, 32, 7);
        for (String k : List.of("0", "11", "abc", "-1")) {
            given().contentType("image/png").body(png).queryParam("topK", k)
                    .when().post("/predict")
                    .then().statusCode(400).body("code", equalTo(400))
                    .body("error", containsString("'" + k + "'"));
        }
    }

    @Test
    void badJsonBodiesAre400() {
        given().contentType("application/json").body("{\"image\":\"!!!not base64!!!\"}")
                .when().post("/predict")
                .then().statusCode(400).body("error", containsString("base64"));
        given().contentType("application/json").body("{\"picture\":\"x\"}")
                .when().post("/predict")
                .then().statusCode(400).body("code", equalTo(400));
        given().contentType("application/json").body("{not json")
                .when().post("/predict")
                .then().statusCode(400).body("code", equalTo(400));
    }

    @Test
    void multipartWithoutFilesIs400() {
        given().multiPart("note", "no image here")
                .when().post("/predict")
                .then().statusCode(400).body("error", containsString("no image"));
    }
}
