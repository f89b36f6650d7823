package dev.cnnlab.tracker.study;

import dev.cnnlab.tracker.api.ApiException;
import dev.cnnlab.training.loop.ConfigSchema.Field;
import dev.cnnlab.training.loop.TrainingConfig;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The training fields the views can put on an axis: the names of {@link TrainingConfig#SCHEMA}, nothing restated. */
public final class Fields {
    static final List<String> NAMES = TrainingConfig.SCHEMA.fields().stream().map(Field::name).toList();

    /** Orders field values: numbers by value, before text, text alphabetically, null last. */
    static final Comparator<Object> VALUE_ORDER = Comparator.nullsLast((a, b) -> {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof Number != b instanceof Number) {
            return a instanceof Number ? -1 : 1;
        }
        return String.valueOf(a).compareTo(String.valueOf(b));
    });

    private Fields() {
    }

    /** The schema fields whose stored values differ between these runs, in schema order. */
    public static List<String> varying(List<Map<String, Object>> hyperparameters) {
        return NAMES.stream().filter(name -> hyperparameters.stream().map(hp -> value(hp, name)).distinct().count() > 1)
                .toList();
    }

    /** A stored value with numbers compared by value (JSON gives 32 back as Integer, 0.5 as Double). */
    static Object value(Map<String, Object> hyperparameters, String name) {
        Object v = hyperparameters == null ? null : hyperparameters.get(name);
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15 ? (Object) (long) d : d;
        }
        return v;
    }

    /** Names a run by the fields that vary, e.g. "batchSize 32, weightDecay 0.005"; "run 7" when none does. */
    public static String label(long runId, Map<String, Object> hyperparameters, List<String> varying) {
        String label = String.join(", ", varying.stream().map(f -> f + " " + text(value(hyperparameters, f))).toList());
        return label.isEmpty() ? "run " + runId : label;
    }

    /** 0.0005 rather than Java's 5.0E-4, as the UI prints the same value. */
    static String text(Object value) {
        return value instanceof Double d ? java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString()
                : String.valueOf(value);
    }

    /** The field as asked for (a 400 naming the known fields if it is not one), or the default. */
    static String check(String param, String asked, String fallback) {
        if (asked == null || asked.isBlank()) {
            return fallback;
        }
        String name = asked.trim();
        if (!NAMES.contains(name)) {
            throw ApiException.badRequest(param + " '" + asked + "' is not a training field; known: " + NAMES);
        }
        return name;
    }
}
