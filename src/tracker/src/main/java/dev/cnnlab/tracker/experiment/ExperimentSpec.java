package dev.cnnlab.tracker.experiment;

import dev.cnnlab.tracker.compare.Pruning;
import dev.cnnlab.tracker.search.Asha;
import dev.cnnlab.training.loop.ConfigSchema;
import dev.cnnlab.training.loop.TrainingConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated experiment spec with every default filled in (see {@link SpecParser}): the base
 * training config, a grid over any of its fields (field to typed values, outermost first) and an
 * optional seeded {@link Sample} (null without one). Each point of grid x samples is one run of
 * {@code folds} folds. {@code pruning} (null without it) cancels the folds of runs that have lost;
 * {@code search} (null without it) runs ASHA over the runs, stopping those that lose at a rung.
 */
public record ExperimentSpec(String name, String description, String dataset, int heldOut, boolean finalFit,
                             TrainingConfig base, Map<String, List<Object>> grid, Sample sample, Pruning pruning,
                             Asha search) {
    public static final int MAX_GRID = 500;

    /** The number of runs: grid points times samples. */
    public int gridSize() {
        return grid.values().stream().mapToInt(List::size).reduce(1, (a, b) -> a * b) * (sample == null ? 1 : sample.count());
    }

    /** One config per run: the grid points, the first grid field outermost, each with every sample in draw order. */
    public List<TrainingConfig> points() {
        List<TrainingConfig> points = gridPoints();
        if (sample == null) {
            return points;
        }
        List<Map<String, Object>> draws = sample.draw();
        List<TrainingConfig> sampled = new ArrayList<>();
        for (TrainingConfig point : points) {
            for (Map<String, Object> draw : draws) {
                TrainingConfig.Builder b = point.toBuilder();
                draw.forEach(b::set);
                sampled.add(b.build());
            }
        }
        return sampled;
    }

    private List<TrainingConfig> gridPoints() {
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

    /** The values a field takes over the runs: its grid list, its distinct draws, or the base value. */
    public List<Object> values(String field) {
        if (sample != null && sample.fields().containsKey(field)) {
            return sample.draw().stream().map(d -> d.get(field)).distinct().toList();
        }
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
        SpecParser.SWEPT.forEach((list, field) -> {
            if (sample == null || !sample.fields().containsKey(field)) {
                map.put(list, values(field));
            }
        });
        TrainingConfig.SCHEMA.toJson(base).forEach((field, value) -> {
            if (SpecParser.SCALARS.contains(field) && !grid.containsKey(field)
                    && (sample == null || !sample.fields().containsKey(field))) {
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
        if (sample != null) {
            map.put("sample", sample.toJson());
        }
        if (pruning != null) {
            map.put("pruning", pruning.toJson());
        }
        if (search != null) {
            map.put("search", search.toJson());
        }
        return map;
    }
}
