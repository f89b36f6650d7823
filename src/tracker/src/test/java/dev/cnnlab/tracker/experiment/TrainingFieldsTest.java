package dev.cnnlab.tracker.experiment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cnnlab.tracker.Fixtures;
import dev.cnnlab.tracker.PostgresResource;
import dev.cnnlab.tracker.run.Run;
import dev.cnnlab.tracker.run.RunSettings;
import dev.cnnlab.training.loop.ConfigSchema.Field;
import dev.cnnlab.training.loop.ConfigSchema.Range;
import dev.cnnlab.training.loop.TrainingConfig;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every field of {@link TrainingConfig#SCHEMA}, set to a value other than its default, reaches the spec
 * parser, the stored run, the worker's config and GET /api/schema. The fields come from the schema, so a
 * field added to TrainingConfig is checked here with no edit to this test or to the tracker.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class TrainingFieldsTest {
    static final String DATASET = Fixtures.cifarFolder().toString();

    /** A JSON value of the field other than its default, inside the range a spec allows. */
    static Object otherValue(Field f) {
        if (f.name().equals("architecture")) {
            return "lenet5";
        }
        if (!f.values().isEmpty()) {
            return f.values().get(f.values().size() - 1);
        }
        if (f.kind().equals("boolean")) {
            return !(Boolean) f.defaultValue();
        }
        Range range = SpecParser.NARROWED.getOrDefault(f.name(), f.range());
        double d = ((Number) f.defaultValue()).doubleValue();
        double min = range == null ? d : range.min();
        double max = range == null ? d : range.max();
        double other = Stream.of(d + 1, d * 2, (min + max) / 2, min)
                .filter(v -> v != d && (range == null || range.contains(v))).findFirst().orElseThrow();
        return f.kind().equals("integer") ? (Object) (long) other : (Object) other;
    }

    static boolean same(Object a, Object b) {
        return a instanceof Number x && b instanceof Number y ? x.doubleValue() == y.doubleValue() : a.equals(b);
    }

    @Test
    void everyTrainingFieldReachesTheSpecTheStoredRunTheWorkerAndTheSchema() {
        Map<String, Object> spec = Fixtures.spec(DATASET);
        spec.put("heldOut", 0);
        List<Field> fields = TrainingConfig.SCHEMA.fields().stream()
                .filter(f -> !SpecParser.DERIVED.contains(f.name())).toList();
        for (Field f : fields) {
            String specField = SpecParser.specField(f.name());
            spec.put(specField, specField.equals(f.name()) ? otherValue(f) : List.of(otherValue(f)));
        }
        long runId = ((Number) given().contentType(ContentType.JSON).body(spec)
                .when().post("/api/experiments")
                .then().statusCode(201).extract().jsonPath().getList("runIds").get(0)).longValue();

        Map<String, Object> stored = Run.<Run>findById(runId).hyperparameters;
        TrainingConfig worker = RunSettings.fromJson(stored).config(1000);
        Map<String, Object> workerJson = TrainingConfig.SCHEMA.toJson(worker);
        for (Field f : fields) {
            Object expected = otherValue(f);
            assertEquals(true, same(expected, stored.get(f.name())), f.name() + " stored as " + stored.get(f.name()));
            assertEquals(true, same(expected, workerJson.get(f.name())), f.name() + " read back as "
                    + workerJson.get(f.name()));
            given().when().get("/api/schema")
                    .then().statusCode(200)
                    .body("fields.find { it.name == '" + f.name() + "' }.specField",
                            equalTo(SpecParser.specField(f.name())))
                    .body("fields.find { it.name == '" + f.name() + "' }.description", equalTo(f.description()));
        }
    }

    @Test
    void theSchemaEndpointDescribesRangesDefaultsAndValues() {
        given().when().get("/api/schema")
                .then().statusCode(200)
                .body("fields.size()", equalTo(TrainingConfig.SCHEMA.fields().size()))
                .body("fields.find { it.name == 'batchSize' }.range", equalTo("between 1 and 4096"))
                .body("fields.find { it.name == 'batchSize' }.defaultValue", equalTo(64))
                .body("fields.find { it.name == 'folds' }.min", equalTo(2.0f))
                .body("fields.find { it.name == 'augmentation' }.values",
                        equalTo(List.of("none", "flip", "crop-flip", "crop-flip-cutout", "alternating-flip-translate")))
                .body("fields.find { it.name == 'heldOutFraction' }.specField", equalTo(null));
    }
}
