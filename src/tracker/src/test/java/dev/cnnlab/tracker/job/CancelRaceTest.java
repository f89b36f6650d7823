package dev.cnnlab.tracker.job;

import static dev.cnnlab.tracker.job.JobWorkerTest.submit;
import static dev.cnnlab.tracker.job.JobWorkerTest.tinySpec;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.PostgresResource;
import dev.cnnlab.tracker.run.Run;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A cancel that arrives while a worker's transaction is settling the same run: it must wait for that
 * transaction and then answer from what it wrote, never overwrite it with the run as read before.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class CancelRaceTest {
    @Inject
    EntityManager em;

    @Test
    void aCancelDuringACompletionWaitsAndDoesNotOverwriteIt() throws Exception {
        long experiment = submit(tinySpec(List.of("lenet5"), List.of(16), 1));
        long runId = Run.<Run>find("experimentId", experiment).firstResult().id;
        RequestSpecification request = given();   // carries this test's token to the other thread
        try (Connection worker = DriverManager.getConnection(PostgresResource.jdbcUrl());
             Statement st = worker.createStatement()) {
            // what Lifecycle does when the last fold succeeds: lock the run row, then settle it
            worker.setAutoCommit(false);
            st.execute("SELECT id FROM runs WHERE id = " + runId + " FOR UPDATE");
            CompletableFuture<Response> cancel = CompletableFuture.supplyAsync(
                    () -> request.post("/api/runs/" + runId + "/cancel").andReturn());
            waitUntilBlockedOnALock(cancel);
            st.executeUpdate("UPDATE runs SET status = 'SUCCEEDED', mean_accuracy = 0.5, finished_at = now()"
                    + " WHERE id = " + runId);
            worker.commit();

            Response answer = cancel.get(30, TimeUnit.SECONDS);
            assertEquals(409, answer.statusCode(), answer.asString());
            assertTrue(answer.jsonPath().getString("error").contains("already finished as SUCCEEDED"), answer.asString());
        }
        em.clear();
        Run run = Run.findById(runId);
        assertEquals("SUCCEEDED", run.status.name(), "the completion stands");
        assertEquals(0.5, run.meanAccuracy);
        assertEquals(2, Job.count("runId = ?1 and state = 'QUEUED'", runId), "and the refused cancel changed no job");
        // the run was settled by hand with its folds still queued: keep them from other tests' workers
        QuarkusTransaction.requiringNew().run(() -> Job.update("state = 'CANCELLED' where runId = ?1", runId));
    }

    /** The cancel's transaction is parked on a row lock (pg_stat_activity says so), not merely slow. */
    static void waitUntilBlockedOnALock(CompletableFuture<?> request) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Connection c = DriverManager.getConnection(PostgresResource.jdbcUrl()); Statement st = c.createStatement()) {
            while (true) {
                assertTrue(!request.isDone(), () -> "the cancel did not wait for the lock: " + request.join());
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE wait_event_type = 'Lock' AND query ILIKE '%runs%'")) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                assertTrue(System.nanoTime() < deadline, "the cancel never reached the run row");
                Thread.sleep(20);
            }
        }
    }
}
