package dev.cnnlab.tracker.run;

import dev.cnnlab.training.loop.ConfigSchema;
import dev.cnnlab.training.loop.ConfigSchema.Field;
import dev.cnnlab.training.loop.TrainingConfig;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What runs.hyperparameters holds: the run's training config in {@link TrainingConfig#SCHEMA}'s
 * JSON form, plus the data set and the held-out image count. The held-out share is left out: the
 * worker derives it from the image count once it knows the data's size. The spec writes it and the
 * worker reads it back through this one codec.
 */
public record RunSettings(String dataset, int heldOut, TrainingConfig config) {
    static final String HELD_OUT_SHARE = "heldOutFraction";

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>(TrainingConfig.SCHEMA.toJson(config));
        json.remove(HELD_OUT_SHARE);
        json.put("dataset", dataset);
        json.put("heldOut", heldOut);
        return json;
    }

    /** The training fields a stored row holds, in schema order. */
    public static List<String> trainingFields() {
        return TrainingConfig.SCHEMA.fields().stream().map(Field::name).filter(f -> !f.equals(HELD_OUT_SHARE)).toList();
    }

    public static boolean isTrainingField(String name) {
        return trainingFields().contains(name);
    }

    /**
     * A filter value from a query parameter, in the stored JSON form (a number, or the enum id / text).
     *
     * @throws IllegalArgumentException naming the field when the text is not a value of it
     */
    public static Object jsonValue(String field, String text) {
        Field f = TrainingConfig.SCHEMA.field(field).orElseThrow(() -> new IllegalArgumentException(field
                + " is not a training field"));
        Object value = f.parse(field, text.trim());
        f.problem(value).ifPresent(problem -> {
            throw new IllegalArgumentException(field + " " + problem);
        });
        return value instanceof Enum<?> e ? ConfigSchema.id(e) : value;
    }

    /** Reads a stored row; fields it predates take their defaults. */
    public static RunSettings fromJson(Map<String, Object> json) {
        Map<String, Object> values = new LinkedHashMap<>(json);
        values.remove(HELD_OUT_SHARE);
        Object heldOut = json.getOrDefault("heldOut", 0);
        return new RunSettings((String) json.get("dataset"), ((Number) heldOut).intValue(),
                TrainingConfig.SCHEMA.fromJson(values));
    }

    /** The config to train with on data of {@code dataSize} images: heldOut becomes a share of the images used. */
    public TrainingConfig config(int dataSize) {
        int used = config.subset() > 0 ? Math.min(config.subset(), dataSize) : dataSize;
        if (heldOut >= used) {
            throw new IllegalArgumentException("heldOut (" + heldOut + ") must be smaller than the " + used
                    + " images used");
        }
        return config.toBuilder().optHeldOutFraction(heldOut == 0 ? 0 : (double) heldOut / used).build();
    }
}
