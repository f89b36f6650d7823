package dev.cnnlab.tracker.job;

import static dev.cnnlab.tracker.job.FoldRunnerTest.epochs;
import static dev.cnnlab.tracker.job.JobWorkerTest.submit;
import static dev.cnnlab.tracker.job.JobWorkerTest.tinySpec;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cnnlab.training.loop.Checkpoint;
import dev.cnnlab.tracker.PostgresResource;
import dev.cnnlab.tracker.run.EpochMetric;
import dev.cnnlab.tracker.run.Fold;
import dev.cnnlab.tracker.run.Run;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** A full disk under a checkpoint, an epoch checkpointed but never recorded, and retrying a run. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class JobFaultsTest {
    /** Writing to /dev/full fails with ENOSPC, exactly as a write to a full disk does. */
    static final Path FULL = Path.of("/dev/full");

    @Inject
    JobQueue queue;
    @Inject
    Lifecycle lifecycle;
    @Inject
    FoldRunner runner;
    @Inject
    JobWorker worker;
    @Inject
    EntityManager em;
    @ConfigProperty(name = "cnnlab.checkpoint-dir")
    Path checkpointDir;

    Fold fold(Claim claim) {
        return Fold.find("runId = ?1 and foldIndex = ?2", claim.runId(), claim.foldIndex()).firstResult();
    }

    @Test
    void aFullDiskFailsTheFoldNamingTheCheckpointAndARetryResumesIt() {
        assumeTrue(Files.exists(FULL), "needs Linux's /dev/full");
        long experiment = submit(tinySpec(List.of("lenet5"), List.of(32), 2));
        Claim claim = queue.claim("disk", 60, experiment).orElseThrow();
        Path dir = checkpointDir.resolve("run-" + claim.runId()).resolve("fold-" + claim.foldIndex());
        Path epoch2 = dir.resolve("model-epoch-0002.zip");
        Path tmp = dir.resolve(epoch2.getFileName() + ".tmp");   // where Checkpoint writes it first
        // once epoch 1 is recorded the disk is full: epoch 2's network goes to /dev/full
        runner.run(claim, () -> {
            if (epochs(claim) == 1 && !Files.exists(tmp, LinkOption.NOFOLLOW_LINKS)) {
                link(tmp, FULL);
            }
            return FoldRunner.Stop.NONE;
        });

        em.clear();
        Job job = Job.findById(claim.jobId());
        assertEquals("FAILED", job.state.name(), "a full disk is not retried at once: " + job.error);
        assertTrue(job.error.contains(epoch2.toString()) && job.error.contains("No space left on device"), job.error);
        assertEquals(job.error, fold(claim).error);
        assertEquals("FAILED", fold(claim).status.name());
        given().get("/api/runs/" + claim.runId()).then().statusCode(200).body("status", equalTo("FAILED"))
                .body("error", allOf(containsString(epoch2.toString()), containsString("No space left on device")));
        assertEquals(1, epochs(claim), "epoch 1 is kept");
        assertFalse(Files.exists(tmp, LinkOption.NOFOLLOW_LINKS), "the partial file is removed");
        assertEquals(1, new Checkpoint(dir).state().orElseThrow().epochsDone(), "the epoch-1 checkpoint is intact");
        Instant epoch1At = EpochMetric.<EpochMetric>find("foldId = ?1 and epoch = 1", fold(claim).id).firstResult()
                .recordedAt;

        // there is space again: the retry resumes fold 0 after epoch 1 and trains fold 1, cancelled by the failure
        given().post("/api/runs/" + claim.runId() + "/retry").then().statusCode(200)
                .body("status", equalTo("QUEUED")).body("error", nullValue());
        int ran = 0;
        while (worker.runOnce(experiment)) {
            ran++;
        }
        em.clear();
        assertEquals(2, ran);
        Run run = Run.findById(claim.runId());
        assertEquals("SUCCEEDED", run.status.name(), run.error);
        assertNull(run.error);
        List<EpochMetric> rows = EpochMetric.list("foldId = ?1 order by epoch", fold(claim).id);
        assertEquals(List.of(1, 2), rows.stream().map(m -> m.epoch).toList());
        assertEquals(epoch1At, rows.get(0).recordedAt, "resumed from the checkpoint: epoch 1 was not trained again");
        job = Job.findById(claim.jobId());
        assertEquals(2, job.attempts);
        assertNull(fold(claim).error);
        assertEquals(2, Job.count("runId = ?1 and state = 'DONE'", claim.runId()));
    }

    @Test
    void anEpochCheckpointedButNeverRecordedIsRecordedWhenTheFoldResumes() {
        long experiment = submit(tinySpec(List.of("lenet5"), List.of(32), 2));
        Claim claim = queue.claim("dies", 60, experiment).orElseThrow();
        runner.run(claim, () -> epochs(claim) >= 1 ? FoldRunner.Stop.SHUTDOWN : FoldRunner.Stop.NONE);
        long foldId = fold(claim).id;
        EpochMetric recorded = EpochMetric.find("foldId = ?1 and epoch = 1", foldId).firstResult();
        // as if the worker died between writing the checkpoint and recording the epoch
        QuarkusTransaction.requiringNew().run(() -> EpochMetric.delete("foldId = ?1", foldId));

        while (worker.runOnce(experiment)) {
            // fold 0 resumes at epoch 2, fold 1 trains from scratch
        }
        em.clear();
        assertEquals("SUCCEEDED", ((Run) Run.findById(claim.runId())).status.name());
        List<EpochMetric> rows = EpochMetric.list("foldId = ?1 order by epoch", foldId);
        assertEquals(List.of(1, 2), rows.stream().map(m -> m.epoch).toList());
        EpochMetric restored = rows.get(0);
        assertEquals(recorded.trainLoss, restored.trainLoss, "epoch 1 as trained, from the checkpoint");
        assertEquals(recorded.valAccuracy, restored.valAccuracy);
        assertEquals(recorded.seconds, restored.seconds);
    }

    @Test
    void onlyASettledRunCanBeRetried() {
        long experiment = submit(tinySpec(List.of("lenet5"), List.of(16), 1));
        Claim claim = queue.claim("w", 60, experiment).orElseThrow();
        given().post("/api/runs/" + claim.runId() + "/retry").then().statusCode(409)
                .body("error", containsString("only a FAILED or CANCELLED run can be retried"));
        given().post("/api/runs/" + claim.runId() + "/cancel").then().statusCode(200);
        given().post("/api/runs/" + claim.runId() + "/retry").then().statusCode(409)
                .body("error", containsString("still has a fold stopping"));
        lifecycle.cancelled(claim);   // the worker saw the cancel and stopped
        given().post("/api/runs/" + claim.runId() + "/retry").then().statusCode(200).body("status", equalTo("QUEUED"));
        em.clear();
        assertEquals(2, Job.count("runId = ?1 and state = 'QUEUED' and cancelRequested = false", claim.runId()));
        given().post("/api/runs/99999999/retry").then().statusCode(404).body("error", equalTo("run 99999999 not found"));
        given().post("/api/experiments/" + experiment + "/cancel").then().statusCode(200);
    }

    private static void link(Path link, Path target) {
        try {
            Files.createSymbolicLink(link, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
