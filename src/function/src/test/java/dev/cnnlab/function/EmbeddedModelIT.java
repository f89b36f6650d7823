package dev.cnnlab.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cnnlab.inference.format.ModelFile;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The native executable serves the default model it holds (parsed at build time, see
 * {@link EmbeddedModel}) when no {@code cnnlab.model.path} is given, from a working directory
 * without any model; a model given by path wins. The test starts the executable itself, without
 * the properties the other ITs pass, and is skipped unless the last build made one.
 */
class EmbeddedModelIT {
    private static final Path DEFAULT_MODEL = Path.of("../../models/default/model.safetensors");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void servesTheEmbeddedDefaultModelUnlessAPathIsGiven() throws Exception {
        Path exe = nativeExecutable();
        Path emptyDir = Files.createTempDirectory("cnnlab-embedded-it");
        String defaultSha = ModelFile.sha256(Files.readAllBytes(DEFAULT_MODEL));

        Launched embedded = launch(exe, emptyDir);
        try {
            assertTrue(embedded.get("/model").contains("\"sha256\":\"" + defaultSha + "\""),
                    "serves the default model");
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(embedded.uri("/predict"))
                    .header("Content-Type", "image/jpeg")
                    .POST(HttpRequest.BodyPublishers.ofFile(V2DefaultModelTest.CAT)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("\"predictions\":[{\"label\":\"cat\""), answer.body());
            assertTrue(Files.readString(embedded.log).contains("from the executable (embedded"),
                    "the start-up log names the embedded model");
        } finally {
            embedded.stop();
        }

        Launched byPath = launch(exe, emptyDir, "-Dcnnlab.model.path=" + ModelTestResource.MODEL);
        try {
            assertTrue(byPath.get("/model").contains("\"sha256\":\"" + ModelTestResource.MODEL_SHA256 + "\""),
                    "a model given by path wins over the embedded one");
        } finally {
            byPath.stop();
        }
    }

    /** The native executable of the last build, or the test is skipped. */
    private static Path nativeExecutable() throws IOException {
        Path artifact = Path.of("target/quarkus-artifact.properties");
        assumeTrue(Files.exists(artifact), "nothing packaged");
        Properties p = new Properties();
        try (var in = Files.newInputStream(artifact)) {
            p.load(in);
        }
        assumeTrue("native".equals(p.getProperty("type")), "the last build made no native executable");
        return Path.of("target", p.getProperty("path")).toAbsolutePath();
    }

    private record Launched(Process process, int port, Path log) {
        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }

        String get(String path) throws IOException, InterruptedException {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri(path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), path + ": " + r.body());
            return r.body();
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** Starts the executable in a directory and waits until it is ready (at most 60 s). */
    private static Launched launch(Path exe, Path dir, String... args) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(exe.toString(), "-Dquarkus.http.port=" + port));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "function", ".log");
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Launched launched = new Launched(process, port, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(launched.uri("/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return launched;
                }
            } catch (IOException notListeningYet) {
                // the port is not open yet
            }
            Thread.sleep(20);
        }
        launched.stop();
        throw new AssertionError("not ready within 60 s; log: " + Files.readString(log));
    }
}
