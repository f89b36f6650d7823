package dev.cnnlab.tracker.job;

import static dev.cnnlab.tracker.job.WorkerCrashIT.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.TinyDataset;
import dev.cnnlab.tracker.search.SuccessiveHalving;
import dev.cnnlab.tracker.search.SuccessiveHalving.Arrival;
import dev.cnnlab.tracker.search.SuccessiveHalving.Decision;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * ASHA over 9 configurations (3 learning rates x 3 batch sizes, lenet5, 2 folds of a tiny CIFAR-10
 * subset, 4 epochs, eta 3, rungs at 1 and 3 epochs) with 3 workers in two packaged trackers sharing
 * one PostgreSQL. Once two runs reached the first rung, the test holds writes to run_rungs back with a
 * table lock, so the next arrival waits inside its promotion transaction, holding the experiment row;
 * the process running it is killed with SIGKILL there. The other finishes the experiment: every run
 * ends SUCCEEDED or STOPPED_EARLY, each (run, rung) is recorded once and decided once, nothing the
 * killed transaction did survives, and the decisions are exactly what the rule gives when replayed in
 * the recorded arrival order.
 */
class AshaIT {
    static final int ETA = 3;
    final Path home = Path.of(System.getProperty("cnnlab.it.dir", "target/it")).resolve("asha");

