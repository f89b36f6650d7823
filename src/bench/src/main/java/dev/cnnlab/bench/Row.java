package dev.cnnlab.bench;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One measured value of one repetition, in the suite's shared format (see src/bench/README.md).
 *
 * @param suite          training, pipeline, inference, http, coldstart or tracker
 * @param caseName       what was measured, e.g. {@code keras-cifar10 batch 64} (JSON {@code case})
 * @param system         cnnlab-dl4j, cnnlab-java, cnnlab-function, cnnlab-tracker, pytorch or onnxruntime
 * @param metric         e.g. images_per_sec, latency_median, latency_p99, rss_peak
 * @param unit           e.g. img/s, ms, MiB
 * @param higherIsBetter whether a larger value is better
 * @param value          the value
 * @param command        the command that reproduces it
 * @param clean          true if measured only in clean windows, false if disturbed windows had to be used,
 *                       null where clean windows do not apply (optional in JSON)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Row(String suite, @JsonProperty("case") String caseName, String system, String metric,
        String unit, boolean higherIsBetter, double value, String command, Boolean clean) {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Validates that every text field is present and the value is finite. */
    public Row {
        for (String s : new String[] {suite, caseName, system, metric, unit, command}) {
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException("row needs suite, case, system, metric, unit and command: "
                        + suite + " / " + caseName + " / " + system + " / " + metric + " / " + unit + " / " + command);
            }
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value of " + suite + " / " + caseName + " / " + system + " / "
                    + metric + " is not finite: " + value);
        }
    }

    /** Writes rows as a JSON array to {@code <dir>/<part>-<repetition>.json}, creating the folder. */
    public static Path write(Path dir, String part, int repetition, List<Row> rows) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(part + "-" + repetition + ".json");
        JSON.writeValue(file.toFile(), rows);
        return file;
    }

    /** Reads every {@code *.json} array of rows directly in {@code dir}, in file name order. */
    public static List<Row> readAll(Path dir) throws IOException {
        List<Row> rows = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".json") && Files.isRegularFile(p)).sorted().toList();
        }
        for (Path f : files) {
            try {
                rows.addAll(JSON.readValue(f.toFile(), new TypeReference<List<Row>>() { }));
            } catch (IOException | IllegalArgumentException e) {
                throw new IOException("bad rows file " + f + ": " + e.getMessage(), e);
            }
        }
        return rows;
    }
}
