package dev.cnnlab.tracker.run;

import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import dev.cnnlab.tracker.Fixtures;
import dev.cnnlab.tracker.PostgresResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class RunResourceTest {
    /** Decimals as doubles, so closeTo compares them exactly as the JSON has them. */
    long experiment;
    List<Long> runIds;

    static RequestSpecification given() {
        return Fixtures.givenDoubles();
    }

    /** A fresh 2 x 2 x 2-fold experiment per test, so filters and counts see only its runs. */
    @BeforeEach
    void createExperiment() {
        var created = given().contentType(ContentType.JSON).body(Fixtures.spec(Fixtures.cifarFolder().toString()))
                .when().post("/api/experiments").then().statusCode(201).extract().jsonPath();
        experiment = created.getLong("id");
        runIds = created.getList("runIds", Long.class);
    }

    /** What the worker would record for a finished run: fold results and epochs. */
    static void finish(long runId, double... foldAccuracies) {
        QuarkusTransaction.requiringNew().run(() -> {
            Run run = Run.findById(runId);
            List<Fold> folds = Fold.list("runId = ?1 order by foldIndex", runId);
            double sum = 0;
            for (int k = 0; k < folds.size(); k++) {
                Fold fold = folds.get(k);
                fold.status = RunStatus.SUCCEEDED;
                fold.accuracy = foldAccuracies[k];
                sum += foldAccuracies[k];
                EpochMetric m = new EpochMetric();
                m.foldId = fold.id;
                m.epoch = 1;
                m.valAccuracy = foldAccuracies[k];
                m.recordedAt = Instant.now();
                m.persist();
            }
            run.status = RunStatus.SUCCEEDED;
            run.meanAccuracy = sum / folds.size();
        });
    }

    @Test
    void filtersByExperimentArchitectureBatchSizeAndStatus() {
        given().queryParam("experiment", experiment).when().get("/api/runs")
                .then().statusCode(200).body("total", equalTo(4)).body("items", hasSize(4))
                .body("items.status", everyItem(equalTo("QUEUED"))).body("items.progress", everyItem(equalTo(0.0)));
        given().queryParam("experiment", experiment).queryParam("architecture", "lenet5").when().get("/api/runs")
                .then().body("total", equalTo(2)).body("items.architecture", everyItem(equalTo("lenet5")));
        given().queryParam("experiment", experiment).queryParam("batchSize", 32).when().get("/api/runs")
                .then().body("total", equalTo(2)).body("items.batchSize", everyItem(equalTo(32)));
        finish(runIds.get(0), 0.5, 0.7);
        given().queryParam("experiment", experiment).queryParam("status", "SUCCEEDED").when().get("/api/runs")
                .then().body("total", equalTo(1)).body("items[0].id", equalTo(runIds.get(0).intValue()))
                .body("items[0].meanAccuracy", closeTo(0.6, 1e-9)).body("items[0].progress", equalTo(1.0));
    }

    @Test
    void sortsAndPages() {
        finish(runIds.get(1), 0.4, 0.4);
        finish(runIds.get(2), 0.9, 0.9);
        given().queryParam("experiment", experiment).queryParam("sort", "-meanAccuracy").when().get("/api/runs")
                .then().statusCode(200).body("items.id", contains(runIds.get(2).intValue(),
                        runIds.get(1).intValue(), runIds.get(0).intValue(), runIds.get(3).intValue()));
        given().queryParam("experiment", experiment).queryParam("sort", "-batchSize,architecture").when().get("/api/runs")
                .then().body("items.batchSize", contains(32, 32, 16, 16))
                .body("items.architecture", contains("keras-cifar10", "lenet5", "keras-cifar10", "lenet5"));
        given().queryParam("experiment", experiment).queryParam("sort", "id")
                .queryParam("page", 1).queryParam("size", 3).when().get("/api/runs")
                .then().body("total", equalTo(4)).body("page", equalTo(1)).body("size", equalTo(3))
                .body("items.id", contains(runIds.get(3).intValue()));
    }

    @Test
    void badQueryParametersAre400NamingThem() {
        given().queryParam("sort", "-bogus").when().get("/api/runs")
                .then().statusCode(400).body("code", equalTo(400)).body("error", containsString("bogus"));
        given().queryParam("status", "DONE").when().get("/api/runs")
                .then().statusCode(400).body("error", containsString("status"));
        given().queryParam("batchSize", "big").when().get("/api/runs")
                .then().statusCode(400).body("error", containsString("batchSize"));
        given().queryParam("size", 0).when().get("/api/runs")
                .then().statusCode(400).body("error", containsString("size"));
    }

    @Test
    void detailHasFoldsEpochsAndHyperparameters() {
        finish(runIds.get(0), 0.5, 0.7);
        given().when().get("/api/runs/" + runIds.get(0))
                .then().statusCode(200)
                .body("id", equalTo(runIds.get(0).intValue()))
                .body("experimentId", equalTo((int) experiment))
                .body("hyperparameters.batchSize", equalTo(16))
                .body("hyperparameters.subset", equalTo(400))
                .body("folds", hasSize(2))
                .body("folds.index", contains(0, 1))
                .body("folds[1].accuracy", closeTo(0.7, 1e-9))
                .body("folds[0].epochs[0].epoch", equalTo(1))
                .body("labels", hasSize(0));
        given().when().get("/api/runs/99999999").then().statusCode(404)
                .body("error", equalTo("run 99999999 not found"));
    }

    @Test
    void compareMarksDifferingParameters() {
        given().queryParam("ids", runIds.get(0) + "," + runIds.get(1)).when().get("/api/runs/compare")
                .then().statusCode(200)
                .body("runs.id", contains(runIds.get(0).intValue(), runIds.get(1).intValue()))
                .body("parameters.find { it.name == 'batchSize' }.values", contains(16, 32))
                .body("parameters.find { it.name == 'batchSize' }.differs", equalTo(true))
                .body("parameters.find { it.name == 'architecture' }.differs", equalTo(false))
                .body("parameters.find { it.name == 'learningRate' }.differs", equalTo(false))
                .body("parameters.find { it.name == 'folds' }.values", contains(2, 2));
        given().queryParam("ids", runIds.get(0) + ",99999999").when().get("/api/runs/compare")
                .then().statusCode(404).body("error", containsString("99999999"));
        given().when().get("/api/runs/compare").then().statusCode(400).body("error", containsString("ids"));
        given().queryParam("ids", "1,x").when().get("/api/runs/compare").then().statusCode(400);
    }

    @Test
    void cancelMarksTheRunAndItsQueuedWork() {
        long runId = runIds.get(3);
        given().when().post("/api/runs/" + runId + "/cancel")
                .then().statusCode(200).body("status", equalTo("CANCELLED")).body("finishedAt", containsString("T"));
        given().when().get("/api/runs/" + runId).then().body("folds.status", everyItem(equalTo("CANCELLED")));
        finish(runIds.get(0), 0.5, 0.5);
        given().when().post("/api/runs/" + runIds.get(0) + "/cancel")
                .then().statusCode(409).body("error", containsString("SUCCEEDED"));
        given().when().post("/api/runs/99999999/cancel").then().statusCode(404);
    }

    @Test
    void accuracyByBatchSizeAggregatesFoldAccuraciesInSql() {
        finish(runIds.get(0), 0.5, 0.7);   // lenet5, 16
        finish(runIds.get(1), 0.6, 0.6);   // lenet5, 32
        given().queryParam("experiment", experiment).when().get("/api/stats/accuracy-by-batch-size")
                .then().statusCode(200)
                .body("", hasSize(2))
                .body("[0].architecture", equalTo("lenet5"))
                .body("[0].batchSize", equalTo(16))
                .body("[0].runs", equalTo(1))
                .body("[0].mean", closeTo(0.6, 1e-9))
                .body("[0].std", closeTo(Math.sqrt(0.02), 1e-9))
                .body("[0].min", closeTo(0.5, 1e-9))
                .body("[0].max", closeTo(0.7, 1e-9))
                .body("[0].foldAccuracies", hasSize(2))
                .body("[1].std", closeTo(0.0, 1e-12));
        given().queryParam("experiment", 99999999).when().get("/api/stats/accuracy-by-batch-size")
                .then().statusCode(404);
    }

    @Test
    void statusOfAnUnstartedRunHasNoResults() {
        given().when().get("/api/runs/" + runIds.get(2))
                .then().body("meanAccuracy", nullValue()).body("startedAt", nullValue())
                .body("environment", nullValue()).body("folds[0].epochs", hasSize(0));
    }

}
