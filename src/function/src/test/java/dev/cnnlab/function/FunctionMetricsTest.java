package dev.cnnlab.function;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.inference.Predictor;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.Socket;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.hawkular.agent.prometheus.types.Histogram;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /q/metrics}, parsed as Prometheus text: names follow the naming rules, and the
 * counters move by exactly what the test sends.
 */
@QuarkusTest
@WithTestResource(ModelTestResource.class)
public class FunctionMetricsTest {
    static final String REQUESTS = "http_server_requests_seconds";
    static final Map<String, String> PREDICT_200 = Map.of("uri", "/predict", "status", "200",
            "method", "POST");
    static final Map<String, String> INFER_200 = Map.of("uri", "/v2/models/{name}/infer",
            "status", "200");
    static final Map<String, String> INFER_400 = Map.of("uri", "/v2/models/{name}/infer",
            "status", "400");

    // the server records a request as its answer ends, so a scrape right after may precede it
    static Scrape awaitScrape(Predicate<Scrape> until) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5_000;
        Scrape s = Scrape.now();
        while (!until.test(s) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
            s = Scrape.now();
        }
        return s;
    }

    @Test
    void namesFollowPrometheusRulesAndTheModelIsDescribed() {
        Scrape s = Scrape.now();
        s.assertNamesFollowPrometheusRules();
        assertEquals(1.0, s.value("cnnlab_model_info", Map.of("name", "small-cnn-golden",
                "version", "run-golden-v1", "sha256", ModelTestResource.MODEL_SHA256)));
        assertEquals(0.0, s.value("cnnlab_inflight_requests", Map.of()));
        assertEquals(0.0, s.value("cnnlab_queued_requests", Map.of()));
    }

    @Test
    void requestAndPredictionCountersMove() throws Exception {
        byte[] png = PredictFunctionTest.image("png", 32, 32, 40);
        byte[] jpeg = PredictFunctionTest.image("jpeg", 48, 40, 41);
        Predictor local = Predictor.load(ModelTestResource.MODEL);
        String topPng = local.predict(png, 1).get(0).label();
        String topJpeg = local.predict(jpeg, 1).get(0).label();
        Scrape before = Scrape.now();

        given().contentType("image/png").body(png).post("/predict").then().statusCode(200);
        given().contentType("application/json").body("{\"inputs\": [{\"name\": \"image\","
                + " \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\""
                + Base64.getEncoder().encodeToString(jpeg) + "\"]}]}")
                .post(V2InferenceTest.INFER).then().statusCode(200);
        given().contentType("application/json").body("{\"inputs\": []}")
                .post(V2InferenceTest.INFER).then().statusCode(400);

        Scrape after = awaitScrape(s -> s.value(REQUESTS, INFER_400)
                > before.value(REQUESTS, INFER_400));
        after.assertNamesFollowPrometheusRules();
        assertEquals(1.0, after.value(REQUESTS, PREDICT_200) - before.value(REQUESTS, PREDICT_200));
        assertEquals(1.0, after.value(REQUESTS, INFER_200) - before.value(REQUESTS, INFER_200));
        assertEquals(1.0, after.value(REQUESTS, INFER_400) - before.value(REQUESTS, INFER_400));
        double predictions = topPng.equals(topJpeg) ? 2 : 1;
        assertEquals(predictions, delta(before, after, "cnnlab_predictions_total", topPng));
        assertEquals(predictions, delta(before, after, "cnnlab_predictions_total", topJpeg));

        // the latency histogram: cumulative buckets up to +Inf, which holds every request
        Histogram h = (Histogram) after.find(REQUESTS, PREDICT_200);
        assertNotNull(h);
        assertTrue(h.getBuckets().size() >= 10, h.getBuckets().toString());
        double previous = 0;
        for (Histogram.Bucket b : h.getBuckets()) {
            assertTrue(b.getCumulativeCount() >= previous, h.getBuckets().toString());
            previous = b.getCumulativeCount();
        }
        Histogram.Bucket last = h.getBuckets().get(h.getBuckets().size() - 1);
        assertEquals(Double.POSITIVE_INFINITY, last.getUpperBound());
        assertEquals((double) h.getSampleCount(), last.getCumulativeCount());
        assertTrue(h.getSampleSum() > 0);
    }

    @Test
    void shedRequestsAndInFlightAreCounted() throws Exception {
        Scrape before = Scrape.now();
        List<Socket> stalled = V2InferenceTest.holdAllSlots();
        try {
            Scrape busy = Scrape.now();
            assertEquals(ModelTestResource.MAX_CONCURRENT,
                    busy.value("cnnlab_inflight_requests", Map.of()));
            given().contentType("application/json").body("{}").post(V2InferenceTest.INFER)
                    .then().statusCode(503);
        } finally {
            V2InferenceTest.release(stalled);
        }
        Scrape after = awaitScrape(s -> s.value("cnnlab_shed_requests_total",
                Map.of("reason", "timeout")) > before.value("cnnlab_shed_requests_total",
                        Map.of("reason", "timeout")));
        assertEquals(1.0, after.value("cnnlab_shed_requests_total", Map.of("reason", "timeout"))
                - before.value("cnnlab_shed_requests_total", Map.of("reason", "timeout")));
        assertEquals(1.0, after.value(REQUESTS, Map.of("uri", "/v2/models/{name}/infer",
                "status", "503")) - before.value(REQUESTS, Map.of("uri",
                        "/v2/models/{name}/infer", "status", "503")));
    }

    private static double delta(Scrape before, Scrape after, String family, String label) {
        return after.value(family, Map.of("label", label))
                - before.value(family, Map.of("label", label));
    }
}
