package dev.cnnlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Converts real peer outputs (peer-run-sh.json: run.sh on a busy machine; peer-resnet20.json: the overlay). */
class PeerRowsTest {
    private static final BenchConfig CONFIG = new BenchConfig(Path.of("unused"), 1, 3, 8, 0.05, true,
            "src/bench/run.sh --quick --only x");
    private static final Set<String> BOTH = Set.of("training", "inference");

    private static JsonNode fixture(String name) throws Exception {
        try (InputStream in = PeerRowsTest.class.getResourceAsStream(name)) {
            return Row.JSON.readTree(in);
        }
    }

    private static Row find(List<Row> rows, String suite, String caseName, String system, String metric) {
        return rows.stream().filter(r -> r.suite().equals(suite) && r.caseName().equals(caseName)
                && r.system().equals(system) && r.metric().equals(metric)).findFirst().orElseThrow(
                        () -> new AssertionError("no " + suite + " / " + caseName + " / " + system + " / " + metric
                                + " in " + rows));
    }

    @Test
    void fallsBackToAllWindowsWhenThePeerHadNoCleanWindow() throws Exception {
        List<Row> rows = PeerRows.convert(fixture("peer-run-sh.json"), BOTH, CONFIG);
        Row train = find(rows, "training", "keras-cifar10 batch 32", "pytorch", "images_per_sec");
        assertEquals("training", train.suite());
        assertEquals(13.65, train.value());
        assertEquals(Boolean.FALSE, train.clean());
        assertEquals(421.91, find(rows, "training", "keras-cifar10 batch 32", "pytorch", "rss_peak").value());
        assertEquals(1000 / 2.4897,
                find(rows, "inference", "keras-cifar10 batch 1", "pytorch", "latency_median").value(), 1e-9);
        assertEquals(63.273, find(rows, "inference", "keras-cifar10 batch 64", "pytorch", "images_per_sec").value());
        assertEquals(1000 / 44.309,
                find(rows, "inference", "keras-cifar10 batch 1", "onnxruntime", "latency_median").value(), 1e-9);
        assertEquals(150.02,
                find(rows, "inference", "keras-cifar10 batch 64", "onnxruntime", "images_per_sec").value());
        assertFalse(rows.stream().anyMatch(r -> r.metric().equals("latency_p90")), "no p90 without clean windows");
        assertEquals(4 + 4, rows.size()); // 2 training batches x 2 metrics; 2 engines x 2 inference batches
        assertTrue(rows.stream().allMatch(r -> r.command().equals(CONFIG.command())));
    }

    @Test
    void usesCleanWindowsAndIterationTimesWhenThereAreSome() throws Exception {
        JsonNode raw = fixture("peer-run-sh.json");
        ObjectNode batch1 = (ObjectNode) raw.get("djl_pytorch").get("infer").get(0);
        batch1.put("images_per_sec", 400.0).put("iter_ms_median", 2.4).put("iter_ms_p90", 3.1);
        List<Row> rows = PeerRows.convert(raw, BOTH, CONFIG);
        Row median = find(rows, "inference", "keras-cifar10 batch 1", "pytorch", "latency_median");
        assertEquals(2.4, median.value());
        assertEquals(Boolean.TRUE, median.clean());
        assertEquals(3.1, find(rows, "inference", "keras-cifar10 batch 1", "pytorch", "latency_p90").value());
    }

    @Test
    void leavesOutOnnxRuntimeWhenItsOutputsDidNotMatch() throws Exception {
        JsonNode raw = fixture("peer-run-sh.json");
        ((ObjectNode) raw.get("onnxruntime").get("check")).put("ok", false);
        assertFalse(PeerRows.convert(raw, BOTH, CONFIG).stream().anyMatch(r -> r.system().equals("onnxruntime")));
    }

    @Test
    void keepsOnlyTheSuitesAskedFor() throws Exception {
        List<Row> rows = PeerRows.convert(fixture("peer-run-sh.json"), Set.of("training"), CONFIG);
        assertEquals(4, rows.size());
        assertTrue(rows.stream().allMatch(r -> r.suite().equals("training")));
    }

    @Test
    void readsTheResNet20Overlay() throws Exception {
        List<Row> rows = PeerRows.convert(fixture("peer-resnet20.json"), BOTH, CONFIG);
        assertEquals(31.595, find(rows, "training", "resnet20 batch 32", "pytorch", "images_per_sec").value());
        assertEquals(437.12, find(rows, "training", "resnet20 batch 32", "pytorch", "rss_peak").value());
        assertEquals(1000 / 2.2044,
                find(rows, "inference", "resnet20 batch 1", "pytorch", "latency_median").value(), 1e-9);
        assertEquals(3, rows.size());
    }

    @Test
    void readsTheAirbench94OverlayInTheShapeAirbench94BenchPrints() throws Exception {
        JsonNode raw = Row.JSON.readTree("""
                {"airbench94": {"engine_version": "2.7.1", "params": 1976248, "train": [
                  {"batch": 512, "images_per_sec": 101.5, "peak_rss_mib": 3100.0},
                  {"batch": 1024, "all_windows_images_per_sec": 98.0, "peak_rss_mib": 5900.0}]}}""");
        List<Row> rows = PeerRows.convert(raw, BOTH, CONFIG);
        assertEquals(101.5, find(rows, "training", "airbench94 batch 512", "pytorch", "images_per_sec").value());
        Row disturbed = find(rows, "training", "airbench94 batch 1024", "pytorch", "images_per_sec");
        assertEquals(98.0, disturbed.value());
        assertEquals(Boolean.FALSE, disturbed.clean());
        assertEquals(5900.0, find(rows, "training", "airbench94 batch 1024", "pytorch", "rss_peak").value());
        assertEquals(4, rows.size());
    }
}
