package dev.cnnlab.training.recipe;

import dev.cnnlab.inference.format.TestTimeAugmentation;
import dev.cnnlab.training.data.Augmentation;
import dev.cnnlab.training.loop.LearningRateUnit;
import dev.cnnlab.training.loop.Optimizer;
import dev.cnnlab.training.loop.Schedule;
import dev.cnnlab.training.loop.TrainingConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The built-in recipes, by name. Each holds out 10% of the data (seeded) and trains one final model. */
public final class Recipes {
    private static final Map<String, Recipe> ALL = new LinkedHashMap<>();

    static {
        add(new Recipe("airbench94",
                "airbench94 in DL4J: 10 epochs at batch 1024, 118 M multiply-adds per image, 6-view TTA",
                "K. Jordan, 94% on CIFAR-10 in 3.29 Seconds on a Single GPU, arXiv:2404.00498; "
                        + "github.com/KellerJordan/cifar10-airbench airbench94.py (9.9 epochs there)",
                TrainingConfig.builder("airbench94").optBatchSize(1024).optEpochs(10).optOptimizer(Optimizer.SGD)
                        .optLearningRate(11.5).set("learningRateUnit", LearningRateUnit.PER_1024)
                        .optWeightDecay(0.0153).set("momentum", 0.85).set("batchNormLrScale", 64.0)
                        .set("labelSmoothing", 0.2).set("lookahead", true).optSchedule(Schedule.TRIANGLE)
                        .optAugmentation(Augmentation.ALTERNATING_FLIP_TRANSLATE).optHeldOutFraction(0.1).build(),
                TestTimeAugmentation.HFLIP_TRANSLATE));
        add(resnet20("resnet20-long", 80, 5e-3,
                "resnet20, 80 epochs of one-cycle SGD: 88.34% held out, 89.44% flip-averaged (models/resnet20)"));
        add(resnet20("resnet20-e30", 30, 5e-3, "resnet20, 30 epochs: 87.28% held out; a member of models/default"));
        add(resnet20("resnet20-e40", 40, 5e-4, "resnet20, 40 epochs, weight decay 5e-4: 87.14% held out; "
                + "a member of models/default"));
    }

    private Recipes() {
    }

    private static Recipe resnet20(String name, int epochs, double weightDecay, String description) {
        return new Recipe(name, description, "cnnlab (src/training/README.md); K. He et al., CVPR 2016",
                TrainingConfig.builder("resnet20").optBatchSize(128).optEpochs(epochs).optOptimizer(Optimizer.SGD)
                        .optLearningRate(0.2).optSchedule(Schedule.ONECYCLE).optWeightDecay(weightDecay)
                        .optAugmentation(Augmentation.CROP_FLIP).optHeldOutFraction(0.1).build(),
                TestTimeAugmentation.HFLIP);
    }

    private static void add(Recipe r) {
        ALL.put(r.name(), r);
    }

    /** The recipe names, in order. */
    public static List<String> names() {
        return new ArrayList<>(ALL.keySet());
    }

    /**
     * Returns the named recipe.
     *
     * @throws IllegalArgumentException naming the unknown recipe and the known ones
     */
    public static Recipe get(String name) {
        Recipe r = ALL.get(name);
        if (r == null) {
            throw new IllegalArgumentException("unknown recipe '" + name + "', known: " + names());
        }
        return r;
    }
}
