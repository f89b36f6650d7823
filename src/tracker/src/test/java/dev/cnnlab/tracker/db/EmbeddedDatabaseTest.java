package dev.cnnlab.tracker.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default database keeps its data across restarts, also after a crash left postmaster.pid behind. */
class EmbeddedDatabaseTest {
    @TempDir
    Path dir;

    @Test
    void keepsDataAcrossRestartsAndIgnoresAStalePidFile() throws Exception {
        int port = freePort();
        Path data = dir.resolve("pg");
        EmbeddedDatabase first = new EmbeddedDatabase(data, port);
        String url = first.start();
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE kept (v int)");
            st.execute("INSERT INTO kept VALUES (42)");
            try (ResultSet rs = st.executeQuery("SHOW fsync")) {
                rs.next();
                assertEquals("on", rs.getString(1), "a store that keeps data must fsync");
            }
        }
        first.stop();

        // what a SIGKILLed server leaves: a pid file whose process is gone
        Files.writeString(data.resolve("postmaster.pid"), deadPid() + "\n" + data + "\n0\n" + port + "\n");
        EmbeddedDatabase second = new EmbeddedDatabase(data, port);
        try {
            assertEquals(42, readKept(second.start()));
        } finally {
            second.stop();
        }
    }

    private static int readKept(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT v FROM kept")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static long deadPid() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
