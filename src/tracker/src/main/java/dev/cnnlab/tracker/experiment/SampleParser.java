package dev.cnnlab.tracker.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnlab.tracker.experiment.Sample.Distribution;
import dev.cnnlab.tracker.experiment.Sample.Kind;
import dev.cnnlab.training.loop.ConfigSchema.Field;
import dev.cnnlab.training.loop.TrainingConfig;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Reads a spec's {@code "sample"} block (see {@link Sample}); every problem is recorded with its
 * path, e.g. {@code sample.fields.weightDecay.uniform[1]}. Fields, types and ranges come from
 * {@link TrainingConfig#SCHEMA} through the spec parser's own value check.
 */
final class SampleParser {
    static final Set<String> KEYS = Set.of("count", "seed", "fields");

    /** The spec parser's check of one value of a field: typed, or null after recording a violation. */
    interface ValueCheck {
        Object value(String where, JsonNode node, Field field);
    }

    private final BiConsumer<String, String> violate;
    private final ValueCheck check;
    private int errors;

    SampleParser(BiConsumer<String, String> violate, ValueCheck check) {
        this.violate = violate;
        this.check = check;
    }

    /**
     * @param taken fields the spec already sets (as a scalar or in the grid): sampling them too is an error
     * @return the sample, or null when the block is bad (the violations say why)
     */
    Sample parse(JsonNode node, long defaultSeed, Set<String> taken) {
        if (!node.isObject()) {
            violate.accept("sample", "must be an object {\"count\": N, \"seed\": S, \"fields\": {field: {\"uniform\": [low, high]}}}, got " + node);
            return null;
        }
        int before = errors;
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                fail("sample." + key, "is not a sample key (known: " + KEYS.stream().sorted().toList() + ")");
            }
        }
        JsonNode count = node.path("count");
        if (!count.canConvertToInt() || !count.isIntegralNumber() || count.asInt() < 1 || count.asInt() > ExperimentSpec.MAX_GRID) {
            fail("sample.count", "must be an integer between 1 and " + ExperimentSpec.MAX_GRID + ", got " + count);
        }
        JsonNode seed = node.path("seed");
        if (!seed.isMissingNode() && !seed.isNull() && !(seed.isIntegralNumber() && seed.canConvertToLong())) {
            fail("sample.seed", "must be an integer, got " + seed);
        }
        JsonNode fields = node.path("fields");
        Map<String, Distribution> distributions = new LinkedHashMap<>();
        if (!fields.isObject() || fields.isEmpty()) {
            fail("sample.fields", "must map training fields to distributions, e.g. {\"learningRate\": {\"logUniform\": [1e-4, 0.1]}}, got " + fields);
        } else {
            for (Iterator<String> it = fields.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                distribution(name, fields.get(name), taken).ifPresent(d -> distributions.put(name, d));
            }
        }
        if (errors > before) {
            return null;
        }
        return new Sample(count.asInt(), seed.isIntegralNumber() ? seed.asLong() : defaultSeed, distributions);
    }

    private Optional<Distribution> distribution(String name, JsonNode node, Set<String> taken) {
        String where = "sample.fields." + name;
        Optional<Field> field = TrainingConfig.SCHEMA.field(name).filter(f -> !SpecParser.DERIVED.contains(f.name()));
        if (field.isEmpty()) {
            fail(where, "is not a training field (known: " + TrainingConfig.SCHEMA.fields().stream().map(Field::name)
                    .filter(n -> !SpecParser.DERIVED.contains(n)).toList() + ")");
            return Optional.empty();
        }
        if (taken.contains(name)) {
            fail(where, "is set twice: the spec also sets " + name + " (as a value, a list or in the grid)");
            return Optional.empty();
        }
        if (!node.isObject() || node.size() != 1) {
            fail(where, "must be one of {\"uniform\": [low, high]}, {\"logUniform\": [low, high]}, {\"choice\": [values]}, got " + node);
            return Optional.empty();
        }
        String key = node.fieldNames().next();
        Kind kind = java.util.Arrays.stream(Kind.values()).filter(k -> k.key.equals(key)).findFirst().orElse(null);
        if (kind == null) {
            fail(where + "." + key, "is not a distribution (known: " + Kind.keys() + ")");
            return Optional.empty();
        }
        JsonNode args = node.get(key);
        where += "." + key;
        boolean numeric = field.get().kind().equals("integer") || field.get().kind().equals("number");
        if (kind != Kind.CHOICE && !numeric) {
            fail(where, name + " is " + (field.get().type().isEnum() ? "one of " + field.get().values() : "not a number")
                    + ": draw it with {\"choice\": [...]}");
            return Optional.empty();
        }
        if (!args.isArray() || (kind == Kind.CHOICE ? args.isEmpty() : args.size() != 2)) {
            fail(where, (kind == Kind.CHOICE ? "must be a non-empty array of values" : "must be [low, high]") + ", got " + args);
            return Optional.empty();
        }
        int before = errors;
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            Object v = check.value(where + "[" + i + "]", args.get(i), field.get());
            if (v == null) {
                errors++; // the check recorded why
            } else if (kind == Kind.CHOICE && values.contains(v)) {
                fail(where + "[" + i + "]", "repeats " + v);
            }
            values.add(v);
        }
        if (errors > before) {
            return Optional.empty();
        }
        if (kind != Kind.CHOICE) {
            double low = ((Number) values.get(0)).doubleValue();
            double high = ((Number) values.get(1)).doubleValue();
            if (!(low < high)) {
                fail(where, "needs low < high, got [" + args.get(0) + ", " + args.get(1) + "]");
                return Optional.empty();
            }
            if (kind == Kind.LOG_UNIFORM && low <= 0) {
                fail(where + "[0]", "must be > 0 for a log-uniform draw, got " + args.get(0));
                return Optional.empty();
            }
        }
        return Optional.of(new Distribution(kind, field.get(), List.copyOf(values)));
    }

    private void fail(String where, String message) {
        errors++;
        violate.accept(where, message);
    }
}
