package dev.cnnlab.tracker.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.PostgresResource;
import dev.cnnlab.tracker.TinyDataset;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two packaged trackers against one PostgreSQL: the first is killed with SIGKILL after its first
 * epoch is checkpointed, while it records it; the second takes the job over when the lease runs
 * out, resumes the fold from its checkpoint and finishes the run, with no epoch recorded twice.
 */
class WorkerCrashIT {
    static final int LEASE_SECONDS = 3;
    final List<Process> processes = new ArrayList<>();
    final Path dir = Path.of(System.getProperty("cnnlab.it.dir", "target/it"));

    @AfterEach
    void stopTrackers() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void aKilledWorkersFoldIsResumedElsewhereWithoutDuplicateEpochs() throws Exception {
        if (Files.exists(dir.resolve("checkpoints"))) {
            try (var files = Files.walk(dir.resolve("checkpoints"))) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        int port = freePort();
        Process first = startTracker("first", port);
        waitFor(() -> get("http://localhost:" + port + "/q/health").contains("UP"), 120, "first tracker up");
        String spec = """
                {"name":"crash","dataset":"%s","architectures":["lenet5"],"batchSizes":[32],"epochs":3,"folds":2}"""
                .formatted(TinyDataset.folder(40));
        // Hold back the first epoch's write and kill the worker while it waits: the epoch is in its
        // checkpoint but not in the database, the gap a crash between the two leaves.
        try (Connection lock = PackagedTrackers.holdEpochWrites(
                DriverManager.getConnection(PostgresResource.jdbcUrl())); Statement st = lock.createStatement()) {
            PackagedTrackers.submit(port, spec);
            waitFor(() -> query("SELECT count(*)" + PackagedTrackers.WAITING_EPOCH_WRITES) == 1, 300,
                    "epoch 1 trained and being recorded");
            first.destroyForcibly().waitFor();   // SIGKILL: no shutdown hook, no release, lease left to expire
            // a backend waiting on a lock does not notice its client is gone: end it as the kernel would
            st.execute("SELECT pg_terminate_backend(pid)" + PackagedTrackers.WAITING_EPOCH_WRITES);
        }
        assertEquals(0, query("SELECT count(*) FROM epoch_metrics"), "the killed worker recorded no epoch");
        assertEquals(1, query("SELECT count(*) FROM jobs WHERE state = 'RUNNING'"), "the killed worker's job");
        long jobId = query("SELECT id FROM jobs WHERE state = 'RUNNING'");
        long fold = query("SELECT fold_index FROM jobs WHERE id = " + jobId);

        startTracker("second", freePort());
        waitFor(() -> query("SELECT count(*) FROM runs WHERE status IN ('SUCCEEDED', 'FAILED')") == 1, 400,
                "run finished by the second tracker");

        assertEquals(1, query("SELECT count(*) FROM runs WHERE status = 'SUCCEEDED'"));
        assertEquals(6, query("SELECT count(*) FROM epoch_metrics"), "2 folds x 3 epochs, none twice");
        assertEquals(2, query("SELECT count(DISTINCT fold_id) FROM epoch_metrics WHERE epoch = 3"));
        String second = Files.readString(dir.resolve("second.log"));
        assertTrue(second.contains("fold " + fold + ": resuming after epoch 1"), second);
        assertFalse(second.contains("fold " + fold + " epoch 1/3"), "epoch 1 was not trained again");
        assertEquals(1, query("SELECT count(*) FROM epoch_metrics e JOIN jobs j ON j.id = " + jobId
                + " JOIN folds f ON f.id = e.fold_id AND f.run_id = j.run_id AND f.fold_index = j.fold_index"
                + " WHERE e.epoch = 1 AND e.val_accuracy IS NOT NULL"), "its checkpointed epoch 1 filled the gap");
        assertEquals(2, query("SELECT attempts FROM jobs WHERE id = " + jobId));
        assertEquals(2, query("SELECT count(*) FROM jobs WHERE state = 'DONE'"));
    }

    Process startTracker(String name, int port) throws IOException {
        Path log = Files.createDirectories(dir).resolve(name + ".log");
        String app = System.getProperty("cnnlab.tracker.app", "target/quarkus-app/quarkus-run.jar");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Dquarkus.http.port=" + port, "-Dcnnlab.workers=1",
                "-Dcnnlab.lease-seconds=" + LEASE_SECONDS, "-Dcnnlab.poll-seconds=1",
                "-Dcnnlab.data-dir=" + dir.toAbsolutePath(), "-Dcnnlab.cache=" + dir.resolve("cache").toAbsolutePath(),
                "-jar", app)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("QUARKUS_DATASOURCE_JDBC_URL",
                "jdbc:postgresql://localhost:" + PostgresResource.server().getPort() + "/postgres");
        pb.environment().put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        pb.environment().put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        pb.environment().put("CNNLAB_AUTH_TOKENS", "it:" + PackagedTrackers.TOKEN);
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    static long query(String sql) {
        try (Connection c = DriverManager.getConnection(PostgresResource.jdbcUrl());
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (SQLException e) {
            return -1;   // before the first tracker ran Flyway the tables do not exist
        }
    }

    static String get(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    /** Polls another process's progress; there is no method to call across a process boundary. */
    static void waitFor(Supplier<Boolean> condition, int seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for: " + what);
            }
            Thread.sleep(200);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
