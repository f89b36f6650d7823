package dev.cnnlab.tracker.job;

import static dev.cnnlab.tracker.job.WorkerCrashIT.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.TinyDataset;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two packaged trackers (two OS processes, two workers each) drain one queue in one PostgreSQL while
 * the API cancels every other run, each as soon as one of its folds is training, through either
 * tracker. No job is claimed twice, and no write is lost: a cancel the API accepted stands even when
 * the cancelled fold completes afterwards, and every run that succeeded has consistent aggregates.
 */
class ConcurrencyIT {
    final Path home = Path.of(System.getProperty("cnnlab.it.dir", "target/it")).resolve("concurrency");

    @Test
    void twoProcessesClaimEachJobOnceWhileTheApiCancelsRuns() throws Exception {
        try (PackagedTrackers it = new PackagedTrackers(home)) {
            int[] ports = {it.start("a", 2), it.start("b", 2)};
            List<Long> runs = PackagedTrackers.submit(ports[0], """
                    {"name":"concurrency","dataset":"%s","architectures":["lenet5"],
                     "batchSizes":[16,24,32,40,48,56],"epochs":1,"folds":2}""".formatted(TinyDataset.folder(40)));
            assertEquals(6, runs.size());

            Set<String> claimers = new HashSet<>();
            Map<Long, Integer> cancelAnswers = new LinkedHashMap<>();
            waitFor(() -> {
                it.noJobFailed();
                String owners = it.text("SELECT coalesce(string_agg(DISTINCT split_part(lease_owner, ':', 2), ','), '')"
                        + " FROM jobs WHERE lease_owner IS NOT NULL");
                claimers.addAll(List.of(owners.split(",")));
                for (int i = 1; i < runs.size(); i += 2) {
                    long run = runs.get(i);
                    if (!cancelAnswers.containsKey(run)
                            && it.query("SELECT count(*) FROM jobs WHERE state = 'RUNNING' AND run_id = " + run) > 0) {
                        HttpResponse<String> answer = PackagedTrackers.post(ports[i / 2 % 2], "/api/runs/" + run + "/cancel", "");
                        cancelAnswers.put(run, answer.statusCode());
                    }
                }
                return it.query("SELECT count(*) FROM jobs WHERE state IN ('QUEUED', 'RUNNING')") == 0;
            }, 300, "every job settled");

            claimers.remove("");
            assertEquals(2, claimers.size(), "both processes claimed jobs: pids " + claimers);
            assertEquals(0, it.query("SELECT count(*) FROM jobs WHERE attempts > 1"), "no job was claimed twice");
            assertEquals(0, it.query("SELECT count(*) FROM jobs j JOIN folds f ON f.run_id = j.run_id"
                    + " AND f.fold_index = j.fold_index WHERE j.state = 'DONE' AND (f.status <> 'SUCCEEDED'"
                    + " OR (SELECT count(*) FROM epoch_metrics e WHERE e.fold_id = f.id) <> 1)"),
                    "every finished job stored its fold and its one epoch");
            assertEquals(3, cancelAnswers.size(), "a fold of every other run was caught training: " + cancelAnswers);
            for (var cancel : cancelAnswers.entrySet()) {
                String expected = cancel.getValue() == 200 ? "CANCELLED" : "SUCCEEDED";
                assertTrue(cancel.getValue() == 200 || cancel.getValue() == 409, cancel.toString());
                assertEquals(expected, it.text("SELECT status FROM runs WHERE id = " + cancel.getKey()),
                        "run " + cancel.getKey() + ": the API answered " + cancel.getValue());
            }
            assertEquals(0, it.query("SELECT count(*) FROM runs WHERE created_by IS DISTINCT FROM 'it'"
                    + " OR (status = 'CANCELLED') <> (cancelled_by IS NOT DISTINCT FROM 'it')"),
                    "the packaged trackers checked the token and recorded its name on every write");
            assertEquals(0, it.query("SELECT count(*) FROM runs WHERE status = 'CANCELLED' AND mean_accuracy IS NOT NULL"),
                    "no completion landed on a cancelled run");
            for (int i = 0; i < runs.size(); i += 2) {
                assertEquals("SUCCEEDED", it.text("SELECT status FROM runs WHERE id = " + runs.get(i)));
            }
            assertEquals(0, it.query("SELECT count(*) FROM runs r WHERE r.status = 'SUCCEEDED' AND (r.labels IS NULL"
                    + " OR r.environment IS NULL OR r.started_at IS NULL OR abs(r.mean_accuracy"
                    + " - (SELECT avg(accuracy) FROM folds WHERE run_id = r.id)) > 1e-9"
                    + " OR (SELECT count(*) FROM folds f WHERE f.run_id = r.id AND f.status = 'SUCCEEDED') <> 2)"),
                    "every succeeded run has both folds, its labels, environment and the mean of its folds");
        }
    }
}
