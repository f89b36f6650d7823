package dev.cnnlab.tracker.job;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cnnlab.tracker.Fixtures;
import dev.cnnlab.tracker.PostgresResource;
import dev.cnnlab.tracker.TinyDataset;
import dev.cnnlab.tracker.run.Fold;
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

    @Test
    void repeatedKFoldTrainsRepeatsTimesFoldsAndRunsPairOnEveryOne() {
        Map<String, Object> spec = Fixtures.spec(TinyDataset.folder(40).toString());
        spec.put("architectures", List.of("lenet5"));
        spec.put("batchSizes", List.of(16, 32));
        spec.put("subset", 0);
        spec.put("heldOut", 0);
        spec.put("folds", 2);
        spec.put("repeats", 2);
        long experiment = given().contentType(ContentType.JSON).body(spec).when().post("/api/experiments")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        int jobs = 0;
        while (worker.runOnce(experiment)) {
            jobs++;
        }
        assertEquals(8, jobs, "2 runs x 2 repeats x 2 folds");
        List<Run> runs = Run.list("experimentId = ?1 order by id", experiment);
        for (Run run : runs) {
            assertEquals("SUCCEEDED", run.status.name(), "run " + run.id + ": " + run.error);
            assertEquals(2, run.hyperparameters.get("repeats"));
            List<Fold> folds = Fold.list("runId = ?1 order by foldIndex", run.id);
            assertEquals(List.of(0, 1, 2, 3), folds.stream().map(f -> f.foldIndex).toList());
            // each repeat's two validation parts cover the development images
            int images = folds.get(0).trainSize + folds.get(0).valSize;
            assertEquals(images, folds.get(0).valSize + folds.get(1).valSize);
            assertEquals(images, folds.get(2).valSize + folds.get(3).valSize);
        }
        // the same (repeat, fold) validates on the same images in both runs: equal class counts per fold
        for (int k = 0; k < 4; k++) {
            assertEquals(classCounts(runs.get(0), k), classCounts(runs.get(1), k), "fold " + k);
        }
        given().when().get("/api/experiments/" + experiment + "/comparison?baseline=" + runs.get(0).id)
                .then().statusCode(200)
                .body("rows[0].sharedFolds", org.hamcrest.Matchers.equalTo(4))
                .body("rows[0].sameSplits", org.hamcrest.Matchers.equalTo(true))
                .body("rows[0].stats.n", org.hamcrest.Matchers.equalTo(4));
    }

    /** The validation images of each class: the row sums of the fold's confusion matrix. */
    private static List<Integer> classCounts(Run run, int foldIndex) {
        Fold fold = Fold.find("runId = ?1 and foldIndex = ?2", run.id, foldIndex).firstResult();
        return fold.confusion.stream().map(row -> row.stream().mapToInt(Integer::intValue).sum()).toList();
    }
}
