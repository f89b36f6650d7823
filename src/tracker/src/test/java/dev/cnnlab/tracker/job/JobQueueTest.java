package dev.cnnlab.tracker.job;

import static dev.cnnlab.tracker.job.JobWorkerTest.expireLeases;
import static dev.cnnlab.tracker.job.JobWorkerTest.submit;
import static dev.cnnlab.tracker.job.JobWorkerTest.tinySpec;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.PostgresResource;
import dev.cnnlab.tracker.run.Fold;
import dev.cnnlab.tracker.run.Run;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class JobQueueTest {
    @Inject
    JobQueue queue;

    @Test
    void concurrentClaimersGetEveryJobExactlyOnce() throws Exception {
        // 10 batch sizes x 2 folds = 20 jobs, claimed by 4 threads started together
        long experiment = submit(tinySpec(List.of("lenet5"), IntStream.rangeClosed(1, 10).boxed().toList(), 1));
        List<Long> claimed = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            String owner = "claimer-" + t;
            futures.add(pool.submit(() -> {
                go.await();
                for (Optional<Claim> c = queue.claim(owner, 60, experiment); c.isPresent();
                        c = queue.claim(owner, 60, experiment)) {
                    claimed.add(c.get().jobId());
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        assertEquals(20, claimed.size());
        assertEquals(20, new HashSet<>(claimed).size(), "no job claimed twice: " + claimed);
        assertEquals(20, Job.count("id in ?1 and state = 'RUNNING' and attempts = 1 and leaseOwner like 'claimer-%'",
                claimed));
        given().post("/api/experiments/" + experiment + "/cancel").then().statusCode(200);
    }

    @Test
    void anExpiredLeaseIsClaimedAgainUntilAttemptsRunOut() {
        long experiment = submit(tinySpec(List.of("lenet5"), List.of(16), 1));
        Claim first = queue.claim("dead-1", 60, experiment).orElseThrow();
        Claim second = queue.claim("alive", 60, experiment).orElseThrow();
        assertTrue(queue.claim("other", 60, experiment).isEmpty(), "both jobs are leased");

        expireLeases(experiment);   // as if both workers stopped heartbeating
        assertEquals(JobQueue.Beat.OK, queue.heartbeat(second, 60), "a live worker's beat renews its lease");
        Claim again = queue.claim("dead-2", 60, experiment).orElseThrow();
        assertEquals(first.jobId(), again.jobId());
        assertEquals(2, again.attempt());
        assertEquals(JobQueue.Beat.LOST, queue.heartbeat(first, 60), "the first owner learns it lost the job");

        expireLeases(experiment);
        queue.heartbeat(second, 60);
        assertEquals(3, queue.claim("dead-3", 60, experiment).orElseThrow().attempt());
        expireLeases(experiment);
        queue.heartbeat(second, 60);
        assertTrue(queue.claim("next", 60, experiment).isEmpty(), "3 of 3 attempts used");

        Job job = Job.findById(first.jobId());
        assertEquals("FAILED", job.state.name());
        assertTrue(job.error.contains("dead-3") && job.error.contains("attempt 3 of 3"), job.error);
        Run run = Run.findById(first.runId());
        assertEquals("FAILED", run.status.name());
        assertTrue(run.error.startsWith("fold " + first.foldIndex()), run.error);
        assertEquals("FAILED", Fold.<Fold>find("runId = ?1 and foldIndex = ?2", run.id, first.foldIndex())
                .firstResult().status.name());
    }

    @Test
    void aCancelledRunIsReportedByTheNextHeartbeat() {
        long experiment = submit(tinySpec(List.of("lenet5"), List.of(16), 1));
        Claim claim = queue.claim("w", 60, experiment).orElseThrow();
        assertEquals(JobQueue.Beat.OK, queue.heartbeat(claim, 60));
        given().post("/api/runs/" + claim.runId() + "/cancel").then().statusCode(200);
        assertEquals(JobQueue.Beat.CANCELLED, queue.heartbeat(claim, 60));
        assertEquals(1, Job.count("runId = ?1 and state = 'CANCELLED'", claim.runId()), "the queued fold");
        assertEquals(1, Job.count("runId = ?1 and state = 'RUNNING' and cancelRequested = true", claim.runId()));
    }
}
