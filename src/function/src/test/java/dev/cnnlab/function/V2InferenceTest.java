package dev.cnnlab.function;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.inference.Predictor;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The Open Inference Protocol (KServe V2) REST endpoints against the golden model: requests
 * written as the spec's examples are and as tritonclient builds them, probabilities compared
 * with {@code POST /predict}'s, and the error answers and limits.
 */
@QuarkusTest
@WithTestResource(ModelTestResource.class)
public class V2InferenceTest {
    static final String MODEL = "small-cnn-golden";
    static final String VERSION = "run-golden-v1";
    static final String INFER = "/v2/models/" + MODEL + "/infer";

    // the image's pixels 0..255, channel-major, as the model reads them (it is 32x32 already)
    static float[] rawPixels(byte[] png) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        int plane = img.getWidth() * img.getHeight();
        float[] chw = new float[3 * plane];
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                int i = y * img.getWidth() + x;
                chw[i] = (p >> 16) & 0xff;
                chw[plane + i] = (p >> 8) & 0xff;
                chw[2 * plane + i] = p & 0xff;
            }
        }
        return chw;
    }

    static String numbers(float[] values) {
        return IntStream.range(0, values.length).mapToObj(i -> Float.toString(values[i]))
                .collect(Collectors.joining(", "));
    }

    static String base64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    // POST /predict's probability of every label, in the model's label order
    static float[] predictProbabilities(byte[] image) {
        List<String> labels = given().get("/model").then().statusCode(200).extract()
                .jsonPath().getList("labels", String.class);
        JsonPath answer = given().contentType("image/png").body(image)
                .queryParam("topK", labels.size()).post("/predict")
                .then().statusCode(200).extract().jsonPath();
        float[] probs = new float[labels.size()];
        for (int i = 0; i < labels.size(); i++) {
            probs[labels.indexOf(answer.getString("predictions[" + i + "].label"))] =
                    answer.getFloat("predictions[" + i + "].probability");
        }
        return probs;
    }

    static float[] floats(JsonPath json, String path) {
        List<Float> list = json.getList(path, Float.class);
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }

    static JsonPath infer(String body) {
        return given().contentType("application/json").body(body).post(INFER)
                .then().statusCode(200).extract().jsonPath();
    }

    // a 400 (or other status) whose body is {"error": "..."} alone, as the spec says
    static String error(int status, String path, String body) {
        JsonPath json = given().contentType("application/json").body(body).post(path)
                .then().statusCode(status).body("$", not(hasKey("code"))).extract().jsonPath();
        assertEquals(1, json.getMap("$").size(), json.prettify());
        return json.getString("error");
    }

    @Test
    void serverMetadataAndHealth() {
        given().get("/v2").then().statusCode(200)
                .body("name", equalTo("cnnlab-function"))
                .body("version", not(equalTo("")))
                .body("extensions", equalTo(List.of()));
        given().get("/v2/health/live").then().statusCode(200).body("live", equalTo(true));
        given().get("/v2/health/ready").then().statusCode(200).body("ready", equalTo(true));
    }

    @Test
    void modelMetadataWithAndWithoutVersion() {
        for (String path : List.of("/v2/models/" + MODEL,
                "/v2/models/" + MODEL + "/versions/" + VERSION)) {
            given().get(path).then().statusCode(200)
                    .body("name", equalTo(MODEL))
                    .body("versions", equalTo(List.of(VERSION)))
                    .body("platform", equalTo("cnnlab_safetensors"))
                    .body("inputs[0].name", equalTo("input"))
                    .body("inputs[0].datatype", equalTo("FP32"))
                    .body("inputs[0].shape", equalTo(List.of(-1, 3, 32, 32)))
                    .body("inputs[1].name", equalTo("image"))
                    .body("inputs[1].datatype", equalTo("BYTES"))
                    .body("inputs[1].shape", equalTo(List.of(-1)))
                    .body("outputs[0].name", equalTo("probabilities"))
                    .body("outputs[0].datatype", equalTo("FP32"))
                    .body("outputs[0].shape", equalTo(List.of(-1, 10)))
                    .body("outputs[1].name", equalTo("labels"))
                    .body("outputs[1].datatype", equalTo("BYTES"));
            given().get(path + "/ready").then().statusCode(200)
                    .body("name", equalTo(MODEL)).body("ready", equalTo(true));
        }
    }

    @Test
    void unknownModelOrVersionIs400NamingIt() {
        for (String path : List.of("/v2/models/mymodel", "/v2/models/mymodel/ready")) {
            given().get(path).then().statusCode(400).body("$", not(hasKey("code")))
                    .body("error", containsString("unknown model 'mymodel'"))
                    .body("error", containsString(MODEL));
        }
        given().get("/v2/models/" + MODEL + "/versions/v10").then().statusCode(400)
                .body("error", containsString("unknown version 'v10'"))
                .body("error", containsString(VERSION));
    }

    /** The spec's example request, verbatim: its model and its inputs are not this server's. */
    @Test
    void theSpecsExampleRequestIsRefusedNamingWhatIsWrong() {
        String example = """
                {
                  "id" : "42",
                  "inputs" : [
                    {
                      "name" : "input0",
                      "shape" : [ 2, 2 ],
                      "datatype" : "UINT32",
                      "data" : [ 1, 2, 3, 4 ]
                    },
                    {
                      "name" : "input1",
                      "shape" : [ 3 ],
                      "datatype" : "BOOL",
                      "data" : [ true ]
                    }
                  ],
                  "outputs" : [
                    {
                      "name" : "output0"
                    }
                  ]
                }""";
        assertTrue(error(400, "/v2/models/mymodel/infer", example)
                .contains("unknown model 'mymodel'"));
        assertTrue(error(400, INFER, example).contains("exactly one input"));
        String oneInput = example.replaceFirst("(?s),\\s*\\{\\s*\"name\" : \"input1\".*?}", "");
        String e = error(400, INFER, oneInput);
        assertTrue(e.contains("unknown input 'input0'") && e.contains("'input'")
                && e.contains("'image'"), e);
        e = error(400, INFER, oneInput.replace("input0", "input"));
        assertTrue(e.contains("datatype FP32, got 'UINT32'"), e);
        e = error(400, INFER, oneInput.replace("input0", "input").replace("UINT32", "FP32"));
        assertTrue(e.contains("shape [N, 3, 32, 32]") && e.contains("[2, 2]"), e);
    }

    /** The spec's example written for this model: its probabilities are POST /predict's. */
    @Test
    void theSpecsExampleForThisModelAnswersAsPredictDoes() throws IOException {
        byte[] png = PredictFunctionTest.image("png", 32, 32, 21);
        float[] input = Predictor.load(ModelTestResource.MODEL).preprocessor().preprocess(png);
        String request = """
                {
                  "id" : "42",
                  "inputs" : [
                    {
                      "name" : "input",
                      "shape" : [ 1, 3, 32, 32 ],
                      "datatype" : "FP32",
                      "data" : [ %s ]
                    }
                  ],
                  "outputs" : [
                    {
                      "name" : "probabilities"
                    }
                  ]
                }""".formatted(numbers(input));
        JsonPath answer = infer(request);
        assertEquals("42", answer.getString("id"));
        assertEquals(MODEL, answer.getString("model_name"));
        assertEquals(VERSION, answer.getString("model_version"));
        assertEquals(1, answer.getList("outputs").size());
        assertEquals("probabilities", answer.getString("outputs[0].name"));
        assertEquals("FP32", answer.getString("outputs[0].datatype"));
        assertEquals(List.of(1, 10), answer.getList("outputs[0].shape"));
        float[] expected = predictProbabilities(png);
        assertEquals(java.util.Arrays.toString(expected),
                java.util.Arrays.toString(floats(answer, "outputs[0].data")));
    }

    /** The natural (nested) layout of the same tensor, a batch of two, no id. */
    @Test
    void nestedDataAndABatchOfTwo() throws IOException {
        byte[] a = PredictFunctionTest.image("png", 32, 32, 22);
        byte[] b = PredictFunctionTest.image("png", 32, 32, 23);
        Predictor local = Predictor.load(ModelTestResource.MODEL);
        StringBuilder data = new StringBuilder();
        for (byte[] img : List.of(a, b)) {
            float[] x = local.preprocessor().preprocess(img);
            data.append(data.length() == 0 ? "[" : ", [");
            for (int c = 0; c < 3; c++) {
                data.append(c == 0 ? "[" : ", [");
                for (int y = 0; y < 32; y++) {
                    float[] row = java.util.Arrays.copyOfRange(x, (c * 32 + y) * 32,
                            (c * 32 + y + 1) * 32);
                    data.append(y == 0 ? "[" : ", [").append(numbers(row)).append("]");
                }
                data.append("]");
            }
            data.append("]");
        }
        JsonPath answer = infer("{\"inputs\": [{\"name\": \"input\", \"shape\": [2, 3, 32, 32],"
                + " \"datatype\": \"FP32\", \"data\": [" + data + "]}]}");
        assertEquals(null, answer.getString("id"));
        assertEquals(List.of(2, 10), answer.getList("outputs[0].shape"));
        float[] probs = floats(answer, "outputs[0].data");
        assertEquals(java.util.Arrays.toString(predictProbabilities(a)),
                java.util.Arrays.toString(java.util.Arrays.copyOfRange(probs, 0, 10)));
        assertEquals(java.util.Arrays.toString(predictProbabilities(b)),
                java.util.Arrays.toString(java.util.Arrays.copyOfRange(probs, 10, 20)));
    }

    /** Raw 0..255 pixels, normalized by the server with the input parameter "normalize". */
    @Test
    void rawPixelsNormalizedByTheServer() throws IOException {
        byte[] png = PredictFunctionTest.image("png", 32, 32, 24);
        JsonPath answer = infer("{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3, 32, 32],"
                + " \"datatype\": \"FP32\", \"parameters\": {\"normalize\": true},"
                + " \"data\": [" + numbers(rawPixels(png)) + "]}]}");
        assertEquals(java.util.Arrays.toString(predictProbabilities(png)),
                java.util.Arrays.toString(floats(answer, "outputs[0].data")));
        // without it the same values are taken as normalized already: another answer
        JsonPath raw = infer("{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3, 32, 32],"
                + " \"datatype\": \"FP32\", \"data\": [" + numbers(rawPixels(png)) + "]}]}");
        assertTrue(!java.util.Arrays.equals(floats(answer, "outputs[0].data"),
                floats(raw, "outputs[0].data")));
    }

    /** Encoded images as BYTES, with the labels output asked for by the request parameter. */
    @Test
    void encodedImagesWithLabels() throws IOException {
        byte[] png = PredictFunctionTest.image("png", 40, 40, 25);
        byte[] jpeg = PredictFunctionTest.image("jpeg", 64, 48, 26);
        JsonPath answer = infer("{\"id\": \"b\", \"parameters\": {\"labels\": true},"
                + " \"inputs\": [{\"name\": \"image\", \"shape\": [2], \"datatype\": \"BYTES\","
                + " \"data\": [\"" + base64(png) + "\", \"data:image/jpeg;base64,"
                + base64(jpeg) + "\"]}]}");
        assertEquals(List.of("probabilities", "labels"), answer.getList("outputs.name"));
        assertEquals(List.of(2), answer.getList("outputs[1].shape"));
        assertEquals("BYTES", answer.getString("outputs[1].datatype"));
        float[] probs = floats(answer, "outputs[0].data");
        int i = 0;
        for (byte[] img : List.of(png, jpeg)) {
            String top = given().contentType("image/png").body(img).queryParam("topK", 1)
                    .post("/predict").then().statusCode(200).extract()
                    .path("predictions[0].label");
            assertEquals(top, answer.getString("outputs[1].data[" + i + "]"));
            assertEquals(java.util.Arrays.toString(predictProbabilities(img)),
                    java.util.Arrays.toString(java.util.Arrays.copyOfRange(probs, 10 * i,
                            10 * i + 10)));
            i++;
        }
        // or by naming the output: then only that one
        JsonPath labelsOnly = infer("{\"inputs\": [{\"name\": \"image\", \"shape\": [1, 1],"
                + " \"datatype\": \"BYTES\", \"data\": [[\"" + base64(png) + "\"]]}],"
                + " \"outputs\": [{\"name\": \"labels\"}]}");
        assertEquals(List.of("labels"), labelsOnly.getList("outputs.name"));
        assertEquals(answer.getString("outputs[1].data[0]"),
                labelsOnly.getString("outputs[0].data[0]"));
    }

    /**
     * The body tritonclient's HTTP client sends for {@code InferInput("input", [1, 3, 32, 32],
     * "FP32").set_data_from_numpy(x, binary_data=False)} and {@code InferRequestedOutput(
     * "probabilities", binary_data=False)} with {@code request_id="1"}: json.dumps of its dict,
     * to the versioned path it uses when {@code model_version} is given, without Content-Type.
     */
    @Test
    void aRequestAsTritonclientBuildsIt() throws IOException {
        byte[] png = PredictFunctionTest.image("png", 32, 32, 27);
        float[] x = Predictor.load(ModelTestResource.MODEL).preprocessor().preprocess(png);
        String body = "{\"id\": \"1\", \"inputs\": [{\"name\": \"input\", \"shape\": [1, 3, 32,"
                + " 32], \"datatype\": \"FP32\", \"parameters\": {}, \"data\": [" + numbers(x)
                + "]}], \"outputs\": [{\"name\": \"probabilities\", \"parameters\":"
                + " {\"binary_data\": false}}]}";
        // it sends no Content-Type (geventhttpclient adds none)
        RawHttp.Answer a = RawHttp.send(RestAssured.port, new RawHttp.Request(
                "/v2/models/" + MODEL + "/versions/" + VERSION + "/infer", Map.of(),
                body.getBytes(StandardCharsets.UTF_8), RawHttp.Framing.LENGTH));
        assertEquals(200, a.status(), a.body());
        JsonPath answer = JsonPath.from(a.body());
        assertEquals("1", answer.getString("id"));
        assertEquals(java.util.Arrays.toString(predictProbabilities(png)),
                java.util.Arrays.toString(floats(answer, "outputs[0].data")));
    }

    // a body of the binary tensor data extension as tritonclient sends it: the JSON header, its
    // length in Inference-Header-Content-Length, the tensor's bytes; no Content-Type
    static RawHttp.Answer binaryInfer(String json, byte[] binary) throws IOException {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        byte[] body = java.util.Arrays.copyOf(header, header.length + binary.length);
        System.arraycopy(binary, 0, body, header.length, binary.length);
        return RawHttp.send(RestAssured.port, new RawHttp.Request(INFER,
                Map.of("Inference-Header-Content-Length", Integer.toString(header.length)), body,
                RawHttp.Framing.LENGTH));
    }

    static String binaryError(String json, byte[] binary) throws IOException {
        RawHttp.Answer a = binaryInfer(json, binary);
        assertEquals(400, a.status(), a.body());
        Map<String, Object> error = JsonPath.from(a.body()).getMap("$");
        assertEquals(List.of("error"), List.copyOf(error.keySet()), a.body());
        return (String) error.get("error");
    }

    /**
     * tritonclient's defaults ({@code binary_data=True}): {@code set_data_from_numpy} sends the
     * FP32 tensor as little-endian bytes, a BYTES tensor as elements each behind its 4-byte
     * little-endian length; {@code binary_data} on outputs is ignored (the answer is JSON, which
     * its InferResult reads too).
     */
    @Test
    void binaryTensorDataAsTritonclientSendsIt() throws IOException {
        byte[] png = PredictFunctionTest.image("png", 32, 32, 31);
        float[] x = Predictor.load(ModelTestResource.MODEL).preprocessor().preprocess(png);
        java.nio.ByteBuffer fp32 = java.nio.ByteBuffer.allocate(4 * x.length)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        fp32.asFloatBuffer().put(x);
        String tensor = "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3, 32, 32],"
                + " \"datatype\": \"FP32\", \"parameters\": {\"binary_data_size\": 12288}}],"
                + " \"outputs\": [{\"name\": \"probabilities\", \"parameters\":"
                + " {\"binary_data\": true}}]}";
        RawHttp.Answer a = binaryInfer(tensor, fp32.array());
        assertEquals(200, a.status(), a.body());
        assertEquals(java.util.Arrays.toString(predictProbabilities(png)),
                java.util.Arrays.toString(floats(JsonPath.from(a.body()), "outputs[0].data")));

        byte[] jpeg = PredictFunctionTest.image("jpeg", 50, 40, 32);
        byte[] elements = java.nio.ByteBuffer.allocate(8 + png.length + jpeg.length)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(png.length).put(png)
                .putInt(jpeg.length).put(jpeg).array();
        String images = "{\"inputs\": [{\"name\": \"image\", \"shape\": [2], \"datatype\":"
                + " \"BYTES\", \"parameters\": {\"binary_data_size\": " + elements.length + "}}]}";
        a = binaryInfer(images, elements);
        assertEquals(200, a.status(), a.body());
        float[] probs = floats(JsonPath.from(a.body()), "outputs[0].data");
        assertEquals(java.util.Arrays.toString(predictProbabilities(png)),
                java.util.Arrays.toString(java.util.Arrays.copyOfRange(probs, 0, 10)));
        assertEquals(java.util.Arrays.toString(predictProbabilities(jpeg)),
                java.util.Arrays.toString(java.util.Arrays.copyOfRange(probs, 10, 20)));

        // what does not add up is refused, naming the numbers
        String e = binaryError(tensor.replace("12288", "100"), fp32.array());
        assertTrue(e.contains("binary_data_size 100 but 12288 bytes follow"), e);
        byte[] lying = elements.clone();
        lying[3] = 0x7f;   // element 0 claims 2 GB
        e = binaryError(images, lying);
        assertTrue(e.contains("binary element 0 declares"), e);
        e = binaryError(tensor.replace(", \"parameters\": {\"binary_data_size\": 12288}", ""),
                fp32.array());
        assertTrue(e.contains("12288 bytes follow the JSON header, but input 'input' declares no"
                + " binary_data_size"), e);
        RawHttp.Answer bad = RawHttp.send(RestAssured.port, new RawHttp.Request(INFER,
                Map.of("Inference-Header-Content-Length", "999"), "{}".getBytes(),
                RawHttp.Framing.LENGTH));
        assertEquals(400, bad.status());
        assertTrue(bad.body().contains("Inference-Header-Content-Length must be from 0 to the"
                + " body's 2 bytes, got '999'"), bad.body());
    }

    @Test
    void badRequestsNameTheBadValue() throws IOException {
        String png = base64(PredictFunctionTest.image("png", 32, 32, 28));
        String e = error(400, INFER, "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3, 31,"
                + " 32], \"datatype\": \"FP32\", \"data\": [1, 2]}]}");
        assertTrue(e.contains("[1, 3, 31, 32]"), e);
        e = error(400, INFER, "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3, 32, 32],"
                + " \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}");
        assertTrue(e.contains("needs 3072 numbers, got 3"), e);
        // a batch size whose element count wraps around a long to 3072
        float[] x = new float[3072];
        e = error(400, INFER, "{\"inputs\": [{\"name\": \"input\", \"shape\": [18014398509481985,"
                + " 3, 32, 32], \"datatype\": \"FP32\", \"data\": [" + numbers(x) + "]}]}");
        assertTrue(e.contains("[18014398509481985, 3, 32, 32]"), e);
        // beyond FP32's range
        x[3071] = 1;
        e = error(400, INFER, "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3, 32, 32],"
                + " \"datatype\": \"FP32\", \"data\": [" + numbers(x).replaceFirst("1\\.0$", "1e39")
                + "]}]}");
        assertTrue(e.contains("value 3071 is not a finite FP32 number"), e);
        e = error(400, INFER, "{\"inputs\": [{\"name\": \"image\", \"shape\": [1],"
                + " \"datatype\": \"FP32\", \"data\": [\"" + png + "\"]}]}");
        assertTrue(e.contains("input 'image' must have datatype BYTES, got 'FP32'"), e);
        e = error(400, INFER, "{\"inputs\": [{\"name\": \"image\", \"shape\": [2],"
                + " \"datatype\": \"BYTES\", \"data\": [\"" + png + "\"]}]}");
        assertTrue(e.contains("needs 2 base64 strings, got 1"), e);
        e = error(400, INFER, "{\"inputs\": [{\"name\": \"image\", \"shape\": [1],"
                + " \"datatype\": \"BYTES\", \"data\": [\"" + png + "\"]}],"
                + " \"outputs\": [{\"name\": \"output0\"}]}");
        assertTrue(e.contains("unknown output 'output0'"), e);
        e = error(400, INFER, "{\"inputs\": [{\"name\": \"image\", \"shape\": [1],"
                + " \"datatype\": \"BYTES\", \"data\": [\"!!not base64!!\"]}]}");
        assertTrue(e.contains("input 'image' element 0: not valid base64"), e);
        e = error(400, INFER, "{\"parameters\": {\"labels\": \"yes\"}, \"inputs\": [{\"name\":"
                + " \"image\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"" + png
                + "\"]}]}");
        assertTrue(e.contains("parameter 'labels' must be true or false, got yes"), e);
        e = error(400, INFER, "{\"inputs\": [{\"name\": \"image\", \"shape\": [1],"
                + " \"datatype\": \"BYTES\", \"data\": \"" + png + "\"}]}");
        assertTrue(e.contains("\"data\" must be a JSON array"), e);
        assertTrue(error(400, INFER, "{not json").startsWith("malformed inference request"));
        assertTrue(error(400, INFER, "{\"inputs\": []}").contains("exactly one input"));
        // an image the decoder refuses: the status of POST /predict, the element named
        e = error(415, INFER, "{\"inputs\": [{\"name\": \"image\", \"shape\": [1],"
                + " \"datatype\": \"BYTES\", \"data\": [\"" + base64("not an image".getBytes())
                + "\"]}]}");
        assertTrue(e.startsWith("input 'image' element 0: ") && e.contains("not a JPEG or PNG"),
                e);
    }

    @Test
    void theLimitsOfPredictApply() throws IOException {
        String e = error(413, INFER, "{\"inputs\": [{\"name\": \"image\", \"shape\": [1],"
                + " \"datatype\": \"BYTES\", \"data\": [\""
                + base64(PredictFunctionTest.pngDeclaring(50_000, 50_000)) + "\"]}]}");
        assertTrue(e.contains("50000x50000"), e);
        String tiny = "\"" + base64(PredictFunctionTest.image("png", 1, 1, 29)) + "\"";
        String many = IntStream.range(0, 33).mapToObj(i -> tiny).collect(Collectors.joining(","));
        e = error(413, INFER, "{\"inputs\": [{\"name\": \"image\", \"shape\": [33],"
                + " \"datatype\": \"BYTES\", \"data\": [" + many + "]}]}");
        assertTrue(e.contains("33 images; the limit is 32"), e);
        // BodyLimit answers before the REST layer, in the V2 error shape too
        String big = "{\"inputs\": [], \"pad\": \"" + "x".repeat(ModelTestResource.MAX_BODY_BYTES)
                + "\"}";
        assertTrue(error(413, INFER, big).contains("exceeds the limit"));
    }

    /**
     * With both prediction slots held by requests whose bodies have not come (each has been
     * told {@code 100 Continue}, so each holds its slot), an infer request waits its 500 ms and
     * gets the load shedder's 503, in the V2 error shape.
     */
    @Test
    void loadSheddingAppliesToInfer() throws Exception {
        List<Socket> stalled = holdAllSlots();
        try {
            var r = given().contentType("application/json").body("{}").post(INFER)
                    .then().statusCode(503).header("Retry-After", "1")
                    .body("$", not(hasKey("code")))
                    .body("error", startsWith("overloaded: ")).extract();
            assertEquals(1, r.jsonPath().getMap("$").size());
        } finally {
            release(stalled);
        }
    }

    /**
     * Takes every prediction slot with a POST whose body never comes: each has been told
     * {@code 100 Continue}, so each holds its slot until it hangs up (see {@link #release}).
     */
    static List<Socket> holdAllSlots() throws IOException {
        List<Socket> stalled = new java.util.ArrayList<>();
        for (int i = 0; i < ModelTestResource.MAX_CONCURRENT; i++) {
            Socket s = new Socket("localhost", RestAssured.port);
            stalled.add(s);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("POST " + INFER + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100\r\n"
                    + "Expect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String line = readLine(s.getInputStream());
            assertTrue(line.startsWith("HTTP/1.1 100"), line);
        }
        return stalled;
    }

    /** Hangs up the stalled clients and waits until a prediction is served again. */
    static void release(List<Socket> stalled) throws IOException {
        for (Socket s : stalled) {
            s.close();
        }
        String ok = "{\"inputs\": [{\"name\": \"image\", \"shape\": [1], \"datatype\": \"BYTES\","
                + " \"data\": [\"" + base64(PredictFunctionTest.image("png", 32, 32, 30)) + "\"]}]}";
        long deadline = System.currentTimeMillis() + 10_000;
        int status;
        do {
            status = given().contentType("application/json").body(ok).post(INFER).statusCode();
        } while (status == 503 && System.currentTimeMillis() < deadline);
        assertEquals(200, status);
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            sb.append((char) c);
        }
        return sb.toString().trim();
    }
}
