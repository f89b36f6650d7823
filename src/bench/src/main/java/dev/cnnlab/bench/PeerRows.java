package dev.cnnlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns the JSON of the PyTorch/ONNX Runtime peer (../shared/peers/pytorch-onnxruntime) into rows:
 * {@code run.sh}'s object ({@code djl_pytorch} and {@code onnxruntime} for the keras-cifar10 network) and
 * the overlays' ({@code resnet20}, {@code airbench94}, from src/bench/peer). A phase without clean windows
 * falls back to the peer's {@code all_windows_images_per_sec} and is marked not clean; its batch-1 latency is
 * then the mean (1 / throughput), since the peer keeps iteration times of clean windows only.
 */
public final class PeerRows {
    private PeerRows() {
    }

    /**
     * Converts one peer output file.
     *
     * @param args the peer JSON file, the part name (rows go to {@code <part>-<rep>.json}) and the suites
     *             to keep, comma-separated (training,inference)
     * @throws Exception if the file cannot be read or the rows cannot be written
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: PeerRows <peer.json> <part> <suites>, got " + args.length
                    + " arguments");
        }
        BenchConfig config = BenchConfig.fromSystemProperties();
        JsonNode raw = Row.JSON.readTree(Path.of(args[0]).toFile());
        List<Row> rows = convert(raw, Set.of(args[2].split(",")), config);
        System.err.println("wrote " + Row.write(config.out(), args[1], config.repetition(), rows) + " (" + rows.size()
                + " peer rows)");
    }

    /** Returns the rows of the suites asked for from one peer output. */
    static List<Row> convert(JsonNode raw, Set<String> suites, BenchConfig config) {
        List<Row> rows = new ArrayList<>();
        if (raw.has("djl_pytorch")) {
            phases(raw.get("djl_pytorch"), "keras-cifar10", "pytorch", suites, config, rows);
        }
        JsonNode ort = raw.path("onnxruntime");
        if (ort.has("infer")) {
            if (ort.path("check").path("ok").asBoolean(false)) {
                phases(ort, "keras-cifar10", "onnxruntime", suites, config, rows);
            } else {
                System.err.println("peer: ONNX Runtime's outputs did not match PyTorch's, its rows are left out: "
                        + ort.path("check"));
            }
        }
        for (String overlay : List.of("resnet20", "airbench94")) { // src/bench/peer's networks
            if (raw.has(overlay)) {
                phases(raw.get(overlay), overlay, "pytorch", suites, config, rows);
            }
        }
        return rows;
    }

    private static void phases(JsonNode engine, String network, String system, Set<String> suites,
            BenchConfig config, List<Row> rows) {
        if (suites.contains("training")) {
            for (JsonNode p : engine.path("train")) {
                String caseName = network + " batch " + p.path("batch").asInt();
                rows.add(config.row("training", caseName, system, "images_per_sec", "img/s", true, imagesPerSec(p),
                        clean(p)));
                if (p.path("peak_rss_mib").isNumber()) {
                    rows.add(config.row("training", caseName, system, "rss_peak", "MiB", false,
                            p.get("peak_rss_mib").asDouble(), null));
                }
            }
        }
        if (suites.contains("inference")) {
            for (JsonNode p : engine.path("infer")) {
                int batch = p.path("batch").asInt();
                String caseName = network + " batch " + batch;
                if (batch == 1) {
                    double median = clean(p) && p.path("iter_ms_median").isNumber()
                            ? p.get("iter_ms_median").asDouble() : 1000 / imagesPerSec(p);
                    rows.add(config.row("inference", caseName, system, "latency_median", "ms", false, median,
                            clean(p)));
                    if (clean(p) && p.path("iter_ms_p90").isNumber()) {
                        rows.add(config.row("inference", caseName, system, "latency_p90", "ms", false,
                                p.get("iter_ms_p90").asDouble(), true));
                    }
                } else {
                    rows.add(config.row("inference", caseName, system, "images_per_sec", "img/s", true,
                            imagesPerSec(p), clean(p)));
                }
            }
        }
    }

    private static boolean clean(JsonNode phase) {
        return phase.path("images_per_sec").isNumber();
    }

    private static double imagesPerSec(JsonNode phase) {
        return clean(phase) ? phase.get("images_per_sec").asDouble()
                : phase.path("all_windows_images_per_sec").asDouble();
    }
}
