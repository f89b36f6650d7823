package dev.cnnlab.tracker.run;

import dev.cnnlab.training.loop.TrainingConfig;
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
