package dev.cnnlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TimeToAccuracyBenchTest {
    private static final BenchConfig CONFIG = new BenchConfig(Path.of("unused"), 1, 1, 1, 0.05, true,
            "src/bench/run.sh --only time-to-accuracy");

    /** A Train summary as it prints it: two epochs of 600 and 900 s, reaching 93.1% then 93.6%. */
    private static final String SUMMARY = """
            {"recipe": "airbench94", "final": {
              "training": {"epochs": [
                {"epoch": 1, "valAccuracy": 0.931, "seconds": 600.0},
                {"epoch": 2, "valAccuracy": 0.936, "seconds": 900.0}]},
              "heldOut": {"count": 5000, "accuracy": 0.9362}}}""";

    @Test
    void rowsHoldTheTimesReachedAndTheAccuracies() throws Exception {
        List<Row> rows = TimeToAccuracyBench.rows(CONFIG, "airbench94", Row.JSON.readTree(SUMMARY));
        Map<String, Double> byMetric = rows.stream().collect(Collectors.toMap(Row::metric, Row::value));
        assertEquals(Map.of("reached_93", 1.0, "minutes_to_93", 10.0, "reached_94", 0.0,
                "accuracy_at_30min", 93.6, "final_accuracy", 93.62, "training_minutes", 25.0), roundedTo4(byMetric));
        assertTrue(rows.stream().allMatch(r -> r.suite().equals("time-to-accuracy") && r.caseName().equals("airbench94")
                && r.system().equals("cnnlab-dl4j")));
    }

    @Test
    void aSummaryWithoutEpochsIsRefused() throws Exception {
        var e = assertThrows(IllegalArgumentException.class,
                () -> TimeToAccuracyBench.rows(CONFIG, "resnet20-long", Row.JSON.readTree("{\"final\": {}}")));
        assertTrue(e.getMessage().contains("resnet20-long"), e.getMessage());
    }

    private static Map<String, Double> roundedTo4(Map<String, Double> m) {
        return m.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                x -> Math.round(x.getValue() * 1e4) / 1e4));
    }
}
