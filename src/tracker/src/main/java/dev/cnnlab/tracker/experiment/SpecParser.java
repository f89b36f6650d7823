package dev.cnnlab.tracker.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnlab.tracker.api.ApiException;
import dev.cnnlab.tracker.api.Violation;
import dev.cnnlab.tracker.compare.Pruning;
import dev.cnnlab.tracker.search.Asha;
import dev.cnnlab.training.arch.Architectures;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import dev.cnnlab.training.loop.ConfigSchema.Field;
import dev.cnnlab.training.loop.ConfigSchema.Range;
import dev.cnnlab.training.loop.TrainingConfig;
import dev.cnnlab.training.recipe.Recipes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads a spec from JSON, collecting every problem with its field name instead of stopping at the
 * first, so a form can mark all of them at once. Unknown fields are errors: a misspelt
 * "batchsize" must not silently fall back to a default.
 *
 * <p>The training fields, their types, defaults, ranges and allowed values come from
 * {@link TrainingConfig#SCHEMA}; this class adds only what is the tracker's own: the spec's name,
 * data set, held-out image count and final fit, the swept lists, fold pruning ({@link Pruning#parse}),
 * ASHA's search ({@link Asha#parse}) and the rules below.
 */
public final class SpecParser {
    /** Spec fields that are not training fields. */
    static final Set<String> OWN = Set.of("name", "description", "dataset", "heldOut", "finalFit", "grid", "sample",
            "recipe", "pruning", "search");
    /** Training fields swept by the first specs, as a list under a plural name: kept as a shorthand for grid. */
    static final Map<String, String> SWEPT = Map.of("architectures", "architecture", "batchSizes", "batchSize",
            "learningRates", "learningRate");
    /** The held-out share follows from heldOut (images) and the data's size, so a spec does not set it. */
    static final Set<String> DERIVED = Set.of("heldOutFraction");
    /** Training fields a spec sets once for all its runs. */
    static final Set<String> SCALARS = TrainingConfig.SCHEMA.fields().stream().map(Field::name)
            .filter(f -> !SWEPT.containsValue(f) && !DERIVED.contains(f)).collect(Collectors.toUnmodifiableSet());
    static final Set<String> FIELDS = Stream.of(OWN, SWEPT.keySet(), SCALARS).flatMap(Set::stream)
            .collect(Collectors.toUnmodifiableSet());
    /** An experiment says how long it trains and on what; the command line has defaults for these. */
    static final Set<String> REQUIRED = Set.of("epochs", "folds", "architectures", "batchSizes");
    /** A tracked run always cross-validates, one job per fold: at least 2 folds, not the CLI's 1. */
    static final Map<String, Range> NARROWED = Map.of("folds", Range.parse("[2, 20]"));
    static final Range HELD_OUT = Range.parse("[0, 10000000]");
    static final int MAX_DESCRIPTION = 10_000;

    private final List<Violation> violations = new ArrayList<>();
    private final JsonNode body;
    /** What an absent training field takes: the schema's defaults, or a named recipe's settings. */
    private Map<String, Object> defaults = TrainingConfig.SCHEMA.defaults();
    private boolean fromRecipe;

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

    /** The spec field that sets a training field: its plural for a swept one, else its own name. */
    static String specField(String field) {
        return SWEPT.entrySet().stream().filter(e -> e.getValue().equals(field)).map(Map.Entry::getKey)
                .findFirst().orElse(field);
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
        Map<String, Object> base = new LinkedHashMap<>();
        if (present("recipe")) { // a recipe's settings replace the defaults; the spec may still set any field
            try {
                defaults = TrainingConfig.SCHEMA.values(Recipes.get(text("recipe", "")).config());
                DERIVED.forEach(defaults::remove);
                base.putAll(defaults);
                fromRecipe = true;
            } catch (IllegalArgumentException e) {
                violate("recipe", e.getMessage());
            }
        }
        for (Field field : TrainingConfig.SCHEMA.fields()) {
            if (SCALARS.contains(field.name()) && !body.path("grid").has(field.name())) {
                Object value = scalar(field);
                if (value != null) {
                    base.put(field.name(), value);
                }
            }
        }
        Object heldOutValue = scalar(new Field("heldOut", int.class, 0, HELD_OUT, "held-out images", "heldOut"));
        int heldOut = heldOutValue == null ? 0 : (int) heldOutValue;
        int subset = (int) base.getOrDefault("subset", 0);
        if (subset > 0 && heldOut >= subset) {
            violate("heldOut", "must be smaller than subset (" + subset + "), got " + heldOut);
        }
        // the grid: the legacy lists first (architectures outermost), then "grid" in the order given
        Map<String, List<Object>> grid = new LinkedHashMap<>();
        for (String list : List.of("architectures", "batchSizes", "learningRates")) {
            String field = SWEPT.get(list);
            boolean inGrid = body.path("grid").has(field);
            if (!present(list) && (inGrid || !required(list))) {
                continue;
            }
            List<Object> values = list(list);
            if (inGrid) {
                violate("grid." + field, "is set twice: also as " + list);
            }
            grid.put(field, values);
        }
        if (present("grid")) {
            JsonNode node = body.get("grid");
            if (!node.isObject() || node.isEmpty()) {
                violate("grid", "must be an object mapping training fields to lists of values, e.g. "
                        + "{\"weightDecay\": [5e-4, 5e-3]}, got " + node);
            }
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                Optional<Field> field = TrainingConfig.SCHEMA.field(key).filter(f -> !DERIVED.contains(f.name()));
                if (field.isEmpty()) {
                    violate("grid." + key, "is not a training field (known: " + TrainingConfig.SCHEMA.fields().stream()
                            .map(Field::name).filter(n -> !DERIVED.contains(n)).toList() + ")");
                } else if (present(key)) {
                    violate("grid." + key, "is set twice: also as " + key);
                } else if (!grid.containsKey(key)) {
                    grid.put(key, items("grid." + key, node.get(key), field.get()));
                }
            }
        }
        boolean finalFit = false;
        if (present("finalFit")) {
            if (body.get("finalFit").isBoolean()) {
                finalFit = body.get("finalFit").asBoolean();
            } else {
                violate("finalFit", "must be true or false, got " + body.get("finalFit"));
            }
        }
        Sample sample = null;
        if (present("sample")) {
            Set<String> taken = new java.util.HashSet<>(grid.keySet());
            SCALARS.stream().filter(this::present).forEach(taken::add);
            sample = new SampleParser(this::violate, this::value).parse(body.get("sample"),
                    (long) base.getOrDefault("seed", TrainingConfig.SCHEMA.defaults().get("seed")), taken);
        }
        // checked against the fewest folds a run has: folds x repeats, either of which may be swept
        Integer folds = fewest("folds", grid, base);
        Integer repeats = fewest("repeats", grid, base);
        Pruning pruning = present("pruning") && folds != null && repeats != null
                ? Pruning.parse(body.get("pruning"), folds * repeats, this::violate) : null;
        Integer epochs = fewest("epochs", grid, base);
        Asha search = present("search") && epochs != null ? Asha.parse(body.get("search"), epochs, this::violate) : null;
        if (present("search") && present("pruning")) {
            // pruning pairs a run's succeeded folds with a finished run's; under ASHA a fold succeeds at
            // every rung, so it would compare a rung's accuracies with a finished run's
            violate("search", "cannot be combined with pruning: ASHA already stops the runs that lose at a rung");
        }
        long runs = grid.values().stream().mapToLong(List::size).reduce(1, (a, b) -> a * b);
        long samples = sample == null ? 1 : sample.count();
        if (runs * samples > ExperimentSpec.MAX_GRID) {
            violate("grid", "the grid " + String.join(" x ", grid.keySet()) + (sample == null ? "" : " x " + samples
                    + " samples") + " has " + runs * samples + " runs, at most " + ExperimentSpec.MAX_GRID + " are allowed");
        }
        if (!violations.isEmpty()) {
            throw ApiException.invalid(violations);
        }
        grid.forEach((field, values) -> base.put(field, values.get(0)));
        return new ExperimentSpec(name.trim(), description, dataset, heldOut, finalFit,
                TrainingConfig.SCHEMA.create(base), grid, sample, pruning, search);
    }

    /** The smallest value an integer field takes over the runs; null when it is invalid (already a violation). */
    private static Integer fewest(String field, Map<String, List<Object>> grid, Map<String, Object> base) {
        return grid.containsKey(field) ? grid.get(field).stream().filter(Integer.class::isInstance)
                .map(Integer.class::cast).min(Integer::compare).orElse(null)
                : base.get(field) instanceof Integer value ? value : null;
    }

    /** One value of a training field, typed, or null (a violation is recorded) when it is bad or missing. */
    private Object scalar(Field field) {
        String name = field.name();
        if (!present(name)) {
            if (required(name) && !body.path("sample").path("fields").has(name)) {
                Range range = range(field);
                violate(name, "is required" + (range == null ? ""
                        : " (" + Range.number(range.min()) + ".." + Range.number(range.max()) + ")"));
                return null;
            }
            return defaults.get(name);
        }
        return value(name, body.get(name), field);
    }

    /** Whether a spec must set a field: a recipe supplies all but the fold count, which a run needs >= 2 of. */
    private boolean required(String field) {
        return REQUIRED.contains(field) && (!fromRecipe || field.equals("folds"));
    }

    /** A JSON value as the field's type, checked against its range; null after recording a violation. */
    private Object value(String where, JsonNode node, Field field) {
        Range range = range(field);
        Object value = switch (field.kind()) {
            case "integer" -> node.isIntegralNumber() && (field.type() == long.class ? node.canConvertToLong()
                    : node.canConvertToInt()) ? (field.type() == long.class ? (Object) node.asLong() : node.asInt())
                    : null;
            case "number" -> node.isNumber() ? node.asDouble() : null;
            case "boolean" -> node.isBoolean() ? node.asBoolean() : null;
            default -> node.isTextual() ? node.asText() : null;
        };
        if (value == null) {
            violate(where, "must be " + switch (field.kind()) {
                case "integer" -> "an integer" + (range == null ? "" : " " + range.text());
                case "number" -> "a number";
                case "boolean" -> "true or false";
                case "enum" -> "a string";
                default -> "a name";
            } + ", got " + node);
            return null;
        }
        if (field.name().equals("architecture") && !Architectures.names().contains(value)) {
            violate(where, "unknown architecture '" + value + "', known: " + Architectures.names());
            return null;
        }
        if (field.type().isEnum()) {
            if (!field.values().contains(value)) {
                violate(where, "must be one of " + field.values() + ", got '" + value + "'");
                return null;
            }
            return field.parse(where, (String) value);
        }
        if (range != null && !range.contains(((Number) value).doubleValue())) {
            violate(where, "must be " + range.text() + ", got " + value);
            return null;
        }
        Optional<String> problem = field.problem(value);
        problem.ifPresent(p -> violate(where, p));
        return problem.isPresent() ? null : value;
    }

    private static Range range(Field field) {
        return NARROWED.getOrDefault(field.name(), field.range());
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

    /** The non-empty list of a legacy swept field ("batchSizes"), each item typed and checked. */
    private List<Object> list(String list) {
        if (!present(list)) {
            violate(list, "is required: a non-empty array");
            return List.of();
        }
        return items(list, body.get(list), TrainingConfig.SCHEMA.field(SWEPT.get(list)).orElseThrow());
    }

    /** A non-empty array of distinct values of one field; items that are bad are recorded as violations. */
    private List<Object> items(String where, JsonNode node, Field field) {
        if (!node.isArray() || node.isEmpty()) {
            violate(where, "must be a non-empty array, got " + node);
            return List.of();
        }
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            Object value = value(where + "[" + i + "]", node.get(i), field);
            if (value != null && values.contains(value)) {
                violate(where + "[" + i + "]", "repeats " + value);
            }
            values.add(value);
        }
        return values;
    }
}
