package dev.cnnlab.tracker.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A real PostgreSQL 17 (zonky binaries) whose data directory survives restarts. Started before
 * Quarkus when no datasource URL is configured, so there is nothing to install for a first run.
 */
public final class EmbeddedDatabase {
    public static final String DIR_PROPERTY = "cnnlab.pg.dir";
    public static final String PORT_PROPERTY = "cnnlab.pg.port";
    public static final int DEFAULT_PORT = 54329;
    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres postgres;

    public EmbeddedDatabase(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    /** The folder from -Dcnnlab.pg.dir, CNNLAB_PG_DIR, else ~/.cnnlab/pg. */
    public static Path configuredDir() {
        return Path.of(setting(DIR_PROPERTY, "CNNLAB_PG_DIR")
                .orElse(System.getProperty("user.home") + "/.cnnlab/pg"));
    }

    /** The port from -Dcnnlab.pg.port, CNNLAB_PG_PORT, else 54329. */
    public static int configuredPort() {
        String value = setting(PORT_PROPERTY, "CNNLAB_PG_PORT").orElse(String.valueOf(DEFAULT_PORT));
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cnnlab.pg.port must be a port number, got '" + value + "'", e);
        }
    }

    static Optional<String> setting(String property, String env) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** Starts PostgreSQL (initdb on first use) and returns the JDBC URL of database "postgres". */
    public String start() {
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
            if (adoptRunningServer()) {
                return jdbcUrl();
            }
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    // stopped by TrackerMain once the workers have handed their jobs back, not by a
                    // JVM shutdown hook that would race them
                    .setRegisterShutdownHook(false)
                    .setServerConfig("max_connections", "100")
                    // zonky tunes for throwaway test databases (fsync off); this one keeps real data
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .start();
            LOG.infof("embedded PostgreSQL on port %d, data in %s", port, dataDir);
            return jdbcUrl();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dataDir + " on port " + port, e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    /**
     * A tracker killed with SIGKILL leaves its postmaster running (pg_ctl daemonizes it): reuse it
     * when it answers on our port, and delete the pid file when its process is gone.
     */
    private boolean adoptRunningServer() throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return false;
        }
        List<String> lines = Files.readAllLines(pidFile);
        long pid = lines.isEmpty() ? -1 : parseLong(lines.get(0));
        boolean alive = pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        if (alive && canConnect()) {
            LOG.warnf("reusing PostgreSQL (pid %d) left running on port %d for %s", pid, port, dataDir);
            return true;
        }
        if (!alive) {
            LOG.warnf("removing stale %s (pid %d is gone)", pidFile, pid);
            Files.delete(pidFile);
        }
        return false;
    }

    private boolean canConnect() {
        try (Connection c = DriverManager.getConnection(jdbcUrl(), "postgres", "")) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Stops the server if this object started it. */
    public void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                LOG.warn("cannot stop embedded PostgreSQL", e);
            }
        }
    }
}
