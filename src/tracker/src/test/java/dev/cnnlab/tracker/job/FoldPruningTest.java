package dev.cnnlab.tracker.job;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.Fixtures;
import dev.cnnlab.tracker.PostgresResource;
import dev.cnnlab.tracker.run.Fold;
import dev.cnnlab.tracker.run.Run;
import dev.cnnlab.tracker.run.RunStatus;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Fold-level pruning through the real worker path: a configuration that cannot learn (learning rate
 * 1e-7) on ten solid-colour classes, against one that learns them, is pruned after four folds of six
 * (one-sided exact Wilcoxon p = 1/16 < 0.1); the good one trains all six.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class FoldPruningTest {
    private static final int FOLDS = 6;

    @Inject
    JobWorker worker;

    @Test
    void aLosingConfigurationIsPrunedAndTheWinnerIsNot() throws IOException {
        Map<String, Object> spec = Fixtures.spec(colours(12).toString());
        spec.put("subset", 0);
        spec.put("heldOut", 0);
        spec.put("architectures", List.of("lenet5"));
        spec.put("batchSizes", List.of(16));
        spec.put("learningRates", List.of(0.01, 1e-7));   // the good run is queued (and claimed) first
        spec.put("epochs", 4);
        spec.put("folds", FOLDS);
        spec.put("pruning", Map.of("kind", "wilcoxon", "pValue", 0.1, "minFolds", 2));
        long experiment = given().contentType(ContentType.JSON).body(spec).when().post("/api/experiments")
                .then().statusCode(201).body("runIds.size()", equalTo(2)).extract().jsonPath().getLong("id");
        int jobs = 0;
        while (worker.runOnce(experiment)) {
            jobs++;
        }
        List<Run> runs = Run.list("experimentId = ?1 order by id", experiment);
        Run good = runs.get(0);
        Run bad = runs.get(1);
        assertEquals(RunStatus.SUCCEEDED, good.status, () -> "good run: " + good.error);
        assertNull(good.stopReason);
        assertEquals(RunStatus.PRUNED, bad.status, () -> "bad run: " + bad.error + " folds " + accuracies(bad)
                + " against " + accuracies(good));
        assertNull(bad.error, "pruning is not a failure");
        assertEquals(FOLDS + 4, jobs, "6 folds of the good run, 4 of the bad one before 1/2^4 < 0.1");
        assertTrue(bad.stopReason.startsWith("pruned after 4 of 6 folds: worse than run " + good.id
                + " on folds [0, 1, 2, 3] ("), bad.stopReason);
        assertTrue(bad.stopReason.contains("one-sided Wilcoxon p = 0.0625 < 0.1, 4 pairs"), bad.stopReason);
        List<Fold> folds = Fold.list("runId = ?1 order by foldIndex", bad.id);
        assertEquals(List.of(RunStatus.SUCCEEDED, RunStatus.SUCCEEDED, RunStatus.SUCCEEDED, RunStatus.SUCCEEDED,
                RunStatus.CANCELLED, RunStatus.CANCELLED), folds.stream().map(f -> f.status).toList());
        assertEquals(2, Job.count("runId = ?1 and state = ?2", bad.id, Job.State.CANCELLED));
        assertEquals(accuracies(bad).subList(0, 4).stream().mapToDouble(Double::doubleValue).average().orElseThrow(),
                bad.meanAccuracy, 1e-9, "the mean over the folds it finished");

        given().when().get("/api/runs/" + bad.id).then().statusCode(200)
                .body("status", equalTo("PRUNED"))
                .body("stopReason", startsWith("pruned after 4 of 6 folds"))
                .body("folds[5].status", equalTo("CANCELLED"));
        given().when().get("/api/experiments/" + experiment).then().statusCode(200)
                .body("runsByStatus.PRUNED", equalTo(1)).body("runsByStatus.SUCCEEDED", equalTo(1))
                .body("spec.pruning.pValue", equalTo(0.1f));
    }

    private static List<Double> accuracies(Run run) {
        return Fold.<Fold>list("runId = ?1 order by foldIndex", run.id).stream().map(f -> f.accuracy).toList();
    }

    /** Ten classes, each a distinct solid colour with a little noise: learnable in a few epochs. */
    static Path colours(int perClass) throws IOException {
        Path root = Files.createTempDirectory("cnnlab-colours");
        Random random = new Random(11);
        for (int c = 0; c < 10; c++) {
            int rgb = java.awt.Color.HSBtoRGB(c / 10f, c % 2 == 0 ? 1f : 0.5f, c < 5 ? 1f : 0.6f);
            Path dir = Files.createDirectories(root.resolve("class" + c));
            for (int i = 0; i < perClass; i++) {
                BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        img.setRGB(x, y, jitter(rgb, random));
                    }
                }
                ImageIO.write(img, "png", dir.resolve(i + ".png").toFile());
            }
        }
        return root;
    }

    private static int jitter(int rgb, Random random) {
        int out = 0;
        for (int shift = 0; shift <= 16; shift += 8) {
            int v = Math.max(0, Math.min(255, ((rgb >> shift) & 0xff) + random.nextInt(17) - 8));
            out |= v << shift;
        }
        return out;
    }
}
