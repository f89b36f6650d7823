package dev.cnnlab.tracker.job;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.Fixtures;
import dev.cnnlab.tracker.PostgresResource;
import dev.cnnlab.tracker.TinyDataset;
import dev.cnnlab.tracker.run.EpochMetric;
import dev.cnnlab.tracker.run.Fold;
import dev.cnnlab.tracker.run.Run;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The worker against real PostgreSQL and real (tiny) training; tests call it instead of sleeping. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class JobWorkerTest {
    @Inject
    JobWorker worker;

    static long submit(Map<String, Object> spec) {
        return given().contentType(ContentType.JSON).body(spec).when().post("/api/experiments")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    static Map<String, Object> tinySpec(List<String> architectures, List<Integer> batchSizes, int epochs) {
        Map<String, Object> spec = Fixtures.spec(TinyDataset.folder(40).toString());
        spec.put("architectures", architectures);
        spec.put("batchSizes", batchSizes);
        spec.put("epochs", epochs);
        spec.put("subset", 0);
        spec.put("heldOut", 0);
        return spec;
    }

    @Test
    void gridOfTwoArchitecturesAndTwoBatchSizesRunsToCompletionOnTwoWorkers() throws Exception {
        long experiment = submit(tinySpec(List.of("lenet5", "keras-cifar10"), List.of(16, 32), 1));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Integer>> done = pool.invokeAll(List.of(() -> drain(experiment), () -> drain(experiment)));
        pool.shutdown();
        assertEquals(8, done.get(0).get() + done.get(1).get(), "8 fold jobs, each run once");

        List<Run> runs = Run.list("experimentId", experiment);
        assertEquals(4, runs.size());
        for (Run run : runs) {
            assertEquals("SUCCEEDED", run.status.name(), "run " + run.id + ": " + run.error);
            assertNotNull(run.meanAccuracy);
            assertNotNull(run.stdAccuracy);
            assertNotNull(run.imagesPerSec);
            assertNotNull(run.durationSeconds);
            assertEquals(10, run.labels.size());
            assertNotNull(run.environment.get("dl4jVersion"));
            List<Fold> folds = Fold.list("runId = ?1 order by foldIndex", run.id);
            assertEquals(2, folds.size());
            for (Fold fold : folds) {
                assertEquals("SUCCEEDED", fold.status.name());
                assertEquals(200, fold.trainSize);
                assertEquals(200, fold.valSize);
                assertEquals(1, EpochMetric.count("foldId", fold.id));
                assertEquals(200, fold.confusion.stream().flatMap(List::stream).mapToInt(Integer::intValue).sum());
            }
            double mean = folds.stream().mapToDouble(f -> f.accuracy).average().orElseThrow();
            assertEquals(mean, run.meanAccuracy, 1e-12);
            assertEquals(2, Job.count("runId = ?1 and state = 'DONE' and attempts = 1", run.id));
        }
        given().when().get("/api/runs/" + runs.get(0).id).then().statusCode(200)
                .body("status", equalTo("SUCCEEDED")).body("progress", equalTo(1.0f))
                .body("folds[0].perClass", hasSize(10)).body("folds[0].epochs", hasSize(1))
                .body("folds[1].epochs[0].valAccuracy", notNullValue())
                .body("environment.jvmVersion", notNullValue());
        given().queryParam("experiment", experiment).when().get("/api/stats/accuracy-by-batch-size")
                .then().body("", hasSize(4)).body("[0].foldAccuracies", hasSize(2));
    }

    private int drain(long experiment) {
        int n = 0;
        while (worker.runOnce(experiment)) {
            n++;
        }
        return n;
    }

    @Test
    void aFoldThatCannotTrainFailsItsRunWithTheError() throws Exception {
        Map<String, Object> spec = tinySpec(List.of("lenet5"), List.of(16), 1);
        spec.put("dataset", java.nio.file.Files.createTempDirectory("empty").toString());
        long experiment = submit(spec);
        assertTrue(worker.runOnce(experiment));
        Run run = Run.find("experimentId", experiment).firstResult();
        assertEquals("FAILED", run.status.name());
        assertTrue(run.error.startsWith("fold 0: "), run.error);
        assertEquals(1, Job.count("runId = ?1 and state = 'FAILED' and error is not null", run.id));
        assertEquals(1, Job.count("runId = ?1 and state = 'CANCELLED'", run.id), "the other fold is not trained");
        assertFalse(worker.runOnce(experiment));
    }

    @Test
    void cancelledQueuedWorkIsNeverClaimed() {
        long experiment = submit(tinySpec(List.of("lenet5"), List.of(16), 1));
        given().when().post("/api/experiments/" + experiment + "/cancel").then().statusCode(200);
        assertFalse(worker.runOnce(experiment));
    }

    static void expireLeases(long experiment) {
        QuarkusTransaction.requiringNew().run(() -> Job.update(
                "leaseExpiresAt = ?1 where runId in (select r.id from Run r where r.experimentId = ?2) and state = 'RUNNING'",
                java.time.Instant.now().minusSeconds(1), experiment));
    }
}
