package dev.cnnlab.function;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.function.FuzzCorpus.Case;
import dev.cnnlab.function.RawHttp.Answer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Thousands of malformed requests against the packaged app (see {@link FuzzCorpus}): each gets
 * the status the corpus expects, every refusal is a JSON error, the process stays up, and once
 * the first round has warmed it up its resident memory does not grow over the next rounds.
 */
@QuarkusIntegrationTest
@WithTestResource(ModelTestResource.class)
class PredictFuzzIT {
    private static final long SEED = 20_241_128L;
    private static final int ROUNDS = 3;
    private static final int CASES_PER_ROUND = 800;
    // The packaged app runs with a fixed, pre-touched heap (quarkus.test.arg-line in the pom), so
    // the heap cannot make its RSS grow after start-up: growth after the warm-up round is
    // metaspace, JIT code and native memory (image decoders, buffers). 48 MB over 1,600 requests
    // allows JIT settling and catches any leak of 30 KB or more per request.
    private static final long GROWTH_LIMIT_KB = 48 * 1024;
    // The peak RSS may exceed the RSS at rest only by transient native memory: no request may
    // make the decoder allocate 64 MB or more (a maximal progressive JPEG would take 120 MB).
    private static final long PEAK_EXCESS_LIMIT_KB = 64 * 1024;

    @Test
    void malformedRequestsGetJsonErrorsAndMemoryStaysFlat() throws IOException {
        ProcessHandle app = appProcess();
        long[] rssKb = new long[ROUNDS];
        Map<String, int[]> seen = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (Case c : new FuzzCorpus(SEED + round).draw(CASES_PER_ROUND)) {
                long t0 = System.nanoTime();
                Answer a = RawHttp.send(RestAssured.port, c.request());
                long ms = (System.nanoTime() - t0) / 1_000_000;
                String problem = problem(c, a);
                if (problem != null) {
                    wrong.add(c.kind() + ": " + problem);
                }
                int[] counts = seen.computeIfAbsent(c.kind() + " -> " + a.status(),
                        k -> new int[2]);
                counts[0]++;
                counts[1] += (int) ms;
            }
            rssKb[round] = procStatusKb(app, "VmRSS");
        }
        long peakKb = procStatusKb(app, "VmHWM");
        System.out.println("fuzz answers by case kind and status (count, total ms):");
        seen.forEach((k, v) -> System.out.println("  " + v[0] + "\t" + v[1] + " ms\t" + k));
        System.out.printf("fuzz RSS after each round: %s kB; peak (VmHWM) %d kB%n",
                Arrays.toString(rssKb), peakKb);
        wrong.stream().limit(50).forEach(w -> System.out.println("WRONG " + w));

        assertTrue(wrong.isEmpty(), wrong.size() + " wrong answers, the first: "
                + wrong.subList(0, Math.min(10, wrong.size())));
        assertTrue(app.isAlive(), "the app process died");
        given().when().get("/q/health/ready").then().statusCode(200);
        assertTrue(rssKb[ROUNDS - 1] <= rssKb[0] + GROWTH_LIMIT_KB, "RSS grew from " + rssKb[0]
                + " kB after the warm-up round to " + rssKb[ROUNDS - 1] + " kB");
        assertTrue(peakKb <= rssKb[ROUNDS - 1] + PEAK_EXCESS_LIMIT_KB, "peak RSS " + peakKb
                + " kB against " + rssKb[ROUNDS - 1] + " kB at rest");
    }

    // null if the answer is right for the case, else what is wrong with it
    private static String problem(Case c, Answer a) {
        if (!c.expected().contains(a.status())) {
            return "expected " + c.expected() + ", got " + a.status() + " " + abbreviate(a.body());
        }
        if (!a.headers().getOrDefault("content-type", "").startsWith("application/json")) {
            return "answer " + a.status() + " is not JSON: " + a.headers() + " "
                    + abbreviate(a.body());
        }
        JsonPath json = JsonPath.from(a.body());
        if (a.status() == 200) {
            // a multipart request gets a list with one answer per file
            String path = a.body().startsWith("[") ? "[0].predictions" : "predictions";
            return json.getList(path).size() == 5 ? null : "no predictions";
        }
        String error = json.getString("error");
        return json.getInt("code") == a.status() && error != null && !error.isBlank() ? null
                : "error body lacks code or message: " + abbreviate(a.body());
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    /** The packaged app this test launched: a child process running the jar or native binary. */
    static ProcessHandle appProcess() {
        List<ProcessHandle> apps = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("quarkus-run.jar")
                        || p.info().command().orElse("").endsWith("-runner"))
                .toList();
        assertEquals(1, apps.size(), "expected one launched app process, found " + apps);
        return apps.get(0);
    }

    /** A {@code kB} field of {@code /proc/<pid>/status}, such as VmRSS or VmHWM (Linux). */
    static long procStatusKb(ProcessHandle process, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()),
                "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException(field + " not in /proc/" + process.pid() + "/status");
    }
}
