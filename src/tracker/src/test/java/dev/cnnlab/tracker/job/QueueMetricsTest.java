package dev.cnnlab.tracker.job;

import static dev.cnnlab.tracker.job.JobWorkerTest.expireLeases;
import static dev.cnnlab.tracker.job.JobWorkerTest.submit;
import static dev.cnnlab.tracker.job.JobWorkerTest.tinySpec;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.PostgresResource;
import dev.cnnlab.tracker.run.Fold;
import dev.cnnlab.training.loop.EpochMetrics;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.hawkular.agent.prometheus.text.TextPrometheusMetricDataParser;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.Gauge;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.hawkular.agent.prometheus.types.MetricType;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /q/metrics}, parsed as Prometheus text, while the queue's jobs are submitted,
 * claimed, leased out and failed and epochs recorded: the gauges agree with the jobs table and
 * the counters move by exactly what happened.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class QueueMetricsTest {
    private static final Pattern NAME = Pattern.compile("[a-z_:][a-z0-9_:]*");

    @Inject
    JobQueue queue;

    /** Family name to its samples, from one scrape. */
    static Map<String, MetricFamily> scrape() throws IOException {
        byte[] text = given().accept("text/plain; version=0.0.4").get("/q/metrics")
                .then().statusCode(200).extract().asByteArray();
        Map<String, MetricFamily> families = new HashMap<>();
        var parser = new TextPrometheusMetricDataParser(new ByteArrayInputStream(text));
        for (MetricFamily f; (f = parser.parse()) != null; ) {
            families.put(f.getName(), f);
        }
        return families;
    }

    /** A counter's or gauge's value for samples with these labels; 0 when absent. */
    static double value(Map<String, MetricFamily> scrape, String family, String... labels) {
        MetricFamily f = scrape.get(family);
        Map<String, String> wanted = new HashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        for (Metric m : f == null ? List.<Metric>of() : f.getMetrics()) {
            if (m.getLabels().entrySet().containsAll(wanted.entrySet())) {
                return m instanceof Counter c ? c.getValue() : ((Gauge) m).getValue();
            }
        }
        return 0;
    }

    static void assertMatchesTheTable(Map<String, MetricFamily> s) {
        for (Job.State state : Job.State.values()) {
            assertEquals(Job.count("state", state), value(s, "cnnlab_jobs", "state",
                    state.name()), state.name());
        }
        long claimable = Job.count("state = 'QUEUED' or (state = 'RUNNING'"
                + " and leaseExpiresAt < ?1 and attempts < maxAttempts)", java.time.Instant.now());
        assertEquals(claimable, value(s, "cnnlab_job_queue_depth"));
    }

    @Test
    void namesFollowPrometheusRules() throws IOException {
        for (MetricFamily f : scrape().values()) {
            assertTrue(NAME.matcher(f.getName()).matches(), f.getName());
            if (f.getType() == MetricType.COUNTER) {
                assertTrue(f.getName().endsWith("_total"), f.getName());
            }
        }
    }

    @Test
    void gaugesFollowTheJobsTableAndCountersMove() throws IOException {
        var before = scrape();
        assertMatchesTheTable(before);
        long experiment = submit(tinySpec(List.of("lenet5"), List.of(16), 1));
        var submitted = scrape();
        assertMatchesTheTable(submitted);
        long jobs = Job.count("runId in (select r.id from Run r where r.experimentId = ?1)",
                experiment);
        assertTrue(jobs >= 2, jobs + " jobs");
        assertEquals(jobs, value(submitted, "cnnlab_jobs", "state", "QUEUED")
                - value(before, "cnnlab_jobs", "state", "QUEUED"));
        assertEquals(jobs, value(submitted, "cnnlab_job_queue_depth")
                - value(before, "cnnlab_job_queue_depth"));

        // claimed: one fewer to claim, one more running; its lease expires: claimable again
        Claim first = queue.claim("dead-1", 60, experiment).orElseThrow();
        var claimed = scrape();
        assertMatchesTheTable(claimed);
        assertEquals(-1, value(claimed, "cnnlab_job_queue_depth")
                - value(submitted, "cnnlab_job_queue_depth"));
        expireLeases(experiment);
        var expired = scrape();
        assertEquals(1, value(expired, "cnnlab_job_queue_depth")
                - value(claimed, "cnnlab_job_queue_depth"));

        // claimed again twice, then its last attempt's lease runs out: 2 reclaimed, 1 failed
        assertEquals(first.jobId(), queue.claim("dead-2", 60, experiment).orElseThrow().jobId());
        expireLeases(experiment);
        assertEquals(first.jobId(), queue.claim("dead-3", 60, experiment).orElseThrow().jobId());
        expireLeases(experiment);
        queue.claim("next", 60, experiment);
        var failed = scrape();
        assertMatchesTheTable(failed);
        assertEquals("FAILED", Job.<Job>findById(first.jobId()).state.name());
        assertEquals(2, value(failed, "cnnlab_lease_expiries_total", "outcome", "reclaimed")
                - value(before, "cnnlab_lease_expiries_total", "outcome", "reclaimed"));
        assertEquals(1, value(failed, "cnnlab_lease_expiries_total", "outcome", "failed")
                - value(before, "cnnlab_lease_expiries_total", "outcome", "failed"));
        given().post("/api/experiments/" + experiment + "/cancel").then().statusCode(200);
    }

    @Test
    void epochsAndThroughputPerWorker() throws IOException {
        long experiment = submit(tinySpec(List.of("lenet5"), List.of(16), 1));
        Claim claim = queue.claim("w", 60, experiment).orElseThrow();
        long foldId = Fold.<Fold>find("runId = ?1 and foldIndex = ?2", claim.runId(),
                claim.foldIndex()).firstResult().id;
        var before = scrape();
        queue.recordEpoch(foldId, new EpochMetrics(1, 2.3, 0.1, Double.NaN, Double.NaN, 0.01, 2.0,
                1234.5), true);
        queue.recordEpoch(foldId, new EpochMetrics(2, 2.1, 0.2, Double.NaN, Double.NaN, 0.01, 2.0,
                987.25), true);
        // restored from a checkpoint: the row is there already, nothing is written
        queue.recordEpoch(foldId, new EpochMetrics(2, 9, 9, 9, 9, 9, 9, 1), false);
        var after = scrape();
        assertEquals(2, value(after, "cnnlab_epochs_recorded_total")
                - value(before, "cnnlab_epochs_recorded_total"));
        // the worker is the lease owner name of the thread that trained the epoch
        assertEquals(987.25, value(after, "cnnlab_worker_images_per_second", "worker",
                JobWorker.owner()));
        given().post("/api/experiments/" + experiment + "/cancel").then().statusCode(200);
    }
}
