package dev.cnnlab.tracker.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated experiment spec with every default filled in (see {@link SpecParser}). The grid is
 * architectures x batchSizes x learningRates; each grid point is one run of {@code folds} folds.
 */
public record ExperimentSpec(String name, String description, String dataset, int subset, int heldOut,
                             List<String> architectures, List<Integer> batchSizes, List<Double> learningRates,
                             int epochs, int folds, String optimizer, String schedule, double weightDecay,
                             String augmentation, long seed, int patience, boolean finalFit) {
    public static final int MAX_GRID = 500;

    public int gridSize() {
        return architectures.size() * batchSizes.size() * learningRates.size();
    }

    /** The spec as stored in experiments.spec and returned by GET /api/experiments/{id}. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", name);
        map.put("description", description);
        map.put("dataset", dataset);
        map.put("subset", subset);
        map.put("heldOut", heldOut);
        map.put("architectures", architectures);
        map.put("batchSizes", batchSizes);
        map.put("learningRates", learningRates);
        map.put("epochs", epochs);
        map.put("folds", folds);
        map.put("optimizer", optimizer);
        map.put("schedule", schedule);
        map.put("weightDecay", weightDecay);
        map.put("augmentation", augmentation);
        map.put("seed", seed);
        map.put("patience", patience);
        map.put("finalFit", finalFit);
        return map;
    }
}
