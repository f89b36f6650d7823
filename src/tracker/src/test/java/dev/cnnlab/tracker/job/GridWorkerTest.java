package dev.cnnlab.tracker.job;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cnnlab.tracker.Fixtures;
import dev.cnnlab.tracker.PostgresResource;
import dev.cnnlab.tracker.TinyDataset;
import dev.cnnlab.tracker.run.Run;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A grid over fields other than architecture and batch size runs through the worker on real (tiny) training. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class GridWorkerTest {
    @Inject
    JobWorker worker;

    @Test
    void aGridOverWeightDecayAndAugmentationTrainsEveryPoint() {
        Map<String, Object> spec = Fixtures.spec(TinyDataset.folder(40).toString());
        spec.remove("architectures");
        spec.remove("batchSizes");
        spec.remove("weightDecay");
        spec.remove("augmentation");
        spec.put("subset", 0);
        spec.put("heldOut", 0);
        spec.put("epochs", 1);
        spec.put("grid", Map.of("architecture", List.of("lenet5"), "batchSize", List.of(32),
                "weightDecay", List.of(5e-4, 5e-3), "augmentation", List.of("crop-flip", "crop-flip-cutout")));
        long experiment = given().contentType(ContentType.JSON).body(spec).when().post("/api/experiments")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        int jobs = 0;
        while (worker.runOnce(experiment)) {
            jobs++;
        }
        assertEquals(8, jobs, "4 grid points x 2 folds");
        List<Run> runs = Run.list("experimentId", experiment);
        for (Run run : runs) {
            assertEquals("SUCCEEDED", run.status.name(), "run " + run.id + ": " + run.error);
        }
        Set<List<Object>> points = runs.stream().map(r -> List.<Object>of(r.weightDecay, r.augmentation,
                r.hyperparameters.get("augmentation"))).collect(Collectors.toSet());
        assertEquals(Set.of(List.of(5e-4, "crop-flip", "crop-flip"), List.of(5e-4, "crop-flip-cutout", "crop-flip-cutout"),
                List.of(5e-3, "crop-flip", "crop-flip"), List.of(5e-3, "crop-flip-cutout", "crop-flip-cutout")), points);
        given().when().get("/api/experiments/" + experiment).then().statusCode(200)
                .body("spec.grid.weightDecay.size()", org.hamcrest.Matchers.equalTo(2));
    }
}
