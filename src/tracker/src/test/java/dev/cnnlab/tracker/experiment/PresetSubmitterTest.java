package dev.cnnlab.tracker.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PresetSubmitterTest {
    private final ObjectMapper json = new ObjectMapper();
    @TempDir
    Path dataset;

    @Test
    void everyPresetIsAValidSpec() {
        PresetSubmitter.PRESETS.forEach((name, preset) -> {
            ExperimentSpec spec = SpecParser.parse(json.valueToTree(PresetSubmitter.spec(
                    name, preset, dataset.toString(), preset.subset(), preset.heldOut(), preset.epochs())));
            assertEquals(name, spec.name());
            assertEquals(preset.batchSizes(), spec.batchSizes());
            assertEquals(List.of("keras-cifar10"), spec.architectures());
            assertEquals(3, spec.folds());
            assertTrue(spec.finalFit(), name);
        });
    }

    @Test
    void studyCoversThePapersFourBatchSizes() {
        assertEquals(List.of(32, 64, 128, 256), PresetSubmitter.PRESETS.get("batch-size-study").batchSizes());
    }

    @Test
    void overriddenScaleIsUsed() {
        PresetSubmitter.Preset quick = PresetSubmitter.PRESETS.get("paper-quick");
        ExperimentSpec spec = SpecParser.parse(json.valueToTree(
                PresetSubmitter.spec("paper-quick", quick, dataset.toString(), 1200, 200, 2)));
        assertEquals(1200, spec.subset());
        assertEquals(200, spec.heldOut());
        assertEquals(2, spec.epochs());
    }
}
