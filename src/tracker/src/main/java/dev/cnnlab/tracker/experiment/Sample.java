package dev.cnnlab.tracker.experiment;

import dev.cnnlab.training.loop.ConfigSchema;
import dev.cnnlab.training.loop.ConfigSchema.Field;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The {@code "sample"} block of a spec: {@code count} seeded random points, each drawing every
 * listed training field from its distribution. Combined with a grid it gives grid x samples: every
 * grid point is trained with every sample.
 *
 * <pre>
 * "sample": {"count": 8, "seed": 1, "fields": {
 *     "learningRate": {"logUniform": [1e-4, 1e-1]},
 *     "weightDecay":  {"uniform": [0, 1e-2]},
 *     "augmentation": {"choice": ["crop-flip", "crop-flip-cutout"]}}}
 * </pre>
 *
 * <p>Draws use {@link java.util.Random} (its algorithm is fixed by the JDK's specification) seeded
 * with {@code seed} (default: the spec's seed), sample by sample and, within a sample, field by
 * field in the order given, so the same spec always gives the same runs. A drawn real number is
 * rounded to 4 significant digits (kept unrounded if rounding would leave the field's range), so
 * a run's value reads as it is stored; an integer field draws integers, bounds included.
 *
 * @param fields field to distribution, in draw order
 */
public record Sample(int count, long seed, Map<String, Distribution> fields) {
    static final MathContext DIGITS = new MathContext(4);

    /** How one field is drawn; {@code bounds} are [low, high] for the ranges, the values for choice. */
    public record Distribution(Kind kind, Field field, List<Object> bounds) {
        Object draw(Random random) {
            if (kind == Kind.CHOICE) {
                return bounds.get(random.nextInt(bounds.size()));
            }
            double low = ((Number) bounds.get(0)).doubleValue();
            double high = ((Number) bounds.get(1)).doubleValue();
            boolean integer = field.kind().equals("integer");
            if (kind == Kind.UNIFORM && integer) {
                long n = (long) low + (long) Math.floor(random.nextDouble() * ((long) high - (long) low + 1));
                return field.type() == int.class ? (Object) (int) n : n;
            }
            double u = random.nextDouble();
            double x = kind == Kind.UNIFORM ? low + (high - low) * u
                    : Math.exp(Math.log(low) + (Math.log(high) - Math.log(low)) * u);
            if (integer) {
                long n = Math.max((long) low, Math.min((long) high, Math.round(x)));
                return field.type() == int.class ? (Object) (int) n : n;
            }
            double rounded = new BigDecimal(x).round(DIGITS).doubleValue();
            return rounded >= low && rounded <= high && field.problem(rounded).isEmpty() ? rounded : x;
        }

        /** As written in a spec: {"logUniform": [1e-4, 0.1]}. */
        Map<String, Object> toJson() {
            return Map.of(kind.key, bounds.stream().map(v -> v instanceof Enum<?> e ? ConfigSchema.id(e) : v).toList());
        }
    }

    /** The distributions, by the key a spec names them with. */
    public enum Kind {
        UNIFORM("uniform"), LOG_UNIFORM("logUniform"), CHOICE("choice");

        final String key;

        Kind(String key) {
            this.key = key;
        }

        static List<String> keys() {
            return java.util.Arrays.stream(values()).map(k -> k.key).toList();
        }
    }

    /** The {@code count} points, each field to its typed value, in draw order. */
    public List<Map<String, Object>> draw() {
        Random random = new Random(seed);
        List<Map<String, Object>> points = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, Object> point = new LinkedHashMap<>();
            fields.forEach((name, distribution) -> point.put(name, distribution.draw(random)));
            points.add(point);
        }
        return points;
    }

    /** As stored in experiments.spec, with the seed resolved. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("count", count);
        json.put("seed", seed);
        Map<String, Object> f = new LinkedHashMap<>();
        fields.forEach((name, d) -> f.put(name, d.toJson()));
        json.put("fields", f);
        return json;
    }
}
