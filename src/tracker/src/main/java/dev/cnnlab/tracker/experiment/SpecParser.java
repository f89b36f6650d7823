package dev.cnnlab.tracker.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnlab.tracker.api.ApiException;
import dev.cnnlab.tracker.api.Violation;
import dev.cnnlab.training.arch.Architectures;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a spec from JSON, collecting every problem with its field name instead of stopping at the
 * first, so a form can mark all of them at once. Unknown fields are errors: a misspelt
 * "batchsize" must not silently fall back to a default.
 */
public final class SpecParser {
    static final Set<String> FIELDS = Set.of("name", "description", "dataset", "subset", "heldOut",
            "architectures", "batchSizes", "learningRates", "epochs", "folds", "optimizer", "schedule",
            "weightDecay", "augmentation", "seed", "patience", "finalFit");
    static final List<String> OPTIMIZERS = List.of("adam", "sgd");
    static final List<String> SCHEDULES = List.of("constant", "step", "cosine", "onecycle");
    static final List<String> AUGMENTATIONS = List.of("none", "flip", "crop-flip", "crop-flip-cutout");
    static final int MAX_DESCRIPTION = 10_000;

    private final List<Violation> violations = new ArrayList<>();
    private final JsonNode body;

    private SpecParser(JsonNode body) {
        this.body = body;
    }

