package dev.cnnlab.tracker.job;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cnnlab.tracker.Fixtures;
import dev.cnnlab.tracker.PostgresResource;
import dev.cnnlab.tracker.run.Run;
import dev.cnnlab.tracker.search.RunRung;
import dev.cnnlab.tracker.search.SuccessiveHalving.Decision;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ASHA through the real worker path, one job at a time: three runs (eta 3, rung 0 at 1 of 2 epochs) on
 * ten solid-colour classes. The first two reach rung 0 and wait (2 arrivals, floor(2/3) = 0 slots);
 * cancelling the third completes the rung, so the better of the two goes on, resumes its folds from
 * their checkpoints and succeeds, and the other stops early. The final fit takes the
 * SUCCEEDED run; the search view counts 6 of 12 fold-epochs.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class AshaSearchTest {
    @Inject
    JobWorker worker;

    /** Three runs of lenet5 on solid colours, 2 folds of 2 epochs, rung 0 at 1 epoch. */
    static Map<String, Object> spec() throws IOException {
        Map<String, Object> spec = Fixtures.spec(FoldPruningTest.colours(6).toString());
        spec.put("subset", 0);
        spec.put("heldOut", 0);
        spec.put("architectures", List.of("lenet5"));
        spec.put("batchSizes", List.of(16));
        spec.put("learningRates", List.of(1e-7, 0.01, 0.001));
        spec.put("epochs", 2);
        spec.put("folds", 2);
        spec.put("search", Map.of("kind", "asha", "reductionFactor", 3, "minEpochs", 1));
        return spec;
    }

    @Test
    void aCancelCompletesTheRungAndItsBestRunGoesOn() throws IOException {
        Map<String, Object> spec = spec();
        spec.put("finalFit", true);
        spec.put("search", Map.of("kind", "asha", "reductionFactor", 3, "minEpochs", 2));
        given().contentType(ContentType.JSON).body(spec).when().post("/api/experiments").then().statusCode(400)
                .body("violations[0].field", equalTo("search.minEpochs"))
                .body("violations[0].message", containsString("got 2"));
        spec.put("search", Map.of("kind", "asha", "reductionFactor", 3, "minEpochs", 1));
        long experiment = given().contentType(ContentType.JSON).body(spec).when().post("/api/experiments")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        given().when().get("/api/experiments/" + experiment).then().statusCode(200)
                .body("spec.search.reductionFactor", equalTo(3)).body("spec.search.minEpochs", equalTo(1));
        List<Long> runs = Run.<Run>list("experimentId = ?1 order by id", experiment).stream().map(r -> r.id).toList();
        assertEquals(6, Job.count("targetEpoch = 1 and runId in ?1", runs));

        for (int i = 0; i < 4; i++) {   // both folds of the first two runs, to rung 0
            worker.runOnce(experiment);
        }
        given().when().get("/api/experiments/" + experiment + "/search").then().statusCode(200)
                .body("rungs[0].arrivals", equalTo(2)).body("rungs[0].waiting", equalTo(2))
                .body("runs[0].status", equalTo("RUNNING")).body("runs[0].rungReached", equalTo(0))
                .body("runs[2].rungReached", nullValue());

        given().when().post("/api/runs/" + runs.get(2) + "/cancel").then().statusCode(200);
        List<RunRung> rung = RunRung.list("experimentId = ?1 order by score desc, arrival", experiment);
        assertEquals(List.of(Decision.PROMOTED, Decision.STOPPED), rung.stream().map(r -> r.decision).toList(),
                "the best of a complete rung goes on (a tie: the earlier arrival)");
        long promoted = rung.get(0).runId;
        long stopped = rung.get(1).runId;
        assertEquals("STOPPED_EARLY", status(stopped));
        assertEquals(2, Job.count("runId = ?1 and state = ?2 and targetEpoch = 2", promoted, Job.State.QUEUED));

        while (worker.runOnce(experiment)) {
            // the promoted run's folds, from their checkpoints, then the final fit
        }
        assertEquals("SUCCEEDED", status(promoted));
        assertEquals(2, Job.count("runId = ?1 and kind = ?2 and attempts = 2", promoted, Job.Kind.FOLD),
                "each fold claimed again on its promotion");
        Job finalFit = Job.find("kind", Job.Kind.FINAL_FIT).<Job>list().stream()
                .filter(j -> runs.contains(j.runId)).findFirst().orElseThrow();
        assertEquals(promoted, finalFit.runId);
        assertEquals(Job.State.DONE, finalFit.state);

        given().when().get("/api/runs/" + stopped).then().statusCode(200)
                .body("status", equalTo("STOPPED_EARLY")).body("error", nullValue())
                .body("stopReason", startsWith("stopped early at rung 0 (1 epochs, mean accuracy "))
                .body("stopReason", containsString("rank 2 of 2, the top 1 go on"))
                .body("folds.status", equalTo(List.of("STOPPED_EARLY", "STOPPED_EARLY")));
        given().when().get("/api/experiments/" + experiment + "/search").then().statusCode(200)
                .body("search.kind", equalTo("asha"))
                .body("rungs[0].promoted", equalTo(1)).body("rungs[0].stopped", equalTo(1))
                .body("rungs[0].waiting", equalTo(0))
                .body("runs.find { it.runId == " + promoted + " }.rungs[0].decision", equalTo("PROMOTED"))
                .body("compute.foldEpochsTrained", equalTo(6)).body("compute.foldEpochsFullGrid", equalTo(12))
                .body("compute.device", equalTo("CPU"));
        given().when().post("/api/runs/" + stopped + "/retry").then().statusCode(409);
        given().when().get("/api/experiments/987654/search").then().statusCode(404);
    }

    /**
     * A run cancelled while it waits at rung 0 leaves the rung: it cannot be retried (every fold job is
     * DONE), and once the rung is complete the one run left there goes on and succeeds.
     */
    @Test
    void aRunCancelledWhileItWaitsLeavesTheRung() throws IOException {
        long experiment = given().contentType(ContentType.JSON).body(spec()).when().post("/api/experiments")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        List<Long> runs = Run.<Run>list("experimentId = ?1 order by id", experiment).stream().map(r -> r.id).toList();
        for (int i = 0; i < 4; i++) {
            worker.runOnce(experiment);
        }
        assertEquals(2, RunRung.count("experimentId = ?1 and decision is null", experiment), "two runs wait at rung 0");
        given().when().post("/api/runs/" + runs.get(0) + "/cancel").then().statusCode(200).body("status", equalTo("CANCELLED"));
        given().when().post("/api/runs/" + runs.get(0) + "/retry").then().statusCode(409)
                .body("error", containsString("no failed or cancelled fold to queue again"));
        given().when().post("/api/runs/" + runs.get(2) + "/cancel").then().statusCode(200);
        while (worker.runOnce(experiment)) {
            // the one run left at rung 0 goes on
        }
        assertEquals(List.of("CANCELLED", "SUCCEEDED", "CANCELLED"), runs.stream().map(AshaSearchTest::status).toList());
        given().when().get("/api/experiments/" + experiment + "/search").then().statusCode(200)
                .body("rungs[0].arrivals", equalTo(2)).body("rungs[0].promoted", equalTo(1))
                .body("rungs[0].waiting", equalTo(0)).body("rungs[0].left", equalTo(1))
                .body("runs[1].rungs[0].reason", containsString("rank 1 of 1, the top 1 go on"));
    }

    /** Through the API: entities this test loaded stay as they were in its session. */
    private static String status(long runId) {
        return given().when().get("/api/runs/" + runId).then().statusCode(200).extract().path("status");
    }
}
