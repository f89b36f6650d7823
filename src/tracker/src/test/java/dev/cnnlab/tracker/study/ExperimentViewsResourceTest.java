package dev.cnnlab.tracker.study;

import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import dev.cnnlab.tracker.Fixtures;
import dev.cnnlab.tracker.PostgresResource;
import dev.cnnlab.tracker.run.EpochMetric;
import dev.cnnlab.tracker.run.Fold;
import dev.cnnlab.tracker.run.Run;
import dev.cnnlab.tracker.run.RunStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The experiment views over real PostgreSQL: a grid over weightDecay x augmentation, folds written as the worker would. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ExperimentViewsResourceTest {
    long experiment;
    List<Long> runIds; // wd 5e-4/crop-flip, wd 5e-4/cutout, wd 5e-3/crop-flip, wd 5e-3/cutout

    static RequestSpecification given() {
        return Fixtures.givenDoubles();
    }

    @BeforeEach
    void createExperiment() {
        Map<String, Object> spec = Fixtures.spec(Fixtures.cifarFolder().toString());
        spec.put("architectures", List.of("lenet5"));
        spec.put("batchSizes", List.of(32));
        spec.remove("weightDecay");
        spec.remove("augmentation");
        spec.put("grid", Map.of("weightDecay", List.of(5e-4, 5e-3), "augmentation", List.of("crop-flip", "crop-flip-cutout")));
        spec.put("epochs", 3);
        var created = given().contentType(ContentType.JSON).body(spec)
                .when().post("/api/experiments").then().statusCode(201).extract().jsonPath();
        experiment = created.getLong("id");
        runIds = QuarkusTransaction.requiringNew().call(() -> Run.<Run>list("experimentId = ?1", experiment).stream()
                .sorted(java.util.Comparator.comparing((Run r) -> r.weightDecay).thenComparing(r -> r.augmentation))
                .map(r -> r.id).toList());
    }

    /**
     * Finishes both folds of a run: three epochs of 10 s on 360 training images whose validation
     * accuracies are {@code epochs}; the recorded (best-epoch) accuracy is their maximum.
     */
    static void finish(long runId, double[]... epochsByFold) {
        QuarkusTransaction.requiringNew().run(() -> {
            List<Fold> folds = Fold.list("runId = ?1 order by foldIndex", runId);
            for (int k = 0; k < epochsByFold.length; k++) {
                Fold fold = folds.get(k);
                fold.status = RunStatus.SUCCEEDED;
                fold.trainSize = 360;
                fold.accuracy = java.util.Arrays.stream(epochsByFold[k]).max().orElseThrow();
                for (int e = 0; e < epochsByFold[k].length; e++) {
                    EpochMetric m = new EpochMetric();
                    m.foldId = fold.id;
                    m.epoch = e + 1;
                    m.valAccuracy = epochsByFold[k][e];
                    m.seconds = 10.0;
                    m.recordedAt = Instant.now();
                    m.persist();
                }
            }
        });
    }

    @Test
    void accuracyByAnySweptFieldUnderAChosenSummaryMetric() {
        finish(runIds.get(0), new double[] {0.30, 0.50, 0.40}, new double[] {0.32, 0.52, 0.44});
        finish(runIds.get(2), new double[] {0.40, 0.45, 0.60}, new double[] {0.42, 0.47, 0.62});
        // batch size and architecture do not vary: the x axis defaults to the first field that does
        given().when().get("/api/experiments/" + experiment + "/views/accuracy-by")
                .then().statusCode(200)
                .body("x", equalTo("weightDecay"))
                .body("series", nullValue())
                .body("varying", equalTo(List.of("weightDecay", "augmentation")))
                .body("metric.key", equalTo("best"))
                .body("metric.title", equalTo("best epoch"))
                .body("points", hasSize(2))
                .body("points[0].x", closeTo(5e-4, 1e-12))
                .body("points[0].mean", closeTo(0.51, 1e-9))
                .body("points[1].mean", closeTo(0.61, 1e-9));
        // last epoch: the first configuration fell back after its peak
        given().queryParam("metric", "last").queryParam("series", "augmentation")
                .when().get("/api/experiments/" + experiment + "/views/accuracy-by")
                .then().statusCode(200)
                .body("metric.title", equalTo("last epoch"))
                .body("series", equalTo("augmentation"))
                .body("points[0].series", equalTo("crop-flip"))
                .body("points[0].foldScores", equalTo(List.of(0.40, 0.44)))
                .body("points[1].foldScores", equalTo(List.of(0.60, 0.62)));
        given().queryParam("metric", "mean-last-2").when().get("/api/experiments/" + experiment + "/views/accuracy-by")
                .then().statusCode(200)
                .body("metric.title", equalTo("mean of the last 2 epochs"))
                .body("points[0].mean", closeTo((0.50 + 0.40 + 0.52 + 0.44) / 4, 1e-9));
    }

    @Test
    void parallelCoordinatesAndProgress() {
        finish(runIds.get(1), new double[] {0.30, 0.50, 0.40}, new double[] {0.32, 0.52, 0.44});
        given().queryParam("metric", "last").when().get("/api/experiments/" + experiment + "/views/parallel")
                .then().statusCode(200)
                .body("fields", equalTo(List.of("weightDecay", "augmentation")))
                .body("runs", hasSize(1))
                .body("runs[0].runId", equalTo(runIds.get(1).intValue()))
                .body("runs[0].label", equalTo("weightDecay 0.0005, augmentation crop-flip-cutout"))
                .body("runs[0].values.augmentation", equalTo("crop-flip-cutout"))
                .body("runs[0].mean", closeTo(0.42, 1e-9))
                .body("runs[0].folds", equalTo(2));
        given().when().get("/api/experiments/" + experiment + "/views/progress")
                .then().statusCode(200)
                .body("runs", hasSize(4))
                .body(run(1) + ".points", hasSize(3))
                .body(run(1) + ".points[1].accuracy", closeTo(0.51, 1e-9))
                .body(run(1) + ".points[1].seconds", closeTo(20.0, 1e-9))
                .body(run(1) + ".points[2].imagesSeen", closeTo(1080.0, 1e-9))
                .body(run(1) + ".label", equalTo("weightDecay 0.0005, augmentation crop-flip-cutout"))
                .body(run(0) + ".points", hasSize(0));
    }

    @Test
    void confusionDiffBetweenTwoRunsPerClassWithTheFoldSpread() {
        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 0; i < 2; i++) {
                Run run = Run.findById(runIds.get(i));
                run.labels = List.of("cat", "dog");
                List<Fold> folds = Fold.list("runId = ?1 order by foldIndex", run.id);
                for (Fold f : folds) {
                    f.status = RunStatus.SUCCEEDED;
                    f.accuracy = 0.5;
                    // baseline: cat 8 and 6 of 10 right; the other run: 9 of 10 on both folds
                    int right = i == 0 ? 8 - 2 * f.foldIndex : 9;
                    f.confusion = List.of(List.of(right, 10 - right), List.of(5, 5));
                }
            }
        });
        given().queryParam("against", runIds.get(0)).when().get("/api/runs/" + runIds.get(1) + "/confusion-diff")
                .then().statusCode(200)
                .body("epoch", equalTo("best epoch"))
                .body("sameSplits", equalTo(true))
                .body("diff.folds", equalTo(List.of(0, 1)))
                .body("diff.classes[0].label", equalTo("cat"))
                .body("diff.classes[0].change", closeTo(0.2, 1e-9))
                .body("diff.classes[0].std", closeTo(Math.sqrt(0.02), 1e-9))
                .body("diff.classes[1].change", closeTo(0.0, 1e-9))
                .body("diff.matrix[0][1]", closeTo(-0.2, 1e-9));
        given().when().get("/api/runs/" + runIds.get(1) + "/confusion-diff").then().statusCode(400)
                .body("error", containsString("against is required"));
        given().queryParam("against", runIds.get(2)).when().get("/api/runs/" + runIds.get(1) + "/confusion-diff")
                .then().statusCode(400).body("error", containsString("do not have the same class labels"));
        given().queryParam("against", 987654321).when().get("/api/runs/" + runIds.get(1) + "/confusion-diff")
                .then().statusCode(404).body("error", equalTo("run 987654321 not found"));
    }

    @Test
    void runsFilterAndSortByAnyTrainingField() {
        given().when().get("/api/experiments/" + experiment + "/views/fields").then().statusCode(200)
                .body("name", equalTo(List.of("weightDecay", "augmentation")))
                .body("[0].values", equalTo(List.of(5e-4, 5e-3)))
                .body("[1].values", equalTo(List.of("crop-flip", "crop-flip-cutout")));
        given().queryParam("experiment", experiment).queryParam("weightDecay", "0.005")
                .when().get("/api/runs").then().statusCode(200)
                .body("total", equalTo(2)).body("items.hyperparameters.weightDecay", equalTo(List.of(5e-3, 5e-3)));
        given().queryParam("experiment", experiment).queryParam("weightDecay", "5e-4")
                .queryParam("augmentation", "crop-flip-cutout").when().get("/api/runs").then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].id", equalTo(runIds.get(1).intValue()));
        given().queryParam("experiment", experiment).queryParam("sort", "-weightDecay,augmentation")
                .when().get("/api/runs").then().statusCode(200)
                .body("items.id", equalTo(List.of(runIds.get(2).intValue(), runIds.get(3).intValue(),
                        runIds.get(0).intValue(), runIds.get(1).intValue())));
        given().queryParam("weightDecay", "lots").when().get("/api/runs").then().statusCode(400)
                .body("error", containsString("weightDecay needs a number, got 'lots'"));
        given().queryParam("weightDecay", "2").when().get("/api/runs").then().statusCode(400)
                .body("error", containsString("weightDecay must be >= 0 and < 1, got 2.0"));
        given().queryParam("augmentation", "mixup").when().get("/api/runs").then().statusCode(400)
                .body("error", containsString("augmentation"));
    }

    @Test
    void aSampledExperimentIsStoredRunByRunAndBadBoundsAre400s() {
        Map<String, Object> spec = Fixtures.spec(Fixtures.cifarFolder().toString());
        spec.put("architectures", List.of("lenet5"));
        spec.put("batchSizes", List.of(16, 32));
        spec.remove("learningRates");
        spec.remove("weightDecay");
        spec.put("sample", Map.of("count", 3, "seed", 7, "fields", Map.of("learningRate", Map.of("logUniform", List.of(1e-4, 0.1)),
                "weightDecay", Map.of("uniform", List.of(0, 0.01)))));
        long id = given().contentType(ContentType.JSON).body(spec).when().post("/api/experiments")
                .then().statusCode(201).body("runIds", hasSize(6)).extract().jsonPath().getLong("id");
        given().when().get("/api/experiments/" + id).then().statusCode(200)
                .body("spec.sample.seed", equalTo(7)).body("spec.sample.count", equalTo(3));
        // every grid point gets the same three draws; the stored runs say which
        given().queryParam("experiment", id).queryParam("batchSize", 16).when().get("/api/runs").then().statusCode(200)
                .body("total", equalTo(3));
        given().when().get("/api/experiments/" + id + "/views/fields").then().statusCode(200)
                .body("name", equalTo(List.of("batchSize", "learningRate", "weightDecay")))
                .body("[1].values", hasSize(3));

        spec.put("sample", Map.of("count", 3, "fields", Map.of("weightDecay", Map.of("uniform", List.of(0, 1)))));
        given().contentType(ContentType.JSON).body(spec).when().post("/api/experiments").then().statusCode(400)
                .body("violations[0].field", equalTo("sample.fields.weightDecay.uniform[1]"))
                .body("violations[0].message", containsString("must be >= 0 and < 1"));
    }

    private String run(int i) {
        return "runs.find { it.runId == " + runIds.get(i) + " }";
    }

    @Test
    void badParametersAre400sNamingTheProblem() {
        String views = "/api/experiments/" + experiment + "/views/";
        given().queryParam("x", "batchsize").when().get(views + "accuracy-by").then().statusCode(400)
                .body("error", containsString("x 'batchsize' is not a training field; known: [architecture, batchSize"));
        given().queryParam("x", "augmentation").queryParam("series", "augmentation").when().get(views + "accuracy-by")
                .then().statusCode(400).body("error", containsString("both 'augmentation'"));
        given().queryParam("metric", "median").when().get(views + "parallel").then().statusCode(400)
                .body("error", containsString("'best', 'last' or 'mean-last-N'"));
        given().queryParam("metric", "last").when().get("/api/experiments/" + experiment + "/comparison")
                .then().statusCode(400).body("error", containsString("no finished fold yet"));
        given().when().get("/api/experiments/987654321/views/progress").then().statusCode(404)
                .body("error", equalTo("experiment 987654321 not found"));
    }
}
