package dev.cnnlab.tracker.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cnnlab.tracker.api.ApiException;
import dev.cnnlab.tracker.api.Violation;
import dev.cnnlab.training.loop.TrainingConfig;
import dev.cnnlab.training.recipe.Recipes;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every field of a spec, one bad value at a time: each is refused with the field named. */
class SpecParserTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Object ABSENT = new Object();

    @TempDir
    static Path dataset;

    static Map<String, Object> valid() {
        Map<String, Object> spec = new HashMap<>();
        spec.put("name", "spec-test");
        spec.put("dataset", dataset.toString());
        spec.put("architectures", List.of("lenet5"));
        spec.put("batchSizes", List.of(32));
        spec.put("epochs", 2);
        spec.put("folds", 3);
        return spec;
    }

    static ExperimentSpec parse(Map<String, Object> spec) {
        return SpecParser.parse(JSON.valueToTree(spec));
    }

    /** field to change, its bad value (ABSENT removes it), the violation's field, a piece of its message. */
    static Stream<Arguments> badFields() {
        return Stream.of(
                Arguments.of("name", ABSENT, "name", "is required"),
                Arguments.of("name", "  ", "name", "is required"),
                Arguments.of("name", 42, "name", "must be a string"),
                Arguments.of("name", "x".repeat(201), "name", "at most 200 characters, got 201"),
                Arguments.of("description", List.of("a"), "description", "must be a string"),
                Arguments.of("description", "x".repeat(10_001), "description", "at most 10000 characters"),
                Arguments.of("dataset", ABSENT, "dataset", "is required"),
                Arguments.of("dataset", 7, "dataset", "must be a string"),
                Arguments.of("dataset", "/no/such/folder", "dataset", "not found: /no/such/folder"),
                Arguments.of("dataset", "bad\u0000path", "dataset", "is not a valid path"),
                Arguments.of("subset", -1, "subset", "between 0 and 10000000, got -1"),
                Arguments.of("subset", 10_000_001, "subset", "between 0 and 10000000"),
                Arguments.of("subset", 1.5, "subset", "must be an integer"),
                Arguments.of("subset", "100", "subset", "must be an integer"),
                Arguments.of("heldOut", -5, "heldOut", "between 0 and 10000000, got -5"),
                Arguments.of("heldOut", true, "heldOut", "must be an integer"),
                Arguments.of("architectures", ABSENT, "architectures", "is required"),
                Arguments.of("architectures", List.of(), "architectures", "non-empty array"),
                Arguments.of("architectures", "lenet5", "architectures", "non-empty array"),
                Arguments.of("architectures", List.of(5), "architectures[0]", "must be a name"),
                Arguments.of("architectures", List.of("lenet5", "alexnet"), "architectures[1]",
                        "unknown architecture 'alexnet', known: ["),
                Arguments.of("architectures", List.of("lenet5", "lenet5"), "architectures[1]", "repeats lenet5"),
                Arguments.of("batchSizes", ABSENT, "batchSizes", "is required"),
                Arguments.of("batchSizes", Map.of("a", 1), "batchSizes", "non-empty array"),
                Arguments.of("batchSizes", List.of(32, 0), "batchSizes[1]", "between 1 and 4096, got 0"),
                Arguments.of("batchSizes", List.of(4097), "batchSizes[0]", "between 1 and 4096, got 4097"),
                Arguments.of("batchSizes", List.of(32.5), "batchSizes[0]", "must be an integer"),
                Arguments.of("batchSizes", List.of("32"), "batchSizes[0]", "must be an integer"),
                Arguments.of("batchSizes", List.of(64, 64), "batchSizes[1]", "repeats 64"),
                Arguments.of("learningRates", List.of(), "learningRates", "non-empty array"),
                Arguments.of("learningRates", List.of(0.0), "learningRates[0]", "must be in (0, 100], got 0.0"),
                Arguments.of("learningRates", List.of(0.1, -1), "learningRates[1]", "must be in (0, 100]"),
                Arguments.of("learningRates", List.of(100.5), "learningRates[0]", "must be in (0, 100]"),
                Arguments.of("learningRates", List.of("0.1"), "learningRates[0]", "must be a number"),
                Arguments.of("learningRates", List.of(0.1, 0.1), "learningRates[1]", "repeats 0.1"),
                Arguments.of("epochs", ABSENT, "epochs", "is required (1..1000)"),
                Arguments.of("epochs", 0, "epochs", "between 1 and 1000, got 0"),
                Arguments.of("epochs", 1001, "epochs", "between 1 and 1000, got 1001"),
                Arguments.of("epochs", 2.5, "epochs", "must be an integer"),
                Arguments.of("epochs", "5", "epochs", "must be an integer"),
                Arguments.of("folds", ABSENT, "folds", "is required (2..20)"),
                Arguments.of("folds", 1, "folds", "between 2 and 20, got 1"),
                Arguments.of("folds", 21, "folds", "between 2 and 20, got 21"),
                Arguments.of("repeats", 0, "repeats", "between 1 and 10, got 0"),
                Arguments.of("repeats", 11, "repeats", "between 1 and 10, got 11"),
                Arguments.of("optimizer", "rmsprop", "optimizer", "must be one of [adam, sgd], got 'rmsprop'"),
                Arguments.of("optimizer", 3, "optimizer", "must be a string"),
                Arguments.of("schedule", "linear", "schedule", "must be one of [constant, step, cosine, onecycle, triangle]"),
                Arguments.of("weightDecay", -0.1, "weightDecay", "must be >= 0 and < 1, got -0.1"),
                Arguments.of("weightDecay", 1.0, "weightDecay", "must be >= 0 and < 1, got 1.0"),
                Arguments.of("weightDecay", "0.1", "weightDecay", "must be a number"),
                Arguments.of("augmentation", "mixup", "augmentation", "must be one of [none, flip, crop-flip, crop-flip-cutout, alternating-flip-translate]"),
                Arguments.of("recipe", "airbench95", "recipe", "unknown recipe 'airbench95', known: [airbench94"),
                Arguments.of("momentum", 1.0, "momentum", "must be >= 0 and < 1, got 1.0"),
                Arguments.of("learningRateUnit", "per-512", "learningRateUnit", "must be one of [batch, per-1024]"),
                Arguments.of("batchNormLrScale", 0, "batchNormLrScale", "must be in (0, 1000], got 0"),
                Arguments.of("labelSmoothing", 1, "labelSmoothing", "must be >= 0 and < 1, got 1"),
                Arguments.of("lookahead", "yes", "lookahead", "must be true or false"),
                Arguments.of("seed", "abc", "seed", "must be an integer"),
                Arguments.of("seed", 1.5, "seed", "must be an integer"),
                Arguments.of("seed", 1e30, "seed", "must be an integer"),
                Arguments.of("patience", -1, "patience", "between 0 and 1000, got -1"),
                Arguments.of("patience", 1001, "patience", "between 0 and 1000, got 1001"),
                Arguments.of("finalFit", "yes", "finalFit", "must be true or false"),
                Arguments.of("finalFit", 1, "finalFit", "must be true or false"),
                Arguments.of("grid", List.of(1), "grid", "must be an object mapping training fields"),
                Arguments.of("grid", Map.of("mixupAlpha", List.of(0.1)), "grid.mixupAlpha",
                        "is not a training field"),
                Arguments.of("grid", Map.of("weightDecay", List.of(-1)), "grid.weightDecay[0]",
                        "must be >= 0 and < 1, got -1.0"),
                Arguments.of("grid", Map.of("augmentation", List.of("flip", "flip")), "grid.augmentation[1]",
                        "repeats"),
                Arguments.of("grid", Map.of("batchSize", List.of(8)), "grid.batchSize",
                        "is set twice: also as batchSizes"),
                Arguments.of("sample", List.of(1), "sample", "must be an object"),
                Arguments.of("sample", Map.of("count", 2, "fields", Map.of("weightDecay", Map.of("uniform", List.of(0, 2)))),
                        "sample.fields.weightDecay.uniform[1]", "must be >= 0 and < 1, got 2.0"),
                Arguments.of("pruning", List.of(1), "pruning", "must be an object"),
                Arguments.of("pruning", Map.of("kind", "asha"), "pruning.kind", "must be \"wilcoxon\", got \"asha\""),
                Arguments.of("pruning", Map.of("pValue", 0.3), "pruning.kind", "must be \"wilcoxon\", got nothing"),
                Arguments.of("pruning", Map.of("kind", "wilcoxon", "pValue", 0.7), "pruning.pValue",
                        "must be a number in (0, 0.5], got 0.7"),
                Arguments.of("pruning", Map.of("kind", "wilcoxon", "pValue", 0.3, "minFolds", 3), "pruning.minFolds",
                        "must be an integer from 2 to 2 (folds - 1, so that a fold is left to cancel), got 3"),
                Arguments.of("pruning", Map.of("kind", "wilcoxon", "pValue", 0.3, "after", 2), "pruning.after",
                        "is not a pruning field"),
                // 3 folds: at most 2 pairs before the last fold, and 2 pairs cannot go below 1/4
                Arguments.of("pruning", Map.of("kind", "wilcoxon", "pValue", 0.1), "pruning.pValue",
                        "0.1 can never be reached before the last of 3 folds"),
                Arguments.of("search", "asha", "search", "must be an object"),
                Arguments.of("search", Map.of("kind", "hyperband"), "search.kind", "must be \"asha\", got \"hyperband\""),
                Arguments.of("search", Map.of("kind", "asha", "reductionFactor", 1), "search.reductionFactor",
                        "must be an integer from 2 to 10, got 1"),
                Arguments.of("search", Map.of("kind", "asha", "reductionFactor", 2.5), "search.reductionFactor",
                        "got 2.5"),
                // 2 epochs: the first rung must come before the last epoch
                Arguments.of("search", Map.of("kind", "asha", "minEpochs", 2), "search.minEpochs",
                        "must be an integer from 1 to 1 (below the fewest epochs a run trains, 2, so that a rung"
                                + " comes before the end), got 2"),
                Arguments.of("search", Map.of("kind", "asha", "grace", 1), "search.grace", "is not a search field"),
                Arguments.of("batchsize", 12, "batchsize", "is not a spec field"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("badFields")
    void aBadFieldIsNamed(String field, Object value, String violationField, String message) {
        Map<String, Object> spec = valid();
        if (value == ABSENT) {
            spec.remove(field);
        } else {
            spec.put(field, value);
        }
        ApiException e = assertThrows(ApiException.class, () -> parse(spec));
        assertEquals(400, e.status());
        assertTrue(e.violations().stream().anyMatch(v -> v.field().equals(violationField)
                        && v.message().contains(message)),
                () -> "expected " + violationField + " '" + message + "' in " + e.violations());
        assertTrue(e.violations().stream().map(Violation::field)
                        .allMatch(f -> f.equals(violationField) || f.equals(field)),
                () -> "only " + field + " is wrong, got " + e.violations());
    }

    @Test
    void everyFieldHasABadValueInThisTest() {
        assertEquals(SpecParser.FIELDS, badFields().map(a -> a.get()[0]).filter(SpecParser.FIELDS::contains)
                .collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void searchGetsItsDefaultsIsStoredWithTheSpecAndExcludesPruning() {
        Map<String, Object> spec = valid();
        spec.put("epochs", 9);
        spec.put("search", Map.of("kind", "asha"));
        ExperimentSpec parsed = parse(spec);
        assertEquals(new dev.cnnlab.tracker.search.Asha("asha", 3, 1), parsed.search());
        assertEquals(Map.of("kind", "asha", "reductionFactor", 3, "minEpochs", 1), parsed.toMap().get("search"));
        assertEquals(parsed.search(), dev.cnnlab.tracker.search.Asha.fromSpec(parsed.toMap()).orElseThrow());
        // swept epochs: minEpochs must be below the fewest
        spec.remove("epochs");
        spec.put("grid", Map.of("epochs", List.of(8, 3)));
        spec.put("search", Map.of("kind", "asha", "minEpochs", 3));
        ApiException e = assertThrows(ApiException.class, () -> parse(spec));
        assertEquals("search.minEpochs", e.violations().get(0).field(), e.violations().toString());
        assertTrue(e.violations().get(0).message().contains("fewest epochs a run trains, 3"), e.violations().toString());
        spec.put("search", Map.of("kind", "asha", "minEpochs", 2, "reductionFactor", 2));
        assertEquals(2, parse(spec).search().minEpochs());

        spec.put("folds", 5);
        spec.put("pruning", Map.of("kind", "wilcoxon"));
        ApiException both = assertThrows(ApiException.class, () -> parse(spec));
        assertEquals(400, both.status());
        assertEquals("search", both.violations().get(0).field());
        assertTrue(both.violations().get(0).message().contains("cannot be combined with pruning"));
    }

    @Test
    void pruningGetsItsDefaultsAndIsStoredWithTheSpec() {
        Map<String, Object> spec = valid();
        spec.put("folds", 5);
        spec.put("pruning", Map.of("kind", "wilcoxon"));
        ExperimentSpec parsed = parse(spec);
        assertEquals(new dev.cnnlab.tracker.compare.Pruning("wilcoxon", 0.1, 2), parsed.pruning());
        assertEquals(Map.of("kind", "wilcoxon", "pValue", 0.1, "minFolds", 2), parsed.toMap().get("pruning"));
        assertEquals(parsed.pruning(), dev.cnnlab.tracker.compare.Pruning.fromSpec(parsed.toMap()).orElseThrow());
        spec.remove("pruning");
        assertEquals(null, parse(spec).toMap().get("pruning"));
        // 3 folds reach a one-sided p of 1/4 after 2 pairs: a pValue above that is accepted
        spec.put("folds", 3);
        spec.put("pruning", Map.of("kind", "wilcoxon", "pValue", 0.3, "minFolds", 2));
        assertEquals(0.3, parse(spec).pruning().pValue());
        // repeats count: 2 x 3 folds leave 5 pairs before the last, and 1/2^5 < 0.1
        spec.put("repeats", 2);
        spec.put("pruning", Map.of("kind", "wilcoxon", "pValue", 0.1, "minFolds", 5));
        assertEquals(5, parse(spec).pruning().minFolds());
    }

    @Test
    void heldOutMustLeaveImagesToTrainOn() {
        Map<String, Object> spec = valid();
        spec.put("subset", 100);
        spec.put("heldOut", 100);
        ApiException e = assertThrows(ApiException.class, () -> parse(spec));
        assertEquals(List.of(new Violation("heldOut", "must be smaller than subset (100), got 100")), e.violations());
        spec.put("heldOut", 99);
        assertEquals(99, parse(spec).heldOut());
    }

    @Test
    void theGridIsCapped() {
        Map<String, Object> spec = valid();
        spec.put("architectures", List.of("lenet5", "keras-cifar10"));
        spec.put("batchSizes", IntStream.rangeClosed(1, 126).boxed().toList());
        spec.put("learningRates", List.of(0.1, 0.01));
        ApiException e = assertThrows(ApiException.class, () -> parse(spec));
        assertTrue(e.getMessage().contains("504 runs, at most 500"), e.getMessage());
        spec.put("batchSizes", IntStream.rangeClosed(1, 125).boxed().toList());
        assertEquals(500, parse(spec).gridSize());
    }

    @Test
    void aValidSpecGetsItsDefaultsAndNullMeansDefault() {
        Map<String, Object> spec = valid();
        spec.put("optimizer", null);
        spec.put("description", null);
        ExperimentSpec parsed = parse(spec);
        assertEquals("adam", parsed.optimizer());
        assertEquals("", parsed.description());
        assertEquals(List.of(0.001), parsed.learningRates());
        assertEquals(42, parsed.seed());
        spec.put("dataset", "cifar10"); // downloaded on first use, so it need not exist
        assertEquals("cifar10", parse(spec).dataset());
    }

    @Test
    void aGridSweepsAnyTrainingField() {
        Map<String, Object> spec = valid();
        spec.remove("architectures");
        spec.remove("batchSizes");
        spec.put("grid", Map.of("architecture", List.of("lenet5"), "batchSize", List.of(32),
                "weightDecay", List.of(5e-4, 5e-3), "augmentation", List.of("crop-flip", "crop-flip-cutout")));
        ExperimentSpec parsed = parse(spec);
        assertEquals(4, parsed.gridSize());
        var points = parsed.points();
        assertEquals(4, points.stream().map(c -> List.of(c.weightDecay(), c.augmentation())).distinct().count());
        assertTrue(points.stream().allMatch(c -> c.architecture().equals("lenet5") && c.batchSize() == 32
                && c.epochs() == 2 && c.folds() == 3));
        assertEquals(Map.of("weightDecay", List.of(5e-4, 5e-3), "augmentation", List.of("crop-flip", "crop-flip-cutout")),
                parsed.toMap().get("grid"));
        assertEquals(List.of(32), parsed.toMap().get("batchSizes"));
    }

    @Test
    void aRecipeSuppliesEverySettingTheSpecLeavesOut() {
        Map<String, Object> spec = valid();
        spec.remove("architectures");
        spec.remove("batchSizes");
        spec.remove("epochs");
        spec.put("recipe", "airbench94");
        spec.put("grid", Map.of("batchSize", List.of(256, 512, 1024, 2048)));
        ExperimentSpec parsed = parse(spec);
        TrainingConfig recipe = Recipes.get("airbench94").config();
        assertEquals(4, parsed.gridSize());
        for (TrainingConfig c : parsed.points()) {
            assertEquals(recipe.toBuilder().optBatchSize(c.batchSize()).optFolds(3).optHeldOutFraction(0).build(), c);
        }
        // the spec still sets what it names, and a recipe does not excuse the fold count
        spec.put("epochs", 4);
        assertEquals(4, parse(spec).base().epochs());
        spec.remove("folds");
        ApiException e = assertThrows(ApiException.class, () -> parse(spec));
        assertEquals("folds", e.violations().get(0).field());
    }

    @Test
    void aBodyThatIsNotAnObjectIsRefused() {
        for (Object body : List.of(List.of(1, 2), "spec", 3)) {
            ApiException e = assertThrows(ApiException.class, () -> SpecParser.parse(JSON.valueToTree(body)));
            assertEquals("the experiment spec must be a JSON object", e.getMessage());
        }
        assertThrows(ApiException.class, () -> SpecParser.parse(null));
    }
}
