package dev.cnnlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cnnlab.training.data.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
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
        assertTrue(export.startsWith("skipped") || Files.exists(dir.resolve("m.cnn")), export);

        // Rerunning the same command resumes from the checkpoints: same results, nothing retrained.
        JsonNode second = json.valueToTree(Train.run(Train.parse(args)));
        assertEquals(first.at("/crossValidation/meanAccuracy"), second.at("/crossValidation/meanAccuracy"));
        assertEquals(first.at("/final/heldOut/accuracy"), second.at("/final/heldOut/accuracy"));
        assertEquals(first.at("/final/training/seconds"), second.at("/final/training/seconds"));
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
    }
}
