package dev.cnnlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TrackerSeedTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void sizesAreFilledIntoEveryStatement() {
        for (String template : new String[] {TrackerSeed.EXPERIMENTS, TrackerSeed.RUNS, TrackerSeed.FOLDS,
                TrackerSeed.EPOCHS}) {
            String sql = TrackerSeed.sql(template, 20, 10_000, 5, 20);
            assertFalse(sql.matches("(?s).*\\{[a-zA-Z]+}.*"), "a placeholder is left in:\n" + sql);
        }
        String runs = TrackerSeed.sql(TrackerSeed.RUNS, 20, 10_000, 5, 20);
        assertTrue(runs.contains("generate_series(1, 10000) n"), runs);
    }

    @Test
    void foldReportsAreTheShapeTheTrackerStores() throws Exception {
        JsonNode perClass = JSON.readTree(TrackerSeed.perClassJson());
        assertEquals(10, perClass.size());
        assertEquals("airplane", perClass.get(0).get("label").asText());
        assertEquals(0.7, perClass.get(0).get("precision").asDouble(), 1e-9);

        JsonNode confusion = JSON.readTree(TrackerSeed.confusionJson());
        assertEquals(10, confusion.size());
        int total = 0;
        for (JsonNode row : confusion) {
            assertEquals(10, row.size());
            for (JsonNode cell : row) {
                total += cell.asInt();
            }
        }
        assertEquals(9_000, total, "45,000 images in 5 folds: 9,000 validation images per fold");
    }
}
