package dev.cnnlab.tracker;

import dev.cnnlab.tracker.db.EmbeddedDatabase;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts the embedded PostgreSQL when no datasource URL is configured, then Quarkus. Done here,
 * before Quarkus reads its configuration, because the datasource must exist when it starts.
 */
@QuarkusMain
public class TrackerMain {
    public static void main(String... args) {
        if (!datasourceConfigured()) {
            EmbeddedDatabase db = new EmbeddedDatabase(EmbeddedDatabase.configuredDir(), EmbeddedDatabase.configuredPort());
            System.setProperty("quarkus.datasource.jdbc.url", db.start());
            System.setProperty("quarkus.datasource.username", "postgres");
            System.setProperty("quarkus.datasource.password", "");
        }
        Quarkus.run(args);
    }

    private static boolean datasourceConfigured() {
        String property = System.getProperty("quarkus.datasource.jdbc.url");
        String env = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
        return (property != null && !property.isBlank()) || (env != null && !env.isBlank());
    }
}
