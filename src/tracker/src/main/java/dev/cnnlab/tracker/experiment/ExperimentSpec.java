package dev.cnnlab.tracker.experiment;

import dev.cnnlab.training.loop.ConfigSchema;
import dev.cnnlab.training.loop.TrainingConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated experiment spec with every default filled in (see {@link SpecParser}): the base
 * training config, and the grid architectures x batchSizes x learningRates over it; each grid point
 * is one run of {@code folds} folds.
 */
public record ExperimentSpec(String name, String description, String dataset, int heldOut, boolean finalFit,
                             List<String> architectures, List<Integer> batchSizes, List<Double> learningRates,
                             TrainingConfig base) {
    public static final int MAX_GRID = 500;

    public int gridSize() {
        return architectures.size() * batchSizes.size() * learningRates.size();
    }

    /** One config per grid point, architectures outermost. */
    public List<TrainingConfig> points() {
        List<TrainingConfig> points = new ArrayList<>();
        for (String architecture : architectures) {
            for (int batchSize : batchSizes) {
                for (double learningRate : learningRates) {
                    points.add(base.toBuilder().setArchitecture(architecture).optBatchSize(batchSize)
                            .optLearningRate(learningRate).build());
                }
            }
        }
        return points;
    }

    public int subset() {
        return base.subset();
    }

    public int epochs() {
        return base.epochs();
    }

    public int folds() {
        return base.folds();
    }

    public long seed() {
        return base.seed();
    }

    public String optimizer() {
        return ConfigSchema.id(base.optimizer());
    }

    /** The spec as stored in experiments.spec and returned by GET /api/experiments/{id}. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", name);
        map.put("description", description);
        map.put("dataset", dataset);
        map.put("heldOut", heldOut);
        map.put("finalFit", finalFit);
        map.put("architectures", architectures);
        map.put("batchSizes", batchSizes);
        map.put("learningRates", learningRates);
        TrainingConfig.SCHEMA.toJson(base).forEach((field, value) -> {
            if (SpecParser.SCALARS.contains(field)) {
                map.put(field, value);
            }
        });
        return map;
    }
}
