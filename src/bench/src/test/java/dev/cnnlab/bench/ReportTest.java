package dev.cnnlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    private static final Report.Machine MACHINE = new Report.Machine("Test CPU", 2, 7.8, "JDK 17", "Linux",
            "2026-01-01T00:00:00Z", "abc1234", "quick", "1.0 -> 2.0");

    private static Row row(String suite, String caseName, String system, String metric, boolean higher, double v,
            Boolean clean) {
        return new Row(suite, caseName, system, metric, higher ? "img/s" : "ms", higher, v,
                "src/bench/run.sh --only " + suite, clean);
    }

    @Test
    void aggregatesRepetitionsIntoMedianMinMaxAndCount() {
        List<Aggregate> a = Aggregate.of(List.of(
                row("training", "keras-cifar10 batch 64", "cnnlab-dl4j", "images_per_sec", true, 300, true),
                row("training", "keras-cifar10 batch 64", "cnnlab-dl4j", "images_per_sec", true, 100, false),
                row("training", "keras-cifar10 batch 64", "cnnlab-dl4j", "images_per_sec", true, 200, true),
                row("training", "keras-cifar10 batch 64", "pytorch", "images_per_sec", true, 10, true),
                row("training", "keras-cifar10 batch 64", "pytorch", "images_per_sec", true, 20, true)));
        assertEquals(2, a.size());
        Aggregate ours = a.get(0);
        assertEquals(200, ours.median());
        assertEquals(100, ours.min());
        assertEquals(300, ours.max());
        assertEquals(3, ours.n());
        assertEquals(1, ours.disturbed());
        assertEquals(15, a.get(1).median(), 1e-12); // even count: mean of the middle two
        assertEquals(200, ours.mean(), 1e-12);
        assertEquals(100, ours.std(), 1e-12); // sqrt((100^2 + 0 + 100^2) / 2)
        assertEquals(Math.sqrt(50), a.get(1).std(), 1e-12);
    }

    @Test
    void ratiosAreAboveOneWhenCnnlabIsBetterInEitherDirection() {
        List<Aggregate> a = Aggregate.of(List.of(
                row("inference", "keras-cifar10 batch 64", "cnnlab-java", "images_per_sec", true, 600, true),
                row("inference", "keras-cifar10 batch 64", "pytorch", "images_per_sec", true, 300, true),
                row("inference", "keras-cifar10 batch 1", "cnnlab-java", "latency_median", false, 2, true),
                row("inference", "keras-cifar10 batch 1", "pytorch", "latency_median", false, 4, true),
                row("inference", "keras-cifar10 batch 1", "onnxruntime", "latency_median", false, 1, true)));
        List<Aggregate.Ratio> r = Aggregate.ratios(a);
        assertEquals(3, r.size());
        assertEquals(2.0, r.get(0).value(), 1e-12);   // twice the images/s
        assertEquals(2.0, r.get(1).value(), 1e-12);   // half the latency of PyTorch
        assertEquals("onnxruntime", r.get(2).peer().system());
        assertEquals(0.5, r.get(2).value(), 1e-12);   // twice the latency of ONNX Runtime
    }

    @Test
    void ratioRangeRunsFromWorstToBestCase() {
        List<Aggregate> a = Aggregate.of(List.of(
                row("training", "c", "cnnlab-dl4j", "images_per_sec", true, 90, true),
                row("training", "c", "cnnlab-dl4j", "images_per_sec", true, 110, true),
                row("training", "c", "pytorch", "images_per_sec", true, 40, true),
                row("training", "c", "pytorch", "images_per_sec", true, 60, true)));
        Aggregate.Ratio r = Aggregate.ratios(a).get(0);
        assertEquals(2.0, r.value(), 1e-12);
        assertEquals(1.5, r.low(), 1e-12);
        assertEquals(110 / 40.0, r.high(), 1e-12);
    }

    @Test
    void refusesRowsOfOneGroupWithDifferentUnits() {
        Row a = row("training", "c", "cnnlab-dl4j", "images_per_sec", true, 1, true);
        Row b = new Row("training", "c", "cnnlab-dl4j", "images_per_sec", "img/min", true, 1, "x", true);
        var e = assertThrows(IllegalArgumentException.class, () -> Aggregate.of(List.of(a, b)));
        assertTrue(e.getMessage().contains("img/min"), e.getMessage());
    }

    @Test
    void markdownHasOneTablePerSuiteInSuiteOrderWithRatioColumnsAndCommands() {
        List<Aggregate> a = Aggregate.of(List.of(
                row("inference", "keras-cifar10 batch 1", "cnnlab-java", "latency_median", false, 2, false),
                row("inference", "keras-cifar10 batch 1", "pytorch", "latency_median", false, 3, true),
                row("training", "keras-cifar10 batch 32", "cnnlab-dl4j", "images_per_sec", true, 250, true),
                row("training", "keras-cifar10 batch 32", "cnnlab-dl4j", "images_per_sec", true, 260, true),
                row("training", "keras-cifar10 batch 32", "pytorch", "images_per_sec", true, 500, true),
                row("pipeline", PipelineBench.BATCH_CASE, "cnnlab-dl4j", "images_per_sec", true, 25_500, true)));
        String md = Report.markdown(a, Aggregate.ratios(a), MACHINE);
        assertTrue(md.startsWith("Measured on Test CPU (2 cores, 7.8 GiB)"), md);
        assertTrue(md.indexOf("### training") < md.indexOf("### pipeline")
                && md.indexOf("### pipeline") < md.indexOf("### inference"), md);
        assertTrue(md.contains("| case | metric | cnnlab-dl4j | pytorch | cnnlab-dl4j vs pytorch | reproduce |\n"
                + "|---|---|---:|---:|---:|---|\n"
                + "| keras-cifar10 batch 32 | images_per_sec (img/s) | 255 (250-260, 2) | 500 | 0.51× (0.50-0.52) |"
                + " `src/bench/run.sh --only training` |\n"), md);
        assertTrue(md.contains("| keras-cifar10 batch 1 | latency_median (ms) | 2.00† | 3.00 | 1.50× |"), md);
        assertTrue(md.contains("(keras-cifar10 batch 32, 255 img/s), preparing its batches (25,500 img/s, on the"
                + " training thread) adds 1.0% to each step's time."), md);
        long columns = 0;
        for (String line : md.split("\n")) {
            long pipes = line.chars().filter(c -> c == '|').count();
            if (line.startsWith("| case |")) {
                columns = pipes;
            } else if (line.startsWith("|")) {
                assertEquals(columns, pipes, "every table line has its header's columns: " + line);
            }
        }
    }

    @Test
    void writesJsonMarkdownAndADecodablePng(@TempDir Path dir) throws Exception {
        Path raw = Files.createDirectory(dir.resolve("raw"));
        Row.write(raw, "training", 1, List.of(
                row("training", "keras-cifar10 batch 64", "cnnlab-dl4j", "images_per_sec", true, 250, true),
                row("training", "keras-cifar10 batch 64", "pytorch", "images_per_sec", true, 500, true)));
        Row.write(raw, "inference", 1, List.of(
                row("inference", "keras-cifar10 batch 1", "cnnlab-java", "latency_median", false, 2, true),
                row("inference", "keras-cifar10 batch 1", "onnxruntime", "latency_median", false, 3, false)));
        Path out = dir.resolve("results");
        String md = Report.write(Row.readAll(raw), MACHINE, out);
        assertEquals(md, Files.readString(out.resolve("results.md")));
        var json = Row.JSON.readTree(out.resolve("results.json").toFile());
        assertEquals("Test CPU", json.get("machine").get("cpu").asText());
        assertEquals(4, json.get("aggregates").size());
        // Files are read in name order: inference-1.json, then training-1.json.
        assertEquals("keras-cifar10 batch 1", json.get("aggregates").get(0).get("case").asText());
        assertEquals(2, json.get("ratios").size());
        assertEquals(1.5, json.get("ratios").get(0).get("value").asDouble(), 1e-12);
        assertEquals(0.5, json.get("ratios").get(1).get("value").asDouble(), 1e-12);
        BufferedImage png = ImageIO.read(out.resolve("results.png").toFile());
        assertNotNull(png, "results.png decodes");
        assertEquals(1200, png.getWidth());
        assertTrue(png.getHeight() >= 78 + 2 * 26, "one bar per ratio: " + png.getHeight());
    }

    @Test
    void plotsAMessageWhenNoPeerWasMeasured(@TempDir Path dir) throws Exception {
        Report.write(List.of(row("pipeline", "decode", "cnnlab-dl4j", "images_per_sec", true, 900, true)), MACHINE,
                dir);
        assertNotNull(ImageIO.read(dir.resolve("results.png").toFile()));
    }

    @Test
    void timeToAccuracyCellsAreMeanAndStdOverSeeds() {
        Row a = new Row("time-to-accuracy", "airbench94", "cnnlab-dl4j", "minutes_to_93", "min", false, 40,
                "src/bench/run.sh --only time-to-accuracy", null);
        Row b = new Row("time-to-accuracy", "airbench94", "cnnlab-dl4j", "minutes_to_93", "min", false, 50,
                "src/bench/run.sh --only time-to-accuracy", null);
        assertEquals("45.0 ± 7.07 (n 2)", Report.cell(Aggregate.of(List.of(a, b)).get(0)));
    }
}
