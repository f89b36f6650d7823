package dev.cnnlab.training.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.training.data.Augmentation;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigSchemaTest {
    static final ConfigSchema<TrainingConfig> SCHEMA = TrainingConfig.SCHEMA;

    @Test
    void everyFieldIsDescribedAndItsDefaultPassesItsOwnRange() {
        assertEquals(TrainingConfig.class.getRecordComponents().length, SCHEMA.fields().size());
        for (ConfigSchema.Field f : SCHEMA.fields()) {
            assertTrue(!f.description().isBlank(), f.name());
            assertTrue(f.problem(f.defaultValue()).isEmpty(), f.name() + " default " + f.defaultValue());
        }
        assertEquals(TrainingConfig.builder("keras-cifar10").build(), SCHEMA.create(Map.of()));
    }

    @Test
    void everyFieldHasACommandLineOptionThatSetsIt() {
        for (ConfigSchema.Field f : SCHEMA.fields()) {
            assertTrue(SCHEMA.usage().contains("--" + f.cli() + " "), f.cli());
            Object other = f.values().isEmpty() ? (f.kind().equals("string") ? "lenet5"
                    : f.kind().equals("boolean") ? String.valueOf(!(Boolean) f.defaultValue()) : null)
                    : f.values().get(f.values().size() - 1);
            if (other == null) {
                double d = ((Number) f.defaultValue()).doubleValue();
                double v = f.range() == null || f.range().contains(d + 1) ? d + 1 : (d + f.range().max()) / 2;
                other = f.kind().equals("integer") ? String.valueOf((long) v) : String.valueOf(v);
            }
            Object parsed = SCHEMA.toJson(SCHEMA.fromCli(Map.of(f.cli(), other.toString()))).get(f.name());
            assertEquals(other.toString(), parsed.toString(), f.name());
        }
    }

    @Test
    void jsonRoundTripsWithEnumIdsAndReadsOldSpellings() {
        TrainingConfig c = TrainingConfig.builder("lenet5").optAugmentation(Augmentation.CROP_FLIP_CUTOUT)
                .optSchedule(Schedule.ONECYCLE).optWeightDecay(5e-4).build();
        Map<String, Object> json = SCHEMA.toJson(c);
        assertEquals("crop-flip-cutout", json.get("augmentation"));
        assertEquals("onecycle", json.get("schedule"));
        assertEquals(c, SCHEMA.fromJson(json));
        // a row stored before a field existed reads with that field's default; unknown keys are ignored
        assertEquals(TrainingConfig.builder("lenet5").optAugmentation(Augmentation.CROP_FLIP).build(),
                SCHEMA.fromJson(Map.of("architecture", "lenet5", "augmentation", "CROP_FLIP", "dataset", "x")));
    }

    @Test
    void rangesReadAsWords() {
        assertEquals("between 1 and 4096", SCHEMA.field("batchSize").orElseThrow().range().text());
        assertEquals("in (0, 100]", SCHEMA.field("learningRate").orElseThrow().range().text());
        assertEquals(">= 0 and < 1", SCHEMA.field("weightDecay").orElseThrow().range().text());
        var e = assertThrows(IllegalArgumentException.class,
                () -> SCHEMA.fromJson(Map.of("epochs", 1001)));
        assertEquals("epochs must be between 1 and 1000, got 1001", e.getMessage());
    }

    /** A field added to a config record is seen by the CLI, the JSON codec and the checks with no other edit. */
    record Probe(
            @Param(description = "images per batch", defaultValue = "64", range = "[1, 4096]") int batchSize,
            @Param(description = "label smoothing (test-only field)", defaultValue = "0", range = "[0, 1)")
            double labelSmoothing,
            @Param(description = "augmentation", defaultValue = "none", cli = "augment") Augmentation augmentation) {
        static final ConfigSchema<Probe> SCHEMA = ConfigSchema.of(Probe.class);

        Probe {
            SCHEMA.check(batchSize, labelSmoothing, augmentation);
        }
    }

    @Test
    void aTestOnlyFieldIsSeenEverywhere() {
        assertTrue(Probe.SCHEMA.usage().contains("--label-smoothing X"), Probe.SCHEMA.usage());
        Probe p = Probe.SCHEMA.fromCli(Map.of("label-smoothing", "0.1", "augment", "flip", "data", "ignored"));
        assertEquals(new Probe(64, 0.1, Augmentation.FLIP), p);
        assertEquals(Map.of("batchSize", 64, "labelSmoothing", 0.1, "augmentation", "flip"), Probe.SCHEMA.toJson(p));
        assertEquals(p, Probe.SCHEMA.fromJson(Probe.SCHEMA.toJson(p)));
        var e = assertThrows(IllegalArgumentException.class,
                () -> Probe.SCHEMA.fromCli(Map.of("label-smoothing", "1.5")));
        assertEquals("labelSmoothing must be >= 0 and < 1, got 1.5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Probe.SCHEMA.fromCli(Map.of("augment", "mixup")));
        assertEquals("--augment 'mixup' is not one of [none, flip, crop-flip, crop-flip-cutout, "
                + "alternating-flip-translate]", e.getMessage());
    }
}
