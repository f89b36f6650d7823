package dev.cnnlab.tracker.job;

import static dev.cnnlab.tracker.job.WorkerCrashIT.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.db.EmbeddedDatabase;
import java.io.IOException;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * For *IT tests: a fresh embedded PostgreSQL of their own (stoppable, restartable on the same data)
 * and packaged trackers as separate processes against it, each logging to {@code <name>.log}.
 */
final class PackagedTrackers implements AutoCloseable {
    static final String TOKEN = "it-secret-0123456789abcdef";
    final Path home;
    final Path data;
    final int pgPort;
    final String url;
    private final List<Process> processes = new ArrayList<>();
    private final java.util.Map<String, Process> byName = new java.util.HashMap<>();
    private EmbeddedDatabase db;

    /** Empties {@code home} and starts a database in it. */
    PackagedTrackers(Path home) throws IOException {
        this.home = home;
        deleteTree(home);
        data = home.resolve("pg");
        pgPort = WorkerCrashIT.freePort();
        db = new EmbeddedDatabase(data, pgPort);
        url = db.start();
    }

    void stopDatabase() {
        db.stop();
    }

    /**
     * Stops PostgreSQL the way a crash would: SIGQUIT to the postmaster, an immediate shutdown in which
     * no backend finishes its statement. A fast shutdown is no good for a test that holds writes back
     * with a lock: the lock holder exits first, and a write it blocked can still commit on its way out.
     */
    void crashDatabase() throws IOException, InterruptedException, ExecutionException, TimeoutException {
        long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        assertEquals(0, new ProcessBuilder("kill", "-QUIT", String.valueOf(pid)).inheritIO().start().waitFor());
        postmaster.onExit().get(60, TimeUnit.SECONDS);
        db.stop(); // releases zonky's lock on the data folder; its pg_ctl stop finds no server
    }

    void startDatabase() {
        db = new EmbeddedDatabase(data, pgPort);
        db.start();
    }

    /** Starts {@code java -jar quarkus-run.jar} with an API token; returns its HTTP port. */
    int start(String name, int workers, String... properties) throws IOException, InterruptedException {
        int port = WorkerCrashIT.freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dquarkus.http.port=" + port, "-Dcnnlab.workers=" + workers, "-Dcnnlab.poll-seconds=1",
                "-Dcnnlab.data-dir=" + home.toAbsolutePath(), "-Dcnnlab.cache=" + home.resolve("cache").toAbsolutePath()));
        command.addAll(List.of(properties));
        command.addAll(List.of("-jar", System.getProperty("cnnlab.tracker.app", "target/quarkus-app/quarkus-run.jar")));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Files.createDirectories(home).resolve(name + ".log").toFile());
        pb.environment().put("QUARKUS_DATASOURCE_JDBC_URL", url);
        pb.environment().put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        pb.environment().put("CNNLAB_AUTH_TOKENS", "it:" + TOKEN);
        Process process = pb.start();
        processes.add(process);
        byName.put(name, process);
        WorkerCrashIT.waitFor(() -> {
            assertTrue(process.isAlive(), "tracker " + name + " exited; see " + log(name));
            return get("http://localhost:" + port + "/q/health").contains("UP");
        }, 120, "tracker " + name + " up");
        return port;
    }

    /** Kills the tracker started as {@code name} with SIGKILL (no shutdown hook runs); returns its pid. */
    long killTracker(String name) throws InterruptedException {
        Process process = byName.get(name);
        process.destroyForcibly().waitFor();
        return process.pid();
    }

    Path log(String name) {
        return home.resolve(name + ".log");
    }

    String readLog(String name) {
        try {
            return Files.readString(log(name));
        } catch (IOException e) {
            return "";
        }
    }

    /** POSTs with the token; returns status and body. */
    static HttpResponse<String> post(int port, String path, String json) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("POST " + path + ": " + e, e);
        }
    }

    /** Submits an experiment; returns its run ids. */
    static List<Long> submit(int port, String spec) {
        HttpResponse<String> created = post(port, "/api/experiments", spec);
        assertEquals(201, created.statusCode(), created.body());
        Matcher list = Pattern.compile("\"runIds\"\\s*:\\s*\\[([\\d,\\s]+)]").matcher(created.body());
        assertTrue(list.find(), created.body());
        return Pattern.compile(",").splitAsStream(list.group(1)).map(String::trim).map(Long::parseLong).toList();
    }

    /** The distinct statuses of 8 concurrent GET /api/runs/{id}. */
    static List<Integer> reads(int port, long runId) {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/runs/" + runId)).build();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            answers.add(client.sendAsync(get, HttpResponse.BodyHandlers.ofString()));
        }
        return answers.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).distinct().toList();
    }

    /** The epoch writes {@link #holdEpochWrites} holds back, as the end of a query: "SELECT count(*)" + it. */
    static final String WAITING_EPOCH_WRITES =
            " FROM pg_locks WHERE NOT granted AND relation = 'epoch_metrics'::regclass";

    /**
     * Locks epoch_metrics against writes until {@code c} closes, so a test can hold a worker inside an
     * epoch's write (they are faster than anything a test could time); returns {@code c}.
     */
    static Connection holdEpochWrites(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("LOCK TABLE epoch_metrics IN SHARE ROW EXCLUSIVE MODE");
        }
        return c;
    }

    /** A connection of the test's own, as the database's superuser. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, "postgres", "");
    }

    /** The first column of the first row as a number; -1 while the table or the database is missing. */
    long query(String sql) {
        try (Connection c = connect();
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (SQLException e) {
            return -1;
        }
    }

    String text(String sql) {
        try (Connection c = connect();
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        } catch (SQLException e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
    }

    /** Fails a wait at once when a job failed: its error is the thing to read. */
    boolean noJobFailed() {
        assertTrue(query("SELECT count(*) FROM jobs WHERE error IS NOT NULL") <= 0,
                () -> text("SELECT string_agg(error, '; ') FROM jobs"));
        return true;
    }

    @Override
    public void close() {
        processes.forEach(Process::destroyForcibly);
        for (Process p : processes) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        db.stop();
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
