package dev.cnnlab.tracker.job;

import static dev.cnnlab.tracker.job.JobWorkerTest.submit;
import static dev.cnnlab.tracker.job.JobWorkerTest.tinySpec;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.inference.format.ModelFile;
import dev.cnnlab.tracker.Fixtures;
import dev.cnnlab.tracker.PostgresResource;
import dev.cnnlab.tracker.model.Model;
import dev.cnnlab.tracker.run.Run;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** finalFit: the best run is retrained, scored on held-out images, exported, registered and servable. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class FinalFitTest {
    @Inject
    JobWorker worker;

    @Test
    void theBestRunIsRetrainedExportedAndServable() throws Exception {
        Map<String, Object> spec = tinySpec(List.of("lenet5"), List.of(16, 32), 1);
        spec.put("heldOut", 50);
        spec.put("finalFit", true);
        long experiment = submit(spec);
        int jobs = 0;
        while (worker.runOnce(experiment)) {
            jobs++;
        }
        assertEquals(5, jobs, "4 folds, then the final fit");

        List<Run> runs = Run.list("experimentId = ?1 order by meanAccuracy desc, id", experiment);
        Run best = runs.get(0);
        assertEquals(1, Job.count("kind = 'FINAL_FIT' and state = 'DONE' and runId = ?1", best.id));
        Model model = Model.find("runId", best.id).firstResult();
        assertNotNull(model, "the final model is registered");
        assertEquals("exp-" + experiment + "-lenet5", model.name);
        Path file = Path.of(model.path);
        assertEquals(Files.size(file), model.sizeBytes);
        assertEquals(ModelFile.sha256(Files.readAllBytes(file)), model.sha256);
        assertEquals(10, model.labels.size());
        assertEquals(50, ((Number) model.metrics.get("testImages")).intValue());
        assertNotNull(best.testAccuracy);
        assertTrue(best.testAccuracy >= 0 && best.testAccuracy <= 1);
        // the file itself says where it comes from and what it scored
        Map<String, String> provenance = ModelFile.read(file).metadata().provenance();
        assertEquals(String.valueOf(best.id), provenance.get("runId"));
        assertEquals(best.testAccuracy, Double.parseDouble(provenance.get("accuracy")), 1e-4);
        assertEquals("50", provenance.get("heldOutImages"));
        assertEquals("cnnlab tracker", provenance.get("trainedBy"));

        // the exported DL4J network answers through the pure-Java inference path
        given().post("/api/models/" + model.id + "/promote").then().statusCode(200);
        Path cat;
        try (var files = Files.list(Fixtures.cifarFolder().resolve("cat"))) {
            cat = files.sorted().findFirst().orElseThrow();
        }
        byte[] image = Files.readAllBytes(cat);
        given().contentType("image/jpeg").body(image).queryParam("topK", 3)
                .when().post("/api/predict")
                .then().statusCode(200)
                .body("predictions", hasSize(3))
                .body("model.sha256", equalTo(model.sha256))
                .body("model.version", equalTo(1));
    }
}
