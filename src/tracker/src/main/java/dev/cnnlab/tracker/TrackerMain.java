package dev.cnnlab.tracker;

import dev.cnnlab.tracker.db.EmbeddedDatabase;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Starts the embedded PostgreSQL when no datasource URL is configured, then Quarkus. Done here,
 * before Quarkus reads its configuration, because the datasource must exist when it starts. The
 * database stops last: after the workers have handed their jobs back on shutdown (SIGTERM too), so
 * a restart does not cost a job one of its attempts.
 */
@QuarkusMain
public class TrackerMain {
    private static volatile EmbeddedDatabase embedded;

    public static void main(String... args) {
        if (!datasourceConfigured()) {
            embedded = new EmbeddedDatabase(EmbeddedDatabase.configuredDir(), EmbeddedDatabase.configuredPort());
            System.setProperty("quarkus.datasource.jdbc.url", embedded.start());
            System.setProperty("quarkus.datasource.username", "postgres");
            System.setProperty("quarkus.datasource.password", "");
        }
        try {
            Quarkus.run(args);
        } finally {
            stopEmbedded();
        }
    }

    private static synchronized void stopEmbedded() {
        if (embedded != null) {
            embedded.stop();
            embedded = null;
        }
    }

    /** Stops the embedded database after every other shutdown observer (the job workers' included). */
    @ApplicationScoped
    static class EmbeddedDatabaseStopper {
        void onStop(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) {
            stopEmbedded();
        }
    }

    private static boolean datasourceConfigured() {
        String property = System.getProperty("quarkus.datasource.jdbc.url");
        String env = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
        return (property != null && !property.isBlank()) || (env != null && !env.isBlank());
    }
}
