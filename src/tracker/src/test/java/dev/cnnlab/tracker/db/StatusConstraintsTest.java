package dev.cnnlab.tracker.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.PostgresResource;
import dev.cnnlab.tracker.job.Job;
import dev.cnnlab.tracker.model.Model;
import dev.cnnlab.tracker.run.RunStatus;
import dev.cnnlab.tracker.search.SuccessiveHalving;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The statuses are declared once, as Java enums; the CHECK constraints that guard the tables against
 * other writers (psql, the bench's seed) must allow exactly those names, and the column defaults must
 * be one of them. Read from the database that migrations/ builds, so a migration that drifts fails here.
 */
class StatusConstraintsTest {
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");
    private static String url;

    @BeforeAll
    static void migrate() throws SQLException {
        String db = "statuses_" + System.nanoTime();
        try (Connection admin = DriverManager.getConnection(PostgresResource.jdbcUrl());
             Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + db);
        }
        url = PostgresResource.jdbcUrl().replace("/postgres?", "/" + db + "?");
        Flyway.configure().dataSource(url, "postgres", "postgres").locations("classpath:db/migration").load().migrate();
    }

    @Test
    void checkConstraintsAllowExactlyTheEnumValues() throws SQLException {
        assertEquals(names(RunStatus.values()), allowed("ck_runs_status"));
        assertEquals(names(RunStatus.values()), allowed("ck_folds_status"));
        assertEquals(names(Job.State.values()), allowed("ck_jobs_state"));
        assertEquals(names(Job.Kind.values()), allowed("ck_jobs_kind"));
        assertEquals(names(Model.Stage.values()), allowed("ck_models_stage"));
        assertEquals(names(SuccessiveHalving.Decision.values()), allowed("ck_run_rungs_decision"));
        List<String> foldKind = allowed("ck_jobs_fold_index");
        assertEquals(List.of(Job.Kind.FOLD.name()), foldKind, "the kind that has a fold index");
    }

    @Test
    void columnDefaultsAreEnumValues() throws SQLException {
        assertEquals(List.of(RunStatus.QUEUED.name()), columnDefault("runs", "status"));
        assertEquals(List.of(RunStatus.QUEUED.name()), columnDefault("folds", "status"));
        assertEquals(List.of(Job.State.QUEUED.name()), columnDefault("jobs", "state"));
        assertEquals(List.of(Model.Stage.NONE.name()), columnDefault("models", "stage"));
    }

    /** The quoted literals of a CHECK constraint, in the order it lists them. */
    private static List<String> allowed(String constraint) throws SQLException {
        String definition = single("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = ?", constraint);
        List<String> values = quoted(definition);
        assertTrue(!values.isEmpty(), constraint + " lists no value: " + definition);
        return values;
    }

    private static List<String> columnDefault(String table, String column) throws SQLException {
        return quoted(single("SELECT column_default FROM information_schema.columns WHERE table_schema = 'public'"
                + " AND table_name = ? AND column_name = ?", table, column));
    }

    private static String single(String sql, String... params) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setString(i + 1, params[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                assertTrue(rs.next(), "nothing for " + Arrays.toString(params));
                return rs.getString(1);
            }
        }
    }

    private static List<String> quoted(String sql) {
        List<String> values = new ArrayList<>();
        Matcher m = QUOTED.matcher(sql);
        while (m.find()) {
            values.add(m.group(1));
        }
        return values;
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }
}
