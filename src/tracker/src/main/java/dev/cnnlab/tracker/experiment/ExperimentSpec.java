package dev.cnnlab.tracker.experiment;

import dev.cnnlab.training.loop.ConfigSchema;
import dev.cnnlab.training.loop.TrainingConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated experiment spec with every default filled in (see {@link SpecParser}): the base
 * training config and a grid over any of its fields (field to typed values, outermost first). Each
 * grid point is one run of {@code folds} folds.
 */
public record ExperimentSpec(String name, String description, String dataset, int heldOut, boolean finalFit,
                             TrainingConfig base, Map<String, List<Object>> grid) {
    public static final int MAX_GRID = 500;

    public int gridSize() {
        return grid.values().stream().mapToInt(List::size).reduce(1, (a, b) -> a * b);
    }

    /** One config per grid point, the first grid field outermost. */
    public List<TrainingConfig> points() {
        List<TrainingConfig> points = new ArrayList<>(List.of(base));
        grid.forEach((field, values) -> {
            List<TrainingConfig> next = new ArrayList<>();
            for (TrainingConfig point : points) {
                values.forEach(v -> next.add(point.toBuilder().set(field, v).build()));
            }
            points.clear();
            points.addAll(next);
        });
        return points;
    }

    /** The values a field takes over the grid: its list, or the base value if it is not swept. */
    public List<Object> values(String field) {
        return grid.containsKey(field) ? grid.get(field)
                : List.of(TrainingConfig.SCHEMA.values(base).get(field));
    }

    @SuppressWarnings("unchecked")
    public List<String> architectures() {
        return (List<String>) (List<?>) values("architecture");
    }

    @SuppressWarnings("unchecked")
    public List<Integer> batchSizes() {
        return (List<Integer>) (List<?>) values("batchSize");
    }

    @SuppressWarnings("unchecked")
    public List<Double> learningRates() {
        return (List<Double>) (List<?>) values("learningRate");
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

    /**
     * The spec as stored in experiments.spec and returned by GET /api/experiments/{id}: architectures,
     * batchSizes and learningRates always as lists (the UI reads them), every other swept field under grid.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", name);
        map.put("description", description);
        map.put("dataset", dataset);
        map.put("heldOut", heldOut);
        map.put("finalFit", finalFit);
        SpecParser.SWEPT.forEach((list, field) -> map.put(list, values(field)));
        TrainingConfig.SCHEMA.toJson(base).forEach((field, value) -> {
            if (SpecParser.SCALARS.contains(field) && !grid.containsKey(field)) {
                map.put(field, value);
            }
        });
        Map<String, Object> rest = new LinkedHashMap<>();
        grid.forEach((field, values) -> {
            if (!SpecParser.SWEPT.containsValue(field)) {
                rest.put(field, values.stream().map(v -> v instanceof Enum<?> e ? ConfigSchema.id(e) : v).toList());
            }
        });
        if (!rest.isEmpty()) {
            map.put("grid", rest);
        }
        return map;
    }
}
