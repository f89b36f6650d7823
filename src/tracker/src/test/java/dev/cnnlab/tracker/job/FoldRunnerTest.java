package dev.cnnlab.tracker.job;

import static dev.cnnlab.tracker.job.JobWorkerTest.submit;
import static dev.cnnlab.tracker.job.JobWorkerTest.tinySpec;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.PostgresResource;
import dev.cnnlab.tracker.run.EpochMetric;
import dev.cnnlab.tracker.run.Fold;
import dev.cnnlab.tracker.run.Run;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stopping a fold mid-way: a shutdown hands it back to resume from its checkpoint; a cancel ends it. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class FoldRunnerTest {
    @Inject
    JobQueue queue;
    @Inject
    FoldRunner runner;
    @Inject
    JobWorker worker;
    @Inject
    EntityManager em;

    static long epochs(Claim claim) {
        Fold fold = Fold.find("runId = ?1 and foldIndex = ?2", claim.runId(), claim.foldIndex()).firstResult();
        return EpochMetric.count("foldId", fold.id);
    }

    @Test
    void aFoldStoppedAfterItsFirstEpochResumesFromTheCheckpointWithoutRepeatingIt() {
        long experiment = submit(tinySpec(List.of("lenet5"), List.of(32), 2));
        Claim claim = queue.claim("stopping", 60, experiment).orElseThrow();
        // the process "shuts down" as soon as epoch 1 is recorded
        runner.run(claim, () -> epochs(claim) >= 1 ? FoldRunner.Stop.SHUTDOWN : FoldRunner.Stop.NONE);

        Job job = Job.findById(claim.jobId());
        assertEquals("QUEUED", job.state.name(), "released at once, not after the lease");
        assertNull(job.leaseOwner);
        assertEquals(1, epochs(claim));
        Fold fold = Fold.find("runId = ?1 and foldIndex = ?2", claim.runId(), claim.foldIndex()).firstResult();
        Instant firstEpochAt = EpochMetric.<EpochMetric>find("foldId = ?1 and epoch = 1", fold.id).firstResult().recordedAt;

        while (worker.runOnce(experiment)) {
            // both folds: the stopped one resumes at epoch 2, the other starts fresh
        }
        em.clear();   // read what the worker wrote, not the entities loaded above
        Run run = Run.findById(claim.runId());
        assertEquals("SUCCEEDED", run.status.name(), run.error);
        List<EpochMetric> rows = EpochMetric.list("foldId = ?1 order by epoch", fold.id);
        assertEquals(List.of(1, 2), rows.stream().map(m -> m.epoch).toList());
        assertEquals(firstEpochAt, rows.get(0).recordedAt, "epoch 1 was not trained again");
        assertEquals(2, ((Job) Job.findById(claim.jobId())).attempts);
    }

    @Test
    void aCancelledFoldStopsAtTheNextBatch() {
        long experiment = submit(tinySpec(List.of("lenet5"), List.of(16), 2));
        Claim claim = queue.claim("w", 60, experiment).orElseThrow();
        given().post("/api/runs/" + claim.runId() + "/cancel").then().statusCode(200);
        runner.run(claim, () -> queue.heartbeat(claim, 60) == JobQueue.Beat.CANCELLED
                ? FoldRunner.Stop.CANCELLED : FoldRunner.Stop.NONE);

        em.clear();
        assertEquals("CANCELLED", ((Job) Job.findById(claim.jobId())).state.name());
        assertEquals(0, epochs(claim), "stopped before finishing an epoch");
        assertEquals("CANCELLED", ((Run) Run.findById(claim.runId())).status.name());
        assertTrue(Job.count("runId = ?1 and state <> 'CANCELLED'", claim.runId()) == 0);
    }
}
