package dev.cnnlab.tracker.compare;

import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.cnnlab.tracker.Fixtures;
import dev.cnnlab.tracker.PostgresResource;
import dev.cnnlab.tracker.run.Fold;
import dev.cnnlab.tracker.run.RunStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class ComparisonResourceTest {
    long experiment;
    List<Long> runIds;

    static RequestSpecification given() {
        return Fixtures.givenDoubles();
    }

    /** One architecture at 4 batch sizes, 5 folds: four runs on the same splits (seed 7). */
    @BeforeEach
    void createExperiment() {
        Map<String, Object> spec = Fixtures.spec(Fixtures.cifarFolder().toString());
        spec.put("architectures", List.of("lenet5"));
        spec.put("batchSizes", List.of(16, 32, 64, 128));
        spec.put("folds", 5);
        var created = given().contentType(ContentType.JSON).body(spec)
                .when().post("/api/experiments").then().statusCode(201).extract().jsonPath();
        experiment = created.getLong("id");
        runIds = created.getList("runIds", Long.class);
    }

    /** Marks the first folds of a run finished with these accuracies, as the worker would. */
    static void finishFolds(long runId, double... accuracies) {
        QuarkusTransaction.requiringNew().run(() -> {
            List<Fold> folds = Fold.list("runId = ?1 order by foldIndex", runId);
            for (int k = 0; k < accuracies.length; k++) {
                folds.get(k).status = RunStatus.SUCCEEDED;
                folds.get(k).accuracy = accuracies[k];
            }
        });
    }

    @Test
    void comparesEveryRunWithTheBestOnTheirSharedFolds() {
        finishFolds(runIds.get(0), 0.490, 0.455, 0.512, 0.499, 0.478); // batch 16: the best
        finishFolds(runIds.get(1), 0.461, 0.432, 0.489, 0.470, 0.455); // batch 32: 2.5 pp worse
        finishFolds(runIds.get(2), 0.492, 0.450, 0.509, 0.497, 0.480); // batch 64: a tie
        finishFolds(runIds.get(3), 0.40); // batch 128: one fold so far
        given().when().get("/api/experiments/" + experiment + "/comparison")
                .then().statusCode(200)
                .body("baseline.runId", equalTo(runIds.get(0).intValue()))
                .body("baseline.label", equalTo("batchSize 16"))
                .body("baseline.finishedFolds", equalTo(5))
                .body("rows", hasSize(3))
                .body("rows[0].run.label", equalTo("batchSize 32"))
                .body("rows[0].sharedFolds", equalTo(5))
                .body("rows[0].sameSplits", equalTo(true))
                .body("rows[0].distinguishable", equalTo(true))
                .body("rows[0].stats.meanDifference", closeTo(-0.0254, 1e-9))
                .body("rows[0].stats.wilcoxonP", closeTo(0.0625, 1e-12))
                .body("rows[0].verdict", startsWith("batchSize 32 trails batchSize 16 by 2.5 pp (95% CI -2.9 to -2.1 pp"))
                .body("rows[1].distinguishable", equalTo(false))
                .body("rows[1].verdict", startsWith("no detectable difference between batchSize 64 and batchSize 16"))
                .body("rows[2].stats", nullValue())
                .body("rows[2].verdict", containsString("not enough shared folds yet (1"));
    }

    @Test
    void aChosenBaselineIsComparedAgainst() {
        finishFolds(runIds.get(0), 0.490, 0.455, 0.512, 0.499, 0.478);
        finishFolds(runIds.get(1), 0.461, 0.432, 0.489, 0.470, 0.455);
        given().queryParam("baseline", runIds.get(1)).when().get("/api/experiments/" + experiment + "/comparison")
                .then().statusCode(200)
                .body("baseline.label", equalTo("batchSize 32"))
                .body("rows[0].verdict", startsWith("batchSize 16 beats batchSize 32 by 2.5 pp"));
    }

    @Test
    void refusesABaselineFromAnotherExperimentAndAnUnknownExperiment() {
        given().queryParam("baseline", 987654321).when().get("/api/experiments/" + experiment + "/comparison")
                .then().statusCode(400)
                .body("error", containsString("baseline 987654321 is not a run of experiment " + experiment));
        given().when().get("/api/experiments/987654321/comparison").then().statusCode(404);
        given().when().get("/api/experiments/" + experiment + "/comparison")
                .then().statusCode(400).body("error", containsString("no finished fold yet"));
    }
}