    @Test
    void nineConfigurationsInTwoProcessesAreHalvedOnceThroughAKill() throws Exception {
        try (PackagedTrackers it = new PackagedTrackers(home)) {
            Map<String, Integer> ports = new HashMap<>();
            for (String name : List.of("a", "b")) {
                ports.put(name, it.start(name, name.equals("a") ? 2 : 1, "-Dcnnlab.lease-seconds=5",
                        "-Dquarkus.datasource.jdbc.additional-jdbc-properties.ApplicationName=asha-" + name));
            }
            List<Long> runs = PackagedTrackers.submit(ports.get("a"), """
                    {"name":"asha","dataset":"%s","architectures":["lenet5"],"batchSizes":[16,32,64],
                     "learningRates":[0.0001,0.001,0.01],"epochs":4,"folds":2,"seed":3,
                     "search":{"kind":"asha","reductionFactor":%d,"minEpochs":1}}""".formatted(TinyDataset.folder(8), ETA));
            assertEquals(9, runs.size());
            assertEquals(18, it.query("SELECT count(*) FROM jobs WHERE target_epoch = 1"), "every fold trains to rung 0");

            Set<String> claimers = new HashSet<>();
            String killed;
            long killedPid;
            Set<String> decidedBefore;
            String orphans;   // the killed process's jobs, the one deciding among them
            try (Connection lock = it.connect(); Statement st = lock.createStatement()) {
                waitFor(() -> it.noJobFailed() && claimers.addAll(owners(it)) | true
                        && it.query("SELECT count(*) FROM run_rungs") >= 2, 300, "two runs at rung 0");
                lock.setAutoCommit(false);
                st.execute("LOCK TABLE run_rungs IN SHARE ROW EXCLUSIVE MODE");
                String waiting = "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                        + " WHERE NOT l.granted AND l.relation = 'run_rungs'::regclass";
                waitFor(() -> claimers.addAll(owners(it)) | true && it.query("SELECT count(*) " + waiting) == 1, 300,
                        "an arrival waiting inside its promotion, holding the experiment row");
                killed = it.text("SELECT a.application_name " + waiting).substring("asha-".length());
                decidedBefore = decided(it, "decision IS NOT NULL");
                killedPid = it.killTracker(killed);
                orphans = it.text("SELECT string_agg(id::text, ',') FROM jobs WHERE state = 'RUNNING'"
                        + " AND lease_owner LIKE '%:" + killedPid + ":%'");
                // backends waiting on a lock do not notice their client is gone: end them as the kernel would
                st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'asha-"
                        + killed + "'");
                lock.commit();
            }
            String survivor = killed.equals("a") ? "b" : "a";
            waitFor(() -> it.noJobFailed()
                    && it.query("SELECT count(*) FROM runs WHERE status IN ('SUCCEEDED', 'STOPPED_EARLY')") == 9, 600,
                    "every run SUCCEEDED or STOPPED_EARLY");
            claimers.remove("");
            assertEquals(2, claimers.size(), "both processes trained folds: pids " + claimers);

            Set<String> decidedByKilled = decided(it, "decided_by LIKE '%:" + killedPid + ":%'");
            assertTrue(decidedBefore.containsAll(decidedByKilled), "the killed process committed nothing more: "
                    + decidedByKilled + " against " + decidedBefore);
            assertTrue(decided(it, "true").containsAll(decidedBefore), "decisions are final");
            assertEquals(0, it.query("SELECT count(*) FROM run_rungs WHERE decision IS NULL"), "every arrival decided");
            assertEquals(0, it.query("SELECT count(*) FROM jobs WHERE state <> 'DONE'"), "no job left behind");
            assertEquals(0, it.query("SELECT count(*) FROM jobs WHERE id IN (" + orphans + ") AND (attempts < 2"
                    + " OR lease_owner IS NOT NULL)"), "the killed process's jobs " + orphans + " were claimed again");
            assertTrue(it.readLog(survivor).contains("resuming after epoch 1"), "a fold resumed at its rung");
            checkDecisions(it, runs);
            String line = it.text("SELECT string_agg(r.id || ' ' || r.status || ' ' || coalesce(r.stop_reason, ''),"
                    + " '; ' ORDER BY r.id) FROM runs r");
            assertFalse(line.contains("FAILED"), line);
        }
    }

    /** Replays the rule over each rung's arrivals in their recorded order and compares every decision. */
    private static void checkDecisions(PackagedTrackers it, List<Long> runs) throws SQLException {
        assertEquals(9, it.query("SELECT count(*) FROM run_rungs WHERE rung = 0"), "every run reached rung 0 once");
        assertEquals(0, it.query("SELECT count(*) FROM run_rungs WHERE rung > 1"), "4 epochs: rungs at 1 and 3");
        Map<Long, Decision> last = new HashMap<>();
        for (int rung = 0; rung <= 1; rung++) {
            List<Arrival> recorded = new ArrayList<>();
            try (Connection c = it.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT run_id, score, decision, epoch FROM run_rungs WHERE rung = " + rung + " ORDER BY arrival")) {
                while (rs.next()) {
                    assertEquals(rung == 0 ? 1 : 3, rs.getInt(4));
                    recorded.add(new Arrival(rs.getLong(1), rs.getDouble(2),
                            rs.getString(3) == null ? null : Decision.valueOf(rs.getString(3))));
                }
            }
            assertEquals(List.copyOf(recorded.stream().map(Arrival::runId).distinct().toList()),
                    recorded.stream().map(Arrival::runId).toList(), "one row per run and rung");
            Map<Long, Decision> expected = replay(recorded);
            for (Arrival a : recorded) {
                assertEquals(expected.get(a.runId()), a.decision(), "run " + a.runId() + " at rung " + rung
                        + "; recorded " + recorded);
                last.put(a.runId(), a.decision());
            }
            long promoted = recorded.stream().filter(a -> a.decision() == Decision.PROMOTED).count();
            assertTrue(promoted >= recorded.size() / ETA, "at least floor(n/eta) go on at rung " + rung);
            if (rung == 0) {
                assertEquals(promoted, it.query("SELECT count(*) FROM run_rungs WHERE rung = 1"),
                        "every run promoted from rung 0 reached rung 1");
            }
        }
        for (long run : runs) {
            String status = it.text("SELECT status FROM runs WHERE id = " + run);
            assertEquals(last.get(run) == Decision.PROMOTED ? "SUCCEEDED" : "STOPPED_EARLY", status, "run " + run);
            long epochs = it.query("SELECT max(epoch) FROM run_rungs WHERE run_id = " + run);
            long trained = status.equals("SUCCEEDED") ? 4 : epochs;
            assertEquals(2 * trained, it.query("SELECT count(*) FROM epoch_metrics e JOIN folds f ON f.id = e.fold_id"
                    + " WHERE f.run_id = " + run), "run " + run + ": each fold's epochs, once");
            if (status.equals("STOPPED_EARLY")) {
                assertTrue(it.text("SELECT stop_reason FROM runs WHERE id = " + run).startsWith("stopped early at rung "));
                assertEquals(2, it.query("SELECT count(*) FROM folds WHERE status = 'STOPPED_EARLY' AND run_id = " + run));
            }
        }
    }

    /** The decisions the asynchronous rule takes as the arrivals come, then on the complete rung. */
    static Map<Long, Decision> replay(List<Arrival> recorded) {
        List<Arrival> rung = new ArrayList<>();
        for (int k = 0; k <= recorded.size(); k++) {
            boolean complete = k == recorded.size();
            if (!complete) {
                rung.add(new Arrival(recorded.get(k).runId(), recorded.get(k).score(), null));
            }
            for (SuccessiveHalving.Verdict v : SuccessiveHalving.decide(rung, ETA, complete)) {
                int i = rung.stream().map(Arrival::runId).toList().indexOf(v.runId());
                rung.set(i, new Arrival(v.runId(), rung.get(i).score(), v.decision()));
            }
        }
        Map<Long, Decision> decisions = new HashMap<>();
        rung.forEach(a -> decisions.put(a.runId(), a.decision()));
        return decisions;
    }

    /** run:rung:decision:decidedBy of the run_rungs rows {@code where} selects. */
    private static Set<String> decided(PackagedTrackers it, String where) {
        String rows = it.text("SELECT coalesce(string_agg(run_id || ':' || rung || ':' || coalesce(decision, '-') || ':'"
                + " || coalesce(decided_by, '-'), ','), '') FROM run_rungs WHERE " + where);
        return rows.isEmpty() ? Set.of() : Set.of(rows.split(","));
    }

    /** The pids whose workers hold a lease now. */
    private static List<String> owners(PackagedTrackers it) {
        return List.of(it.text("SELECT coalesce(string_agg(DISTINCT split_part(lease_owner, ':', 2), ','), '')"
                + " FROM jobs WHERE lease_owner IS NOT NULL").split(","));
    }
}
