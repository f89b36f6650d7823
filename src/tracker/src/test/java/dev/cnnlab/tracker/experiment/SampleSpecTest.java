package dev.cnnlab.tracker.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.api.ApiException;
import dev.cnnlab.tracker.api.Violation;
import dev.cnnlab.training.loop.TrainingConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;

/** The spec's seeded "sample" block: known draws for a fixed seed, grid x samples, and every bad block refused by name. */
class SampleSpecTest {

    @TempDir
    static Path dataset;

    static Map<String, Object> withSample(Map<String, Object> fields, Object count, Object seed) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", "sample-test");
        spec.put("dataset", dataset.toString());
        spec.put("architectures", List.of("lenet5"));
        spec.put("batchSizes", List.of(32));
        spec.put("epochs", 2);
        spec.put("folds", 3);
        Map<String, Object> sample = new LinkedHashMap<>();
        sample.put("count", count);
        if (seed != null) {
            sample.put("seed", seed);
        }
        sample.put("fields", fields);
        spec.put("sample", sample);
        return spec;
    }

    static Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("learningRate", Map.of("logUniform", List.of(1e-4, 1e-1)));
        fields.put("weightDecay", Map.of("uniform", List.of(0, 1e-2)));
        fields.put("augmentation", Map.of("choice", List.of("crop-flip", "crop-flip-cutout")));
        return fields;
    }

    @Test
    void drawsKnownPointsForAFixedSeed() {
        ExperimentSpec spec = SpecParserTest.parse(withSample(fields(), 3, 7));
        List<TrainingConfig> runs = spec.points();
        assertEquals(3, spec.gridSize());
        // java.util.Random(7), per point: nextDouble for learningRate, nextDouble for weightDecay, nextInt(2) for
        // augmentation; e.g. u = 0.7063 gives 1e-4 * 1000^u = 0.01556313...; 4 significant digits are kept
        assertEquals(List.of(0.01556, 0.002964, 0.001137), runs.stream().map(TrainingConfig::learningRate).toList());
        assertEquals(List.of(0.007492, 0.007426, 0.001207), runs.stream().map(TrainingConfig::weightDecay).toList());
        assertEquals(List.of("CROP_FLIP", "CROP_FLIP_CUTOUT", "CROP_FLIP_CUTOUT"),
                runs.stream().map(c -> c.augmentation().name()).toList());
        // the same spec draws the same runs; another seed others
        assertEquals(runs, SpecParserTest.parse(withSample(fields(), 3, 7)).points());
        assertNotEquals(runs, SpecParserTest.parse(withSample(fields(), 3, 8)).points());
        // every draw lies in its range, and the rest of the config is the spec's
        assertTrue(runs.stream().allMatch(c -> c.learningRate() >= 1e-4 && c.learningRate() <= 0.1
                && c.weightDecay() >= 0 && c.weightDecay() <= 0.01 && c.epochs() == 2 && c.batchSize() == 32));
        // stored with its seed, and without the sampled field's base value
        Map<String, Object> stored = spec.toMap();
        assertEquals(7L, ((Map<?, ?>) stored.get("sample")).get("seed"));
        assertTrue(!stored.containsKey("learningRates") && !stored.containsKey("weightDecay"), stored::toString);
    }

    @Test
    void aGridTimesTheSamplesWithTheSpecSeedByDefault() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("epochs", Map.of("uniform", List.of(2, 4)));
        Map<String, Object> body = withSample(fields, 4, null);
        body.put("batchSizes", List.of(32, 64));
        body.put("seed", 11);
        body.remove("epochs"); // required, unless the sample draws it
        ExperimentSpec spec = SpecParserTest.parse(body);
        assertEquals(8, spec.gridSize());
        List<TrainingConfig> runs = spec.points();
        assertEquals(List.of(32, 32, 32, 32, 64, 64, 64, 64), runs.stream().map(TrainingConfig::batchSize).toList());
        List<Integer> epochs = runs.stream().map(TrainingConfig::epochs).toList();
        assertEquals(epochs.subList(0, 4), epochs.subList(4, 8), "every grid point gets the same samples");
        assertTrue(epochs.stream().allMatch(e -> e >= 2 && e <= 4), "integers, bounds included: " + epochs);
        assertEquals(11L, spec.sample().seed());
        assertEquals(List.of(4, 3, 3, 2), epochs.subList(0, 4), "2 + floor(3u) for Random(11)'s first four doubles");
        Map<String, Object> capped = withSample(fields, 300, 1);
        capped.put("batchSizes", List.of(32, 64));
        capped.remove("epochs");
        ApiException e = assertThrows(ApiException.class, () -> SpecParserTest.parse(capped));
        assertTrue(e.getMessage().contains("x 300 samples has 600 runs, at most 500"), e.getMessage());
    }

    static Stream<Arguments> badSamples() {
        return Stream.of(
                Arguments.of(Map.of("weightDecay", Map.of("uniform", List.of(0, 1.5))), 2,
                        "sample.fields.weightDecay.uniform[1]", "must be >= 0 and < 1, got 1.5"),
                Arguments.of(Map.of("weightDecay", Map.of("logUniform", List.of(0, 0.1))), 2,
                        "sample.fields.weightDecay.logUniform[0]", "must be > 0 for a log-uniform draw"),
                Arguments.of(Map.of("learningRate", Map.of("logUniform", List.of(0, 0.1))), 2,
                        "sample.fields.learningRate.logUniform[0]", "must be in (0, 100], got 0.0"),
                Arguments.of(Map.of("learningRate", Map.of("uniform", List.of(0.1, 0.01))), 2,
                        "sample.fields.learningRate.uniform", "needs low < high, got [0.1, 0.01]"),
                Arguments.of(Map.of("labelSmoothin", Map.of("uniform", List.of(0, 0.1))), 2,
                        "sample.fields.labelSmoothin", "is not a training field (known: [architecture"),
                Arguments.of(Map.of("augmentation", Map.of("uniform", List.of(0, 1))), 2,
                        "sample.fields.augmentation.uniform", "augmentation is one of [none, flip, crop-flip, crop-flip-cutout, alternating-flip-translate]: draw it with {\"choice\""),
                Arguments.of(Map.of("augmentation", Map.of("choice", List.of("mixup"))), 2,
                        "sample.fields.augmentation.choice[0]", "must be one of [none, flip, crop-flip, crop-flip-cutout, alternating-flip-translate], got 'mixup'"),
                Arguments.of(Map.of("weightDecay", Map.of("normal", List.of(0, 1))), 2,
                        "sample.fields.weightDecay.normal", "is not a distribution (known: [uniform, logUniform, choice])"),
                Arguments.of(Map.of("epochs", Map.of("uniform", List.of(1.5, 3))), 2,
                        "sample.fields.epochs.uniform[0]", "must be an integer"),
                Arguments.of(Map.of("batchSize", Map.of("uniform", List.of(16, 64))), 2,
                        "sample.fields.batchSize", "is set twice"),
                Arguments.of(Map.of("epochs", Map.of("uniform", List.of(2, 4))), 2,
                        "sample.fields.epochs", "is set twice"),
                Arguments.of(Map.of("weightDecay", Map.of("uniform", List.of(0, 0.1))), 0,
                        "sample.count", "must be an integer between 1 and 500, got 0"),
                Arguments.of(Map.of(), 2, "sample.fields", "must map training fields to distributions"));
    }

    @ParameterizedTest
    @MethodSource("badSamples")
    void aBadSampleIsRefusedNamingTheProblem(Map<String, Object> fields, int count, String field, String message) {
        Map<String, Object> body = withSample(fields, count, 1);
        if (field.equals("sample.fields.epochs")) {
            body.put("epochs", 3); // valid() sets it: sampling it too is the error
        } else if (fields.containsKey("epochs")) {
            body.remove("epochs");
        }
        ApiException e = assertThrows(ApiException.class, () -> SpecParserTest.parse(body));
        assertEquals(400, e.status());
        Violation v = e.violations().stream().filter(x -> x.field().equals(field)).findFirst()
                .orElseThrow(() -> new AssertionError("no violation of " + field + " in " + e.violations()));
        assertTrue(v.message().contains(message), v.message());
    }
}
