package dev.cnnlab.tracker.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.PostgresResource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** Applies migrations/ to an empty database, then checks what the constraints refuse. */
class MigrationTest {

    @Test
    void migratesAnEmptyDatabaseAndEnforcesConstraints() throws SQLException {
        String db = "empty_" + System.nanoTime();
        try (Connection admin = DriverManager.getConnection(PostgresResource.jdbcUrl());
             Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + db);
        }
        String url = PostgresResource.jdbcUrl().replace("/postgres?", "/" + db + "?");
        var result = Flyway.configure().dataSource(url, "postgres", "postgres")
                .locations("classpath:db/migration").load().migrate();
        assertTrue(result.migrationsExecuted >= 1, "V1 applied to the empty database");

        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            Set<String> tables = new HashSet<>();
            try (ResultSet rs = st.executeQuery(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertTrue(tables.containsAll(Set.of("experiments", "runs", "folds", "epoch_metrics", "jobs", "models",
                    "api_tokens")), "tables: " + tables);

            st.execute("INSERT INTO experiments (name, dataset, spec) VALUES ('e', 'cifar10', '{}')");
            String run = "INSERT INTO runs (experiment_id, architecture, batch_size, learning_rate, optimizer, schedule,"
                    + " epochs, folds, augmentation, seed, hyperparameters, status) VALUES"
                    + " (currval('experiments_id_seq'), 'lenet5', 32, 0.001, 'adam', 'constant', 1, 2, 'none', 1, '{}', ";
            SQLException badStatus = assertThrows(SQLException.class, () -> st.execute(run + "'DONE')"));
            assertTrue(badStatus.getMessage().contains("ck_runs_status"), badStatus.getMessage());
            st.execute(run + "'QUEUED')");
            st.execute("INSERT INTO folds (run_id, fold_index) VALUES (currval('runs_id_seq'), 0)");
            st.execute("INSERT INTO epoch_metrics (fold_id, epoch) VALUES (currval('folds_id_seq'), 1)");
            SQLException duplicate = assertThrows(SQLException.class, () ->
                    st.execute("INSERT INTO epoch_metrics (fold_id, epoch) VALUES (currval('folds_id_seq'), 1)"));
            assertTrue(duplicate.getMessage().contains("uq_epoch_metrics_fold_epoch"), duplicate.getMessage());
            SQLException badJob = assertThrows(SQLException.class, () -> st.execute(
                    "INSERT INTO jobs (kind, run_id, fold_index, state) VALUES ('FOLD', currval('runs_id_seq'), 0, 'LOST')"));
            assertTrue(badJob.getMessage().contains("ck_jobs_state"), badJob.getMessage());
            SQLException orphan = assertThrows(SQLException.class, () ->
                    st.execute("INSERT INTO folds (run_id, fold_index) VALUES (-5, 0)"));
            assertTrue(orphan.getMessage().contains("fk_folds_run"), orphan.getMessage());

            // ASHA: a run's score at a rung is recorded once, and its decision taken once
            String rung = "INSERT INTO run_rungs (run_id, rung, experiment_id, epoch, score, arrival) VALUES"
                    + " (currval('runs_id_seq'), 0, currval('experiments_id_seq'), 1, 0.5, ";
            st.execute(rung + "1)");
            SQLException twice = assertThrows(SQLException.class, () -> st.execute(rung + "2)"));
            assertTrue(twice.getMessage().contains("pk_run_rungs"), twice.getMessage());
            String decide = "UPDATE run_rungs SET decision = '%s', decided_at = now(), decided_by = 'test'";
            st.execute(decide.formatted("PROMOTED"));
            SQLException redecided = assertThrows(SQLException.class, () -> st.execute(decide.formatted("STOPPED")));
            assertTrue(redecided.getMessage().contains("was already decided: PROMOTED"), redecided.getMessage());

            // a second migrate is a no-op
            assertEquals(0, Flyway.configure().dataSource(url, "postgres", "postgres")
                    .locations("classpath:db/migration").load().migrate().migrationsExecuted);
        }
    }
}
