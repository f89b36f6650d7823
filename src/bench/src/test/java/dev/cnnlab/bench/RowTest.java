package dev.cnnlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RowTest {
    @Test
    void roundTripsTheSharedFormatWithCaseAsJsonName(@TempDir Path dir) throws Exception {
        Row r = new Row("inference", "keras-cifar10 batch 1", "cnnlab-java", "latency_median", "ms", false, 3.41,
                "src/bench/run.sh --only inference", null);
        Path file = Row.write(dir, "inference", 2, List.of(r));
        assertEquals("inference-2.json", file.getFileName().toString());
        String json = Files.readString(file);
        assertTrue(json.contains("\"case\" : \"keras-cifar10 batch 1\""), json);
        assertTrue(!json.contains("clean"), "null clean is left out: " + json);
        assertEquals(List.of(r), Row.readAll(dir));
    }

    @Test
    void readsRowsWrittenByTheShellParts(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("http-1.json"), "[{\"suite\": \"http\", \"case\": \"concurrency 8\","
                + " \"system\": \"cnnlab-function\", \"metric\": \"requests_per_sec\", \"unit\": \"req/s\","
                + " \"higherIsBetter\": true, \"value\": 812.5, \"command\": \"src/bench/http.sh\"}]");
        Files.createDirectory(dir.resolve("peer-raw"));
        Row r = Row.readAll(dir).get(0);
        assertEquals("concurrency 8", r.caseName());
        assertEquals(812.5, r.value());
    }

    @Test
    void namesTheFileOfABadRow(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bad-1.json"), "[{\"suite\": \"http\", \"case\": \"c\", \"system\": \"s\","
                + " \"metric\": \"m\", \"unit\": \"u\", \"higherIsBetter\": true, \"value\": 1}]");
        var e = assertThrows(java.io.IOException.class, () -> Row.readAll(dir));
        assertTrue(e.getMessage().contains("bad-1.json") && e.getMessage().contains("command"), e.getMessage());
    }
}
