package dev.cnnlab.tracker.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cnnlab.training.recipe.Recipes;
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
            assertEquals(List.of(preset.recipe() == null ? "keras-cifar10" : preset.recipe()), spec.architectures());
            assertEquals(3, spec.folds());
            assertTrue(spec.finalFit(), name);
        });
    }

    @Test
    void studyCoversThePapersFourBatchSizes() {
        assertEquals(List.of(32, 64, 128, 256), PresetSubmitter.PRESETS.get("batch-size-study").batchSizes());
    }

    @Test
    void airbenchStudyTrainsTheRecipeAtFourBatchSizes() {
        PresetSubmitter.Preset p = PresetSubmitter.PRESETS.get("airbench-batch-size-study");
        ExperimentSpec spec = SpecParser.parse(json.valueToTree(PresetSubmitter.spec("airbench-batch-size-study", p,
                dataset.toString(), p.subset(), p.heldOut(), p.epochs())));
        assertEquals(List.of(256, 512, 1024, 2048), spec.batchSizes());
        assertEquals(Recipes.get("airbench94").config().toBuilder().optFolds(3).optHeldOutFraction(0).build(),
                spec.base().toBuilder().optBatchSize(1024).build());
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
