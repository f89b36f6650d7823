package dev.cnnlab.tracker.job;

import static dev.cnnlab.tracker.job.WorkerCrashIT.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.cnnlab.tracker.TinyDataset;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL crashed or stopped, then started again on the same data under a running packaged tracker: its
 * workers keep training, wait for the database, and finish with every epoch recorded exactly once and
 * no fold claimed twice; its API answers again at once.
 */
class DatabaseRestartIT {
    final Path home = Path.of(System.getProperty("cnnlab.it.dir", "target/it")).resolve("db-restart");

    static String spec(String name, int epochs) {
        return """
                {"name":"%s","dataset":"%s","architectures":["lenet5"],"batchSizes":[32],"epochs":%d,"folds":2}"""
                .formatted(name, TinyDataset.folder(40), epochs);
    }

    @Test
    void workersWaitOutADatabaseRestartAndRecordEveryEpochOnce() throws Exception {
        try (PackagedTrackers it = new PackagedTrackers(home)) {
            int port = it.start("tracker", 2, "-Dcnnlab.lease-seconds=15");
            String stopped;
            long runId;
            // Hold back every epoch write, so both folds are surely inside one (their epoch 1) when the
            // database stops: an epoch of this tiny data set is faster than a shutdown.
            try (Connection lock = PackagedTrackers.holdEpochWrites(it.connect())) {
                runId = PackagedTrackers.submit(port, spec("db-restart", 3)).get(0);
                waitFor(() -> it.noJobFailed()
                        && it.query("SELECT count(*)" + PackagedTrackers.WAITING_EPOCH_WRITES) == 2,
                        300, "both folds writing epoch 1");
                stopped = it.text("SELECT now()::text");
                it.crashDatabase();
            }
            // the crash ends both writes; each waits for the database and writes again
            waitFor(() -> it.readLog("tracker").contains("job 1 epoch 1: database unreachable")
                    && it.readLog("tracker").contains("job 2 epoch 1: database unreachable"), 300,
                    "epoch 1 written during the outage");
            it.startDatabase();

            waitFor(() -> it.query("SELECT count(*) FROM runs WHERE status <> 'RUNNING'") == 1, 300, "run finished");
            assertEquals("SUCCEEDED", it.text("SELECT status || coalesce(': ' || error, '') FROM runs WHERE id = " + runId));
            assertEquals("0:1 0:2 0:3 1:1 1:2 1:3", it.text("SELECT string_agg(f.fold_index || ':' || e.epoch, ' '"
                    + " ORDER BY f.fold_index, e.epoch) FROM epoch_metrics e JOIN folds f ON f.id = e.fold_id"),
                    "every epoch once");
            assertEquals(2, it.query("SELECT count(*) FROM epoch_metrics WHERE epoch = 1 AND recorded_at > '"
                    + stopped + "'::timestamptz"), "the epochs whose writes failed in the outage were written after it");
            assertEquals(2, it.query("SELECT count(*) FROM jobs WHERE state = 'DONE' AND attempts = 1"),
                    "each fold ran once, by the worker that claimed it");
            assertEquals(2, it.query("SELECT count(*) FROM folds WHERE status = 'SUCCEEDED' AND accuracy IS NOT NULL"));
            assertEquals(1, it.query("SELECT count(*) FROM runs r WHERE abs(r.mean_accuracy"
                    + " - (SELECT avg(accuracy) FROM folds WHERE run_id = r.id)) < 1e-9"));
            assertFalse(it.readLog("tracker").contains("dropping its result"), "no result was dropped");
        }
    }

    @Test
    void theApiAnswersRightAfterARestart() throws Exception {
        try (PackagedTrackers it = new PackagedTrackers(home)) {
            int port = it.start("api", 0);
            long runId = PackagedTrackers.submit(port, spec("api-restart", 1)).get(0);
            assertEquals(List.of(200), PackagedTrackers.reads(port, runId), "concurrent reads fill the pool");
            it.stopDatabase();
            it.startDatabase();
            // every pooled connection died with the old server; the pool checks each before lending it
            assertEquals(List.of(200), PackagedTrackers.reads(port, runId));
        }
    }
}
