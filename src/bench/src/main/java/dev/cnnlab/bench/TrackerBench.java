package dev.cnnlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Latency of the tracker endpoints behind the UI's pages, on a seeded database (see {@link TrackerSeed}):
 * the experiments list, an experiment page (experiment, accuracy by batch size, the runs table sorted,
 * grouped and paged as experiment.js asks), a run page with its learning curves, and compare. Each
 * endpoint gets warm-up requests, then sequential timed requests on one keep-alive connection, as a
 * browser tab would send them; rows: latency_median and latency_p99 per endpoint.
 *
 * <p>Usage: {@code TrackerBench <base-url> <scale label>}, settings from {@link BenchConfig}.
 */
public final class TrackerBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    private TrackerBench(String base) {
        this.base = base;
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: TrackerBench <base-url> <scale label>, got " + List.of(args));
        }
        BenchConfig config = BenchConfig.fromSystemProperties();
        int warmup = config.quick() ? 10 : 30;
        int requests = config.quick() ? 40 : 200;
        TrackerBench bench = new TrackerBench(args[0]);
        Map<String, String> endpoints = bench.endpoints();
        List<Row> rows = new ArrayList<>();
        System.out.printf("%-62s %10s %10s%n", "endpoint (" + args[1] + ", " + requests + " requests each)",
                "median ms", "p99 ms");
        for (var e : endpoints.entrySet()) {
            double[] ms = bench.time(e.getValue(), warmup, requests);
            double median = percentile(ms, 50);
            double p99 = percentile(ms, 99);
            String caseName = e.getKey() + ", " + args[1];
            rows.add(config.row("tracker", caseName, "cnnlab-tracker", "latency_median", "ms", false, median, null));
            rows.add(config.row("tracker", caseName, "cnnlab-tracker", "latency_p99", "ms", false, p99, null));
            System.out.printf("%-62s %10.2f %10.2f%s%n", e.getKey(), median, p99, median > 100 ? "  SLOW" : "");
            System.out.println("    GET " + e.getValue());
        }
        Path file = Row.write(config.out(), "tracker", config.repetition(), rows);
        System.out.println("wrote " + rows.size() + " rows to " + file);
    }

    /**
     * The calls the UI makes, with real ids: the largest experiment, one of its succeeded runs, and
     * four of its succeeded runs that differ in batch size for compare.
     */
    private Map<String, String> endpoints() throws IOException, InterruptedException {
        JsonNode experiments = get("/api/experiments");
        JsonNode largest = StreamSupport.stream(experiments.spliterator(), false)
                .max((a, b) -> Long.compare(a.get("runCount").asLong(), b.get("runCount").asLong()))
                .orElseThrow(() -> new IllegalStateException("no experiments: seed the database first"));
        long experiment = largest.get("id").asLong();
        long runsInExperiment = largest.get("runCount").asLong();
        String runs = "/api/runs?experiment=" + experiment;
        JsonNode succeeded = get(runs + "&status=SUCCEEDED&sort=batchSize&size=500").get("items");
        List<Long> compared = new ArrayList<>();
        Integer lastBatchSize = null;
        for (JsonNode run : succeeded) {
            if (compared.size() < 4 && (lastBatchSize == null || run.get("batchSize").asInt() != lastBatchSize)) {
                compared.add(run.get("id").asLong());
                lastBatchSize = run.get("batchSize").asInt();
            }
        }
        if (compared.size() < 4) {
            throw new IllegalStateException("experiment " + experiment + " has fewer than 4 succeeded runs of "
                    + "different batch sizes");
        }
        long lastPage = (runsInExperiment - 1) / 50;
        Map<String, String> e = new LinkedHashMap<>();
        e.put("experiments list", "/api/experiments");
        e.put("experiment page: experiment", "/api/experiments/" + experiment);
        e.put("experiment page: accuracy by batch size", "/api/stats/accuracy-by-batch-size?experiment=" + experiment);
        e.put("runs table: first page", runs + "&sort=id&page=0&size=50");
        e.put("runs table: sorted by -meanAccuracy", runs + "&sort=-meanAccuracy&page=0&size=50");
        e.put("runs table: grouped by architecture, sorted", runs + "&sort=architecture,-meanAccuracy&page=0&size=50");
        e.put("runs table: filtered batchSize+status", runs + "&batchSize=64&status=SUCCEEDED&sort=id&page=0&size=50");
        e.put("runs table: last page", runs + "&sort=id&page=" + lastPage + "&size=50");
        e.put("runs table: all experiments, sorted by -meanAccuracy", "/api/runs?sort=-meanAccuracy&page=0&size=50");
        e.put("run page (folds and learning curves)", "/api/runs/" + compared.get(0));
        e.put("compare 4 runs", "/api/runs/compare?ids="
                + compared.stream().map(String::valueOf).collect(Collectors.joining(",")));
        return e;
    }

    /** Milliseconds of {@code requests} sequential GETs after {@code warmup} untimed ones; any non-200 fails. */
    private double[] time(String path, int warmup, int requests) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json")
                .timeout(Duration.ofSeconds(60)).build();
        double[] ms = new double[requests];
        for (int i = -warmup; i < requests; i++) {
            long t0 = System.nanoTime();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            long t1 = System.nanoTime();
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": "
                        + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
            }
            if (i >= 0) {
                ms[i] = (t1 - t0) / 1e6;
            }
        }
        return ms;
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** Nearest-rank percentile. */
    static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
