package dev.cnnlab.tracker.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.run.EpochMetric;
import dev.cnnlab.tracker.run.RunStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The computations behind the study views, on small hand-worked inputs. */
class StudyMathTest {

    @Test
    void accuracyByFieldGroupsRunsByAnyFieldWithTheFoldSpread() {
        List<RunScores> runs = List.of(
                run(1, Map.of("weightDecay", 0.005, "augmentation", "crop-flip"), 0.60, 0.62),
                run(2, Map.of("weightDecay", 0.0005, "augmentation", "crop-flip"), 0.50, 0.54),
                run(3, Map.of("weightDecay", 0.005, "augmentation", "crop-flip-cutout"), 0.70, 0.70),
                run(4, Map.of("weightDecay", 0.0005, "augmentation", "crop-flip-cutout")));
        List<AccuracyByField.Point> byWd = AccuracyByField.of(runs, "weightDecay", null);
        assertEquals(2, byWd.size(), "one point per weight decay; run 4 has no finished fold");
        assertEquals(0.0005, byWd.get(0).x(), "numbers in numeric order");
        assertEquals(List.of(0.50, 0.54), byWd.get(0).foldScores());
        assertEquals(0.52, byWd.get(0).mean(), 1e-12);
        assertEquals(Math.sqrt(0.0008), byWd.get(0).std(), 1e-12); // (0.02^2 * 2) / 1
        assertEquals(List.of(1L, 3L), byWd.get(1).runIds());
        assertEquals(0.655, byWd.get(1).mean(), 1e-12);
        assertEquals(0.60, byWd.get(1).min(), 1e-12);
        assertEquals(0.70, byWd.get(1).max(), 1e-12);

        List<AccuracyByField.Point> lines = AccuracyByField.of(runs, "weightDecay", "augmentation");
        assertEquals(List.of("crop-flip", "crop-flip", "crop-flip-cutout"), lines.stream().map(p -> p.series()).toList());
        assertEquals(0.0, lines.get(2).std(), "one run of equal folds");
    }

    @Test
    void varyingFieldsComeFromTheSchemaInItsOrder() {
        List<Map<String, Object>> hps = List.of(Map.of("batchSize", 32, "weightDecay", 0.005, "augmentation", "flip"),
                Map.of("batchSize", 32.0, "weightDecay", 0.0005, "augmentation", "none", "notAField", 1));
        assertEquals(List.of("weightDecay", "augmentation"),
                Fields.varying(hps).stream().filter(f -> !f.equals("architecture")).toList());
        assertTrue(Fields.NAMES.indexOf("weightDecay") < Fields.NAMES.indexOf("augmentation"));
        assertEquals("weightDecay 0.005, augmentation flip", Fields.label(1, hps.get(0), Fields.varying(hps)));
    }

    @Test
    void timeToAccuracyAddsUpSecondsAndImagesPerFold() {
        // fold 0: 2 epochs of 10 s and 12 s on 1000 images; fold 1: 1 epoch of 20 s on 800 images so far
        FoldRecord f0 = fold(0, 1000, new double[][] {{0.40, 10}, {0.50, 12}});
        FoldRecord f1 = fold(1, 800, new double[][] {{0.30, 20}});
        List<TimeToAccuracy.Point> points = TimeToAccuracy.of(List.of(f0, f1));
        assertEquals(2, points.size());
        TimeToAccuracy.Point first = points.get(0);
        assertEquals(2, first.folds());
        assertEquals(0.35, first.accuracy(), 1e-12);
        assertEquals(15.0, first.seconds(), 1e-12);
        assertEquals(900.0, first.imagesSeen(), 1e-12);
        TimeToAccuracy.Point second = points.get(1);
        assertEquals(1, second.folds());
        assertEquals(0.50, second.accuracy(), 1e-12);
        assertEquals(22.0, second.seconds(), 1e-12);
        assertEquals(2000.0, second.imagesSeen(), 1e-12);
        assertNull(TimeToAccuracy.of(List.of(fold(0, null, new double[][] {{0.4, 1}}))).get(0).imagesSeen());
    }

    @Test
    void confusionDiffIsThePerFoldRecallChangeWithItsSpread() {
        List<String> labels = List.of("cat", "dog");
        // baseline: cat 8/10 and 6/10 right on folds 0 and 1; dog 5/10 both times
        // other:    cat 9/10 and 9/10;                          dog 5/10 and 4/10
        var base = Map.of(0, m(8, 2, 5, 5), 1, m(6, 4, 5, 5), 2, m(1, 9, 1, 9));
        var other = Map.of(0, m(9, 1, 5, 5), 1, m(9, 1, 6, 4));
        ConfusionDiff.Result diff = ConfusionDiff.of(labels, base, other);
        assertEquals(List.of(0, 1), diff.folds(), "only the folds both finished");
        ConfusionDiff.ClassChange cat = diff.classes().get(0);
        assertEquals(List.of(0.1, 0.3), cat.foldChanges().stream().map(d -> Math.round(d * 1e9) / 1e9).toList());
        assertEquals(0.2, cat.change(), 1e-12);
        assertEquals(Math.sqrt(0.02), cat.std(), 1e-12);
        assertEquals(0.7, cat.baseRecall(), 1e-12);
        assertEquals(0.9, cat.otherRecall(), 1e-12);
        ConfusionDiff.ClassChange dog = diff.classes().get(1);
        assertEquals(-0.05, dog.change(), 1e-12);
        assertEquals(-0.1, dog.min(), 1e-12);
        assertEquals(0.0, dog.max(), 1e-12);
        assertArrayEquals(new double[] {0.2, -0.2}, diff.matrix()[0], 1e-12);
        assertArrayEquals(new double[] {0.05, -0.05}, diff.matrix()[1], 1e-12);

        var e = assertThrows(IllegalArgumentException.class, () -> ConfusionDiff.of(labels, Map.of(0, m(1, 1, 1, 1)),
                Map.of(1, m(1, 1, 1, 1))));
        assertTrue(e.getMessage().contains("share no finished fold"), e.getMessage());
        var shape = assertThrows(IllegalArgumentException.class, () -> ConfusionDiff.of(List.of("a", "b", "c"),
                Map.of(0, m(1, 1, 1, 1)), Map.of(0, m(1, 1, 1, 1))));
        assertTrue(shape.getMessage().contains("fold 0's confusion matrix is not 3 x 3"), shape.getMessage());
    }

    private static List<List<Integer>> m(int a, int b, int c, int d) {
        return List.of(List.of(a, b), List.of(c, d));
    }

    private static RunScores run(long id, Map<String, Object> hp, double... folds) {
        Map<Integer, Double> scores = new java.util.LinkedHashMap<>();
        for (int k = 0; k < folds.length; k++) {
            scores.put(k, folds[k]);
        }
        return new RunScores(id, hp, scores);
    }

    private static FoldRecord fold(int index, Integer trainSize, double[][] epochs) {
        List<EpochMetric> rows = new ArrayList<>();
        for (int e = 0; e < epochs.length; e++) {
            EpochMetric m = new EpochMetric();
            m.epoch = e + 1;
            m.valAccuracy = epochs[e][0];
            m.seconds = epochs[e][1];
            rows.add(m);
        }
        return new FoldRecord(1, index, RunStatus.RUNNING, trainSize, null, null, rows);
    }
}
