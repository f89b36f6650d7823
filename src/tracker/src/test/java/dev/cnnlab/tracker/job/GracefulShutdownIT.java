package dev.cnnlab.tracker.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.TinyDataset;
import dev.cnnlab.tracker.db.EmbeddedDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A packaged tracker on its own embedded PostgreSQL, stopped with SIGTERM mid-fold: the worker hands
 * its job back before the database stops, so a restart costs the job none of its attempts.
 */
class GracefulShutdownIT {
    private final Path home = Path.of("target/graceful-shutdown-it").toAbsolutePath();

    @Test
    void sigtermHandsTheRunningJobBackBeforeTheDatabaseStops() throws Exception {
        PackagedTrackers.deleteTree(home);
        int pgPort = WorkerCrashIT.freePort();
        int port = WorkerCrashIT.freePort();
        Path log = Files.createDirectories(home).resolve("tracker.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dquarkus.http.port=" + port, "-Dcnnlab.workers=1", "-Dcnnlab.poll-seconds=1",
                "-Dcnnlab.data-dir=" + home, "-Dcnnlab.cache=" + home.resolve("cache"),
                "-Dcnnlab.checkpoint-dir=" + home.resolve("checkpoints"),
                "-jar", System.getProperty("cnnlab.tracker.app", "target/quarkus-app/quarkus-run.jar"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("QUARKUS_DATASOURCE_JDBC_URL");   // the tracker starts its embedded database
        pb.environment().put("CNNLAB_PG_DIR", home.resolve("pg").toString());
        pb.environment().put("CNNLAB_PG_PORT", Integer.toString(pgPort));
        pb.environment().put("CNNLAB_AUTH_TOKENS", "it:" + PackagedTrackers.TOKEN);
        Process tracker = pb.start();
        try {
            WorkerCrashIT.waitFor(() -> {
                assertTrue(tracker.isAlive(), () -> "tracker exited: " + read(log));
                return WorkerCrashIT.get("http://localhost:" + port + "/q/health").contains("UP");
            }, 120, "tracker up");
            PackagedTrackers.submit(port, """
                    {"name":"graceful","dataset":"%s","architectures":["lenet5"],"batchSizes":[8],"epochs":200,"folds":2}"""
                    .formatted(TinyDataset.folder(20)));
            WorkerCrashIT.waitFor(() -> count(pgPort, "SELECT count(*) FROM epoch_metrics") > 0, 300,
                    "first epoch recorded");

            tracker.destroy();   // SIGTERM: Quarkus shuts down, the worker stops at its next batch
            assertTrue(tracker.waitFor(90, TimeUnit.SECONDS), "tracker stopped within 90 s");
            assertEquals(-1, count(pgPort, "SELECT 1"), "the tracker stopped its embedded database");
            assertTrue(read(log).contains("released for another worker"), () -> read(log));
        } finally {
            tracker.destroyForcibly().waitFor();
        }

        EmbeddedDatabase db = new EmbeddedDatabase(home.resolve("pg"), pgPort);
        db.start();
        try {
            assertEquals(0, count(pgPort, "SELECT count(*) FROM jobs WHERE state = 'RUNNING'"), "no job left leased");
            assertEquals(0, count(pgPort, "SELECT count(*) FROM jobs WHERE error IS NOT NULL"), "no job failed");
            assertEquals(List.of(2L, 0L), List.of(count(pgPort, "SELECT count(*) FROM jobs WHERE state = 'QUEUED'"),
                    count(pgPort, "SELECT count(*) FROM jobs WHERE state <> 'QUEUED'")), "both folds queued again");
        } finally {
            db.stop();
        }
    }

    /** The first column of the first row; -1 when the database cannot be reached. */
    private static long count(int pgPort, String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + pgPort + "/postgres",
                "postgres", ""); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (SQLException e) {
            return -1;
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
