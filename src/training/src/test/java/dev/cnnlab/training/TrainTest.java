package dev.cnnlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cnnlab.inference.format.Dtype;
import dev.cnnlab.inference.format.ModelArchive;
import dev.cnnlab.inference.format.ModelFile;
import dev.cnnlab.inference.format.TestTimeAugmentation;
import dev.cnnlab.training.data.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainTest {

    @Test
    void runsCrossValidationAndFinalModelFromTheCommandLineAndResumes(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("bins");
        Files.createDirectories(data);
        int[] labels = new Random(1).ints(60, 0, 10).toArray();
        Files.write(data.resolve("data_batch_1.bin"), TestData.cifarRecords(labels));
        String[] args = {"--data", data.toString(), "--arch", "lenet5", "--epochs", "1", "--folds", "2",
            "--batch-size", "16", "--held-out", "0.2", "--augment", "crop-flip", "--schedule", "onecycle",
            "--checkpoints", dir.resolve("ckpt").toString(), "--export", dir.resolve("m.cnn").toString(),
            "--cache", dir.resolve("cache").toString()};
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.valueToTree(Train.run(Train.parse(args)));
        assertEquals(2, first.at("/crossValidation/folds").size());
        assertEquals("CROP_FLIP", first.at("/config/augmentation").asText());
        assertEquals(12, first.at("/final/heldOut/count").asInt());
        assertTrue(first.at("/environment/backend").asText().matches("CPU|CUDA"));
        String export = first.at("/final/export").asText();
        assertTrue(export.contains("sha256:") && Files.exists(dir.resolve("m.cnn")), export);
        // the file says what it was trained on and what it scored
        Map<String, String> provenance = ModelFile.read(dir.resolve("m.cnn")).metadata().provenance();
        assertEquals(data.toString(), provenance.get("dataset"));
        assertEquals(first.at("/final/heldOut/accuracy").asDouble(), Double.parseDouble(provenance.get("accuracy")),
                1e-4);
        assertEquals("12", provenance.get("heldOutImages"));
        assertEquals("CROP_FLIP", provenance.get("augmentation"));
        assertEquals("0.0", provenance.get("weightDecay"));
        assertEquals("lenet5", provenance.get("architecture"));

        // Rerunning the same command resumes from the checkpoints: same results, nothing retrained.
        // (It exports again, here with F16 weights.)
        String[] again = Arrays.copyOf(args, args.length + 2);
        again[args.length - 3] = dir.resolve("m16.cnn").toString();
        again[args.length] = "--export-dtype";
        again[args.length + 1] = "f16";
        JsonNode second = json.valueToTree(Train.run(Train.parse(again)));
        assertEquals(first.at("/crossValidation/meanAccuracy"), second.at("/crossValidation/meanAccuracy"));
        assertEquals(first.at("/final/heldOut/accuracy"), second.at("/final/heldOut/accuracy"));
        assertEquals(first.at("/final/training/seconds"), second.at("/final/training/seconds"));
        assertTrue(Files.size(dir.resolve("m16.cnn")) < 0.6 * Files.size(dir.resolve("m.cnn")));

        // --evaluate runs the exported file (pure Java) on the same 12 held-out images: the F32
        // export scores what DL4J scored
        String[] evaluate = {"--data", data.toString(), "--held-out", "0.2", "--evaluate",
            dir.resolve("m.cnn").toString(), "--cache", dir.resolve("cache").toString()};
        JsonNode eval = json.valueToTree(Train.run(Train.parse(evaluate)));
        assertEquals("held-out", eval.at("/evaluation/images").asText());
        assertEquals(0.2, eval.at("/split/heldOutFraction").asDouble());
        assertTrue(eval.at("/config").isMissingNode(), "no training configuration when nothing is trained");
        assertEquals("none", eval.at("/evaluation/testTimeAugmentation").asText());
        assertEquals(12, eval.at("/evaluation/result/count").asInt());
        assertEquals(first.at("/final/heldOut/confusion"), eval.at("/evaluation/result/confusion"));
        assertEquals(first.at("/final/heldOut/loss").asDouble(), eval.at("/evaluation/result/loss").asDouble(),
                1e-4);
        evaluate[5] = dir.resolve("m16.cnn").toString();
        JsonNode eval16 = json.valueToTree(Train.run(Train.parse(evaluate)));
        assertEquals(12, eval16.at("/evaluation/result/count").asInt());
        assertEquals(first.at("/final/heldOut/loss").asDouble(), eval16.at("/evaluation/result/loss").asDouble(),
                1e-2);

        // a copy asking for the six views is scored through CnnModel with them (what they compute is
        // TestTimeViewsTest's and GoldenModelTest's: one epoch on random pixels leaves this network
        // nearly blind to a one-pixel shift, so its loss moves by only 1e-8)
        ModelArchive m = ModelFile.read(dir.resolve("m.cnn"));
        ModelFile.write(dir.resolve("m6.cnn"), m.metadata().with(m.metadata().provenance(),
                TestTimeAugmentation.HFLIP_TRANSLATE), m.tensors().values());
        evaluate[5] = dir.resolve("m6.cnn").toString();
        JsonNode eval6 = json.valueToTree(Train.run(Train.parse(evaluate)));
        assertEquals("hflip-translate", eval6.at("/evaluation/testTimeAugmentation").asText());
        assertEquals(12, eval6.at("/evaluation/result/count").asInt());
        assertEquals(first.at("/final/heldOut/loss").asDouble(), eval6.at("/evaluation/result/loss").asDouble(),
                1e-4);
    }

    @Test
    void evalEveryAppendsHeldOutScoresInsideEpochsToTheTimeline(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("bins");
        Files.createDirectories(data);
        Files.write(data.resolve("data_batch_1.bin"), TestData.cifarRecords(new Random(2).ints(60, 0, 10).toArray()));
        Path timeline = dir.resolve("timeline.jsonl");
        // 48 training images in batches of 16: 3 per epoch, scored on the 12 held-out after batches 1 and 2
        Train.run(Train.parse(new String[] {"--data", data.toString(), "--arch", "lenet5", "--folds", "0",
            "--epochs", "2", "--batch-size", "16", "--held-out", "0.2", "--final", "--eval-every", "1",
            "--timeline", timeline.toString(), "--cache", dir.resolve("cache").toString()}));
        ObjectMapper json = new ObjectMapper();
        var lines = Files.readAllLines(timeline).stream().map(l -> {
            try {
                return json.readTree(l);
            } catch (java.io.IOException e) {
                throw new AssertionError(l, e);
            }
        }).toList();
        assertEquals(java.util.List.of(1 / 3.0, 2 / 3.0, 1 + 1 / 3.0, 1 + 2 / 3.0),
                lines.stream().map(l -> l.get("epochs").asDouble()).toList());
        lines.forEach(l -> {
            assertEquals(-1, l.get("fold").asInt());
            assertTrue(l.get("accuracy").asDouble() >= 0 && l.get("seconds").asDouble() > 0, l.toString());
        });

        var e = assertThrows(IllegalArgumentException.class, () -> Train.run(Train.parse(new String[] {"--data",
            data.toString(), "--timeline", timeline.toString()})));
        assertTrue(e.getMessage().contains("--eval-every"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Train.run(Train.parse(new String[] {"--data",
            data.toString(), "--eval-every", "0"})));
        assertTrue(e.getMessage().contains("--eval-every must be at least 1 batch, got 0"), e.getMessage());
    }

    @Test
    void rejectsBadOptionsNamingThem() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Train.run(Train.parse(new String[] {"--data", "x", "--epochs", "ten"})));
        assertTrue(e.getMessage().contains("ten"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Train.run(Map.of("data", "x", "optimizer", "rmsprop")));
        assertTrue(e.getMessage().contains("rmsprop"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Train.parse(new String[] {"--epochs"}));
        assertTrue(e.getMessage().contains("epochs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Train.run(Map.of("data", "x", "export-dtype", "f8")));
        assertTrue(e.getMessage().contains("'f8'"), e.getMessage());
    }

    @Test
    void aRecipeSetsEverySettingAndOptionsOverrideIt(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("bins");
        Files.createDirectories(data);
        Files.write(data.resolve("data_batch_1.bin"), TestData.cifarRecords(new Random(2).ints(60, 0, 10).toArray()));
        String[] args = {"--data", data.toString(), "--recipe", "airbench94", "--folds", "0", "--epochs", "1",
            "--batch-size", "16", "--export", dir.resolve("m.cnn").toString(), "--cache", dir.resolve("cache").toString()};
        JsonNode summary = new ObjectMapper().valueToTree(Train.run(Train.parse(args)));
        assertEquals("airbench94", summary.at("/recipe").asText());
        assertEquals("airbench94", summary.at("/config/architecture").asText());
        assertEquals("PER_1024", summary.at("/config/learningRateUnit").asText());
        assertEquals(0.2, summary.at("/config/labelSmoothing").asDouble());
        assertTrue(summary.at("/config/lookahead").asBoolean());
        assertEquals(16, summary.at("/config/batchSize").asInt(), "the option overrides the recipe's 1024");
        assertEquals(1, summary.at("/config/epochs").asInt());
        // the file asks for the recipe's six-view test-time augmentation, and the summary scores it so
        ModelArchive exported = ModelFile.read(dir.resolve("m.cnn"));
        assertEquals(TestTimeAugmentation.HFLIP_TRANSLATE, exported.metadata().testTime());
        assertEquals("hflip-translate", summary.at("/final/heldOutWithTestTime/testTimeAugmentation").asText());
        assertEquals(6, summary.at("/final/heldOutWithTestTime/result/count").asInt());
        // without the views, the exported network (whitening, GELU, fixed-scale batch norm, scaled logits,
        // after lookahead) scores in pure Java what it scored in DL4J
        Path plain = dir.resolve("plain.cnn");
        ModelFile.write(plain, exported.metadata().with(exported.metadata().provenance(), TestTimeAugmentation.NONE),
                exported.tensors().values(), Dtype.F32);
        String[] evaluate = {"--data", data.toString(), "--held-out", "0.1", "--evaluate", plain.toString(),
            "--cache", dir.resolve("cache").toString()};
        JsonNode eval = new ObjectMapper().valueToTree(Train.run(Train.parse(evaluate)));
        assertEquals(summary.at("/final/heldOut/loss").asDouble(), eval.at("/evaluation/result/loss").asDouble(), 1e-4);

        var e = assertThrows(IllegalArgumentException.class,
                () -> Train.run(Train.parse(new String[] {"--data", data.toString(), "--recipe", "airbench95"})));
        assertTrue(e.getMessage().contains("unknown recipe 'airbench95'"), e.getMessage());
    }

    @Test
    void serveMergesScoresAndStampsTheFileItWrites(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("bins");
        Files.createDirectories(data);
        Files.write(data.resolve("data_batch_1.bin"), TestData.cifarRecords(new Random(3).ints(60, 0, 10).toArray()));
        String cache = dir.resolve("cache").toString();
        Train.run(Train.parse(new String[] {"--data", data.toString(), "--arch", "lenet5", "--folds", "0", "--epochs",
            "1", "--batch-size", "16", "--held-out", "0.2", "--export", dir.resolve("m.cnn").toString(), "--cache", cache}));
        String[] plainEval = {"--data", data.toString(), "--held-out", "0.2", "--evaluate", dir.resolve("m.cnn").toString(),
            "--cache", cache};
        JsonNode plain = new ObjectMapper().valueToTree(Train.run(Train.parse(plainEval)));

        // two copies of one network average to that network: the scores without the mirror are its own
        Path out = dir.resolve("served.cnn");
        JsonNode served = new ObjectMapper().valueToTree(Train.run(Train.parse(new String[] {"--data", data.toString(),
            "--held-out", "0.2", "--serve", out.toString(), "--members", dir.resolve("m.cnn") + "," + dir.resolve("m.cnn"),
            "--test-time", "hflip", "--export-dtype", "f16", "--cache", cache})));
        assertEquals(plain.at("/evaluation/result/accuracy").asDouble(),
                served.at("/served/withoutTestTime/accuracy").asDouble(), 1e-9);
        ModelArchive file = ModelFile.read(out);
        assertEquals(TestTimeAugmentation.HFLIP, file.metadata().testTime());
        Map<String, String> provenance = file.metadata().provenance();
        assertEquals(served.at("/served/withTestTime/accuracy").asDouble(), Double.parseDouble(provenance.get("accuracy")),
                1e-4);
        assertEquals(plain.at("/evaluation/result/accuracy").asDouble(),
                Double.parseDouble(provenance.get("accuracyWithoutTestTime")), 1e-4);
        assertEquals("12", provenance.get("heldOutImages"));
        assertTrue(Files.size(out) < 0.6 * Files.size(dir.resolve("m.cnn")) * 2, "F16 weights");

        var e = assertThrows(IllegalArgumentException.class, () -> Train.run(Train.parse(new String[] {"--data",
            data.toString(), "--serve", out.toString(), "--members", dir.resolve("m.cnn").toString(), "--cache", cache})));
        assertTrue(e.getMessage().contains("give --held-out"), e.getMessage());
    }
}