    /** Returns the spec, or throws a 400 {@link ApiException} listing every violation. */
    public static ExperimentSpec parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("the experiment spec must be a JSON object");
        }
        return new SpecParser(body).parse();
    }

    private ExperimentSpec parse() {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                violate(field, "is not a spec field (known: " + FIELDS.stream().sorted().toList() + ")");
            }
        }
        String name = text("name", null);
        if (name == null || name.isBlank()) {
            violate("name", "is required");
        } else if (name.length() > 200) {
            violate("name", "must be at most 200 characters, got " + name.length());
        }
        String description = text("description", "");
        if (description.length() > MAX_DESCRIPTION) {
            violate("description", "must be at most " + MAX_DESCRIPTION + " characters, got " + description.length());
        }
        String dataset = text("dataset", null);
        if (dataset == null || dataset.isBlank()) {
            violate("dataset", "is required: a class-per-folder image tree, a CIFAR-10 binary folder or 'cifar10'");
        } else if (!dataset.equals("cifar10")) {
            checkPath(dataset);
        }
        int subset = integer("subset", 0, 0, 10_000_000);
        int heldOut = integer("heldOut", 0, 0, 10_000_000);
        if (subset > 0 && heldOut >= subset) {
            violate("heldOut", "must be smaller than subset (" + subset + "), got " + heldOut);
        }
        Set<String> known = new HashSet<>(Architectures.names());
        List<String> architectures = list("architectures", null, JsonNode::isTextual, JsonNode::asText, "a name");
        for (int i = 0; i < architectures.size(); i++) {
            if (!known.contains(architectures.get(i))) {
                violate("architectures[" + i + "]", "unknown architecture '" + architectures.get(i)
                        + "', known: " + Architectures.names());
            }
        }
        List<Integer> batchSizes = list("batchSizes", null, JsonNode::canConvertToInt, JsonNode::asInt, "an integer");
        for (int i = 0; i < batchSizes.size(); i++) {
            if (batchSizes.get(i) < 1 || batchSizes.get(i) > 4096) {
                violate("batchSizes[" + i + "]", "must be between 1 and 4096, got " + batchSizes.get(i));
            }
        }
        List<Double> learningRates = list("learningRates", List.of(0.001), JsonNode::isNumber, JsonNode::asDouble, "a number");
        for (int i = 0; i < learningRates.size(); i++) {
            double lr = learningRates.get(i);
            if (!(lr > 0 && lr <= 10)) {
                violate("learningRates[" + i + "]", "must be in (0, 10], got " + lr);
            }
        }
        int epochs = integer("epochs", null, 1, 1000);
        int folds = integer("folds", null, 2, 20);
        String optimizer = choice("optimizer", "adam", OPTIMIZERS);
        String schedule = choice("schedule", "constant", SCHEDULES);
        double weightDecay = number("weightDecay", 0.0);
        if (!(weightDecay >= 0 && weightDecay < 1)) {
            violate("weightDecay", "must be >= 0 and < 1, got " + weightDecay);
        }
        String augmentation = choice("augmentation", "none", AUGMENTATIONS);
        long seed = 42;
        if (present("seed")) {
            JsonNode node = body.get("seed");
            if (node.isIntegralNumber() && node.canConvertToLong()) {
                seed = node.asLong();
            } else {
                violate("seed", "must be an integer, got " + node);
            }
        }
        int patience = integer("patience", 0, 0, 1000);
        boolean finalFit = false;
        if (present("finalFit")) {
            if (body.get("finalFit").isBoolean()) {
                finalFit = body.get("finalFit").asBoolean();
            } else {
                violate("finalFit", "must be true or false, got " + body.get("finalFit"));
            }
        }
        long grid = (long) architectures.size() * batchSizes.size() * learningRates.size();
        if (grid > ExperimentSpec.MAX_GRID) {
            violate("batchSizes", "the grid architectures x batchSizes x learningRates has " + grid
                    + " runs, at most " + ExperimentSpec.MAX_GRID + " are allowed");
        }
        if (!violations.isEmpty()) {
            throw ApiException.invalid(violations);
        }
        return new ExperimentSpec(name.trim(), description, dataset, subset, heldOut, architectures, batchSizes,
                learningRates, epochs, folds, optimizer, schedule, weightDecay, augmentation, seed, patience, finalFit);
    }

    private void checkPath(String dataset) {
        try {
            if (!Files.exists(Path.of(dataset))) {
                violate("dataset", "not found: " + dataset);
            }
        } catch (InvalidPathException e) {
            violate("dataset", "is not a valid path: " + e.getReason());
        }
    }

    private boolean present(String field) {
        return body.has(field) && !body.get(field).isNull();
    }

    private void violate(String field, String message) {
        violations.add(new Violation(field, message));
    }

    private String text(String field, String fallback) {
        if (!present(field)) {
            return fallback;
        }
        if (!body.get(field).isTextual()) {
            violate(field, "must be a string, got " + body.get(field));
            return fallback;
        }
        return body.get(field).asText();
    }

    /** An integer in [min, max]; fallback null means required. */
    private int integer(String field, Integer fallback, int min, int max) {
        if (!present(field)) {
            if (fallback == null) {
                violate(field, "is required (" + min + ".." + max + ")");
                return min;
            }
            return fallback;
        }
        JsonNode node = body.get(field);
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            violate(field, "must be an integer between " + min + " and " + max + ", got " + node);
            return min;
        }
        int value = node.asInt();
        if (value < min || value > max) {
            violate(field, "must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    private double number(String field, double fallback) {
        if (!present(field)) {
            return fallback;
        }
        if (!body.get(field).isNumber()) {
            violate(field, "must be a number, got " + body.get(field));
            return fallback;
        }
        return body.get(field).asDouble();
    }

    private String choice(String field, String fallback, List<String> allowed) {
        String value = text(field, fallback);
        if (!allowed.contains(value)) {
            violate(field, "must be one of " + allowed + ", got '" + value + "'");
        }
        return value;
    }

    /** A non-empty array whose items pass {@code ok}; fallback null means required. */
    private <T> List<T> list(String field, List<T> fallback, java.util.function.Predicate<JsonNode> ok,
                             Function<JsonNode, T> read, String what) {
        if (!present(field)) {
            if (fallback == null) {
                violate(field, "is required: a non-empty array");
                return List.of();
            }
            return fallback;
        }
        JsonNode node = body.get(field);
        if (!node.isArray() || node.isEmpty()) {
            violate(field, "must be a non-empty array, got " + node);
            return List.of();
        }
        List<T> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (ok.test(item) && !(what.equals("an integer") && !item.isIntegralNumber())) {
                T value = read.apply(item);
                if (values.contains(value)) {
                    violate(field + "[" + i + "]", "repeats " + value);
                }
                values.add(value);
            } else {
                violate(field + "[" + i + "]", "must be " + what + ", got " + item);
            }
        }
        return values;
    }
}
