package dev.cnnlab.tracker.ui;

import dev.cnnlab.tracker.experiment.Experiment;
import dev.cnnlab.tracker.run.EpochMetric;
import dev.cnnlab.tracker.run.Fold;
import dev.cnnlab.tracker.run.Run;
import dev.cnnlab.tracker.run.RunStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A finished grid over weightDecay x augmentation (keras-cifar10, batch 32, 3 folds of 3 epochs),
 * written as the worker leaves it. Each fold peaks at epoch 2 and falls back 4 points at epoch 3,
 * so the best and the last epoch differ; cutout spreads the folds twice as far and its epochs take
 * 25 s instead of 20 s.
 */
final class StudySeed {
    static final List<Double> WEIGHT_DECAYS = List.of(5e-4, 5e-3);
    static final List<String> AUGMENTATIONS = List.of("crop-flip", "crop-flip-cutout");
    static final int TRAIN_SIZE = 2000;

    record Grid(long experimentId, Map<String, Long> runIds) {
        long run(double weightDecay, String augmentation) {
            return runIds.get(weightDecay + "/" + augmentation);
        }
    }

    private StudySeed() {
    }

    /** Best-epoch accuracy of a fold: 0.60, +0.04 at the larger weight decay, +0.02 with cutout, folds 1 (cutout 2) points apart. */
    static double accuracy(double weightDecay, String augmentation, int fold) {
        boolean cutout = augmentation.endsWith("cutout");
        return 0.60 + (weightDecay > 1e-3 ? 0.04 : 0) + (cutout ? 0.02 : 0) + 0.01 * fold * (cutout ? 2 : 1);
    }

    static Grid weightDecayByAugmentation() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Experiment experiment = UiSeed.experiment("ui-study-" + UUID.randomUUID(), List.of("keras-cifar10"), List.of(32));
            experiment.spec.put("grid", Map.of("weightDecay", WEIGHT_DECAYS, "augmentation", AUGMENTATIONS));
            Map<String, Long> ids = new java.util.LinkedHashMap<>();
            for (double wd : WEIGHT_DECAYS) {
                for (String aug : AUGMENTATIONS) {
                    ids.put(wd + "/" + aug, run(experiment.id, wd, aug));
                }
            }
            return new Grid(experiment.id, ids);
        });
    }

    private static long run(long experimentId, double weightDecay, String augmentation) {
        Run run = UiSeed.newRun(experimentId, "keras-cifar10", 32, "SUCCEEDED");
        run.weightDecay = weightDecay;
        run.augmentation = augmentation;
        run.hyperparameters.put("weightDecay", weightDecay);
        run.hyperparameters.put("augmentation", augmentation);
        run.labels = UiSeed.LABELS;
        run.startedAt = Instant.now().minusSeconds(600);
        run.finishedAt = Instant.now();
        run.persist();
        List<Double> accuracies = new ArrayList<>();
        for (int k = 0; k < UiSeed.FOLDS; k++) {
            double accuracy = accuracy(weightDecay, augmentation, k);
            accuracies.add(accuracy);
            Fold fold = Fold.of(run.id, k);
            fold.trainSize = TRAIN_SIZE;
            fold.valSize = 1000;
            fold.status = RunStatus.SUCCEEDED;
            fold.accuracy = accuracy;
            fold.bestEpoch = 2;
            fold.loss = 1.0;
            fold.confusion = UiSeed.confusion(accuracy);
            fold.perClass = UiSeed.perClass(fold.confusion);
            fold.persist();
            double[] curve = {accuracy - 0.10, accuracy, accuracy - 0.04};
            for (int e = 1; e <= curve.length; e++) {
                EpochMetric m = new EpochMetric();
                m.foldId = fold.id;
                m.epoch = e;
                m.valAccuracy = curve[e - 1];
                m.valLoss = 2.0 - curve[e - 1];
                m.seconds = augmentation.endsWith("cutout") ? 25.0 : 20.0;
                m.recordedAt = Instant.now();
                m.persist();
            }
        }
        double mean = accuracies.stream().mapToDouble(d -> d).average().orElseThrow();
        run.meanAccuracy = mean;
        run.stdAccuracy = Math.sqrt(accuracies.stream().mapToDouble(d -> (d - mean) * (d - mean)).sum() / 2);
        return run.id;
    }
}
