package dev.cnnlab.tracker.job;

import static dev.cnnlab.tracker.job.CancelRaceTest.waitUntilBlockedOnALock;
import static dev.cnnlab.tracker.job.JobWorkerTest.submit;
import static dev.cnnlab.tracker.job.JobWorkerTest.tinySpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.PostgresResource;
import dev.cnnlab.tracker.run.Fold;
import dev.cnnlab.tracker.run.Run;
import dev.cnnlab.tracker.run.RunStatus;
import dev.cnnlab.training.loop.FoldResult;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two workers finish two folds of a losing run at the same moment: the pruning decision is made once.
 * Both completions queue on the run row; the first prunes on 4 pairs, the second finds the run PRUNED,
 * records its fold and leaves the verdict alone (without the lock it would prune again on 5 pairs).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class PruningRaceTest {
    @Inject
    JobQueue queue;
    @Inject
    JobLedger ledger;
    @Inject
    EntityManager em;

    @Test
    void twoFoldsFinishingTogetherPruneTheRunOnce() throws Exception {
        Map<String, Object> spec = tinySpec(List.of("lenet5"), List.of(16, 32), 1);
        spec.put("folds", 6);
        spec.put("pruning", Map.of("kind", "wilcoxon", "pValue", 0.1, "minFolds", 2));
        long experiment = submit(spec);
        List<Run> runs = Run.list("experimentId = ?1 order by id", experiment);
        long best = runs.get(0).id;
        long loser = runs.get(1).id;
        try (Connection c = DriverManager.getConnection(PostgresResource.jdbcUrl()); Statement st = c.createStatement()) {
            // the best run finished at 60% on every fold; the loser finished folds 0-2 at 10%
            st.executeUpdate("UPDATE folds SET status = 'SUCCEEDED', accuracy = 0.6 WHERE run_id = " + best);
            st.executeUpdate("UPDATE runs SET status = 'SUCCEEDED', mean_accuracy = 0.6 WHERE id = " + best);
            st.executeUpdate("UPDATE jobs SET state = 'DONE' WHERE run_id = " + best
                    + " OR (run_id = " + loser + " AND fold_index < 3)");
            st.executeUpdate("UPDATE folds SET status = 'SUCCEEDED', accuracy = 0.1 WHERE run_id = " + loser
                    + " AND fold_index < 3");
        }
        Claim three = queue.claim("worker-a", 60, experiment).orElseThrow();
        Claim four = queue.claim("worker-b", 60, experiment).orElseThrow();
        assertEquals(List.of(3, 4), List.of(three.foldIndex(), four.foldIndex()));

        try (Connection holder = DriverManager.getConnection(PostgresResource.jdbcUrl());
             Statement st = holder.createStatement()) {
            holder.setAutoCommit(false);
            st.execute("SELECT id FROM runs WHERE id = " + loser + " FOR UPDATE");
            CompletableFuture<Void> a = CompletableFuture.runAsync(() -> ledger.succeeded(three, result(3), List.of("x")));
            waitUntilBlockedOnALock(a);
            CompletableFuture<Void> b = CompletableFuture.runAsync(() -> ledger.succeeded(four, result(4), List.of("x")));
            waitUntilWaiters(2);
            holder.commit();
            CompletableFuture.allOf(a, b).get(30, TimeUnit.SECONDS);
        }
        em.clear();
        Run run = Run.findById(loser);
        assertEquals(RunStatus.PRUNED, run.status);
        assertTrue(run.stopReason.startsWith("pruned after 4 of 6 folds: worse than run " + best + " on folds [0, 1, 2, "),
                run.stopReason);
        assertTrue(run.stopReason.endsWith("p = 0.0625 < 0.1, 4 pairs)"), "decided once, on 4 pairs: " + run.stopReason);
        assertEquals(List.of(RunStatus.SUCCEEDED, RunStatus.SUCCEEDED, RunStatus.SUCCEEDED, RunStatus.SUCCEEDED,
                        RunStatus.SUCCEEDED, RunStatus.CANCELLED),
                Fold.<Fold>list("runId = ?1 order by foldIndex", loser).stream().map(f -> f.status).toList(),
                "both finished folds are kept; the queued one is cancelled");
        assertEquals(1, Job.count("runId = ?1 and state = ?2", loser, Job.State.CANCELLED));
        assertEquals(0, Job.count("runId = ?1 and state in ?2", loser, List.of(Job.State.QUEUED, Job.State.RUNNING)));
    }

    private static FoldResult result(int fold) {
        return new FoldResult(fold, 36, 4, 1, 0.1, 2.2, null, List.of(), false, 1.0, 100.0, null);
    }

    /** {@code n} transactions are parked on a lock on the runs table. */
    private static void waitUntilWaiters(int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Connection c = DriverManager.getConnection(PostgresResource.jdbcUrl()); Statement st = c.createStatement()) {
            while (true) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE wait_event_type = 'Lock' AND query ILIKE '%runs%'")) {
                    rs.next();
                    if (rs.getInt(1) >= n) {
                        return;
                    }
                }
                assertTrue(System.nanoTime() < deadline, "the completions never both reached the run row");
                Thread.sleep(20);
            }
        }
    }
}
