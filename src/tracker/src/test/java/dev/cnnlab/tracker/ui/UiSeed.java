package dev.cnnlab.tracker.ui;

import dev.cnnlab.tracker.experiment.Experiment;
import dev.cnnlab.tracker.run.EpochMetric;
import dev.cnnlab.tracker.run.Fold;
import dev.cnnlab.tracker.run.Run;
import dev.cnnlab.tracker.run.RunStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes finished, running and failed runs straight into the tracker's tables, as the worker would
 * leave them, so the UI has known numbers to show. No jobs are created: nothing in the tracker
 * will pick these runs up and change them under the test.
 */
final class UiSeed {
    static final List<String> LABELS = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");
    static final int FOLDS = 3;
    static final int EPOCHS = 3;

    /** One seeded run: what the table and charts should show for it. */
    record SeededRun(long id, String architecture, int batchSize, String status, List<Double> foldAccuracies,
                     Double meanAccuracy, Double stdAccuracy) {
    }

    record Seeded(long experimentId, String name, List<SeededRun> runs) {
        SeededRun run(String architecture, int batchSize) {
            return runs.stream().filter(r -> r.architecture.equals(architecture) && r.batchSize == batchSize)
                    .findFirst().orElseThrow();
        }
    }

    private UiSeed() {
    }

    /**
     * The paper's grid in small: lenet5 and keras-cifar10 at batch sizes 16, 32, 64, three folds
     * of three epochs. lenet5/64 FAILED, keras-cifar10/64 is RUNNING (fold 0 done, fold 1 at
     * epoch 1: 4 of 9 epochs), the rest SUCCEEDED.
     */
    static Seeded paperGrid() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Experiment experiment = experiment("ui-paper-" + UUID.randomUUID(), List.of("lenet5", "keras-cifar10"),
                    List.of(16, 32, 64));
            List<SeededRun> runs = new ArrayList<>();
            for (String architecture : List.of("lenet5", "keras-cifar10")) {
                for (int batchSize : List.of(16, 32, 64)) {
                    String status = batchSize < 64 ? "SUCCEEDED" : architecture.equals("lenet5") ? "FAILED" : "RUNNING";
                    runs.add(run(experiment.id, architecture, batchSize, status));
                }
            }
            return new Seeded(experiment.id, experiment.name, runs);
        });
    }

    /** An experiment with this many finished runs and no folds, for paging. */
    static Seeded manyRuns(int count) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Experiment experiment = experiment("ui-many-" + UUID.randomUUID(), List.of("lenet5"), List.of(16));
            List<SeededRun> runs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Run run = newRun(experiment.id, "lenet5", 16, "SUCCEEDED");
                run.meanAccuracy = 0.5 + i / 1000.0;
                run.stdAccuracy = 0.01;
                run.persist();
                runs.add(new SeededRun(run.id, run.architecture, run.batchSize, run.status.name(), List.of(),
                        run.meanAccuracy, run.stdAccuracy));
            }
            return new Seeded(experiment.id, experiment.name, runs);
        });
    }

    /** Records one more epoch for a fold of a run, as the worker does after each epoch. */
    static void recordEpoch(long runId, int foldIndex, int epoch) {
        QuarkusTransaction.requiringNew().run(() -> {
            Fold fold = Fold.find("runId = ?1 and foldIndex = ?2", runId, foldIndex).firstResult();
            fold.status = RunStatus.RUNNING;
            epoch(fold.id, epoch, 0.40).persist();
        });
    }

    /** Fold accuracy of the seeded grid: falls with batch size, keras-cifar10 above lenet5, folds apart. */
    static double accuracy(String architecture, int batchSize, int fold) {
        double base = architecture.equals("lenet5") ? 0.55 : 0.65;
        return base - 0.03 * (Math.log(batchSize / 16.0) / Math.log(2)) + 0.01 * fold;
    }

    static Experiment experiment(String name, List<String> architectures, List<Integer> batchSizes) {
        Experiment experiment = new Experiment();
        experiment.name = name;
        experiment.description = "seeded by the UI tests";
        experiment.dataset = "cifar10";
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", name);
        spec.put("dataset", "cifar10");
        spec.put("architectures", architectures);
        spec.put("batchSizes", batchSizes);
        spec.put("learningRates", List.of(0.001));
        spec.put("epochs", EPOCHS);
        spec.put("folds", FOLDS);
        spec.put("optimizer", "adam");
        spec.put("schedule", "constant");
        spec.put("augmentation", "flip");
        spec.put("seed", 42);
        experiment.spec = spec;
        experiment.createdAt = Instant.now();
        experiment.createdBy = "ui-test";
        experiment.persist();
        return experiment;
    }

    private static SeededRun run(long experimentId, String architecture, int batchSize, String status) {
        Run run = newRun(experimentId, architecture, batchSize, status);
        run.labels = LABELS;
        run.environment = Map.of("host", "ui-test", "backend", "CPU", "device", "test CPU", "cores", 2,
                "dl4jVersion", "1.0.0-M2.1", "jvmVersion", "17", "projectVersion", "0.1.0-SNAPSHOT");
        run.startedAt = Instant.now().minusSeconds(600);
        if (status.equals("FAILED")) {
            run.error = "TrainingDivergedException: loss is NaN at epoch 2 of fold 0";
            run.finishedAt = Instant.now().minusSeconds(300);
        }
        run.persist();

        // Folds: all finished for SUCCEEDED; for RUNNING fold 0 finished, fold 1 at epoch 1, fold 2 queued.
        List<Double> accuracies = new ArrayList<>();
        for (int k = 0; k < FOLDS; k++) {
            Fold fold = Fold.of(run.id, k);
            fold.trainSize = 2000;
            fold.valSize = 1000;
            boolean finished = status.equals("SUCCEEDED") || (status.equals("RUNNING") && k == 0);
            int epochs = finished ? EPOCHS : status.equals("RUNNING") && k == 1 ? 1 : 0;
            if (status.equals("FAILED")) {
                fold.status = RunStatus.valueOf(k == 0 ? "FAILED" : "CANCELLED");
            } else {
                fold.status = RunStatus.valueOf(finished ? "SUCCEEDED" : epochs > 0 ? "RUNNING" : "QUEUED");
            }
            double accuracy = accuracy(architecture, batchSize, k);
            if (finished) {
                fold.accuracy = accuracy;
                fold.loss = 1.0;
                fold.bestEpoch = EPOCHS;
                fold.confusion = confusion(accuracy);
                fold.perClass = perClass(fold.confusion);
                accuracies.add(accuracy);
            }
            fold.persist();
            for (int e = 1; e <= epochs; e++) {
                epoch(fold.id, e, accuracy).persist();
            }
        }
        if (status.equals("SUCCEEDED")) {
            double mean = accuracies.stream().mapToDouble(d -> d).average().orElseThrow();
            double var = accuracies.stream().mapToDouble(d -> (d - mean) * (d - mean)).sum() / (accuracies.size() - 1);
            run.meanAccuracy = mean;
            run.stdAccuracy = Math.sqrt(var);
            run.testAccuracy = mean - 0.01;
            run.imagesPerSec = 200.0 + batchSize;
            run.durationSeconds = 600.0 - batchSize;
            run.finishedAt = Instant.now();
        }
        return new SeededRun(run.id, architecture, batchSize, status, accuracies, run.meanAccuracy, run.stdAccuracy);
    }

    static Run newRun(long experimentId, String architecture, int batchSize, String status) {
        Run run = new Run();
        run.experimentId = experimentId;
        run.architecture = architecture;
        run.batchSize = batchSize;
        run.learningRate = 0.001;
        run.optimizer = "adam";
        run.schedule = "constant";
        run.epochs = EPOCHS;
        run.folds = FOLDS;
        run.augmentation = "flip";
        run.seed = 42;
        run.status = RunStatus.valueOf(status);
        run.createdAt = Instant.now();
        Map<String, Object> hp = new LinkedHashMap<>();
        hp.put("architecture", architecture);
        hp.put("batchSize", batchSize);
        hp.put("learningRate", 0.001);
        hp.put("optimizer", "adam");
        hp.put("schedule", "constant");
        hp.put("weightDecay", 0.0);
        hp.put("epochs", EPOCHS);
        hp.put("folds", FOLDS);
        hp.put("augmentation", "flip");
        hp.put("seed", 42);
        hp.put("patience", 0);
        hp.put("dataset", "cifar10");
        run.hyperparameters = hp;
        return run;
    }

    /** Validation curves that climb to the fold's final accuracy. */
    private static EpochMetric epoch(long foldId, int epoch, double finalAccuracy) {
        EpochMetric m = new EpochMetric();
        m.foldId = foldId;
        m.epoch = epoch;
        m.valAccuracy = finalAccuracy * (0.7 + 0.1 * epoch);
        m.valLoss = 2.3 - 0.3 * epoch - finalAccuracy;
        m.trainAccuracy = m.valAccuracy + 0.02;
        m.trainLoss = m.valLoss - 0.1;
        m.learningRate = 0.001;
        m.seconds = 30.0;
        m.imagesPerSec = 100.0;
        m.recordedAt = Instant.now();
        return m;
    }

    /** 100 images per class, the diagonal holding accuracy of them, the rest spread to the next classes. */
    static List<List<Integer>> confusion(double accuracy) {
        int n = LABELS.size();
        int right = (int) Math.round(100 * accuracy);
        List<List<Integer>> rows = new ArrayList<>();
        for (int actual = 0; actual < n; actual++) {
            List<Integer> row = new ArrayList<>();
            for (int predicted = 0; predicted < n; predicted++) {
                row.add(predicted == actual ? right : predicted == (actual + 1) % n ? 100 - right : 0);
            }
            rows.add(row);
        }
        return rows;
    }

    static List<Map<String, Object>> perClass(List<List<Integer>> confusion) {
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (int c = 0; c < LABELS.size(); c++) {
            int truePositive = confusion.get(c).get(c);
            int actual = confusion.get(c).stream().mapToInt(i -> i).sum();
            int c0 = c;
            int predicted = confusion.stream().mapToInt(row -> row.get(c0)).sum();
            double precision = (double) truePositive / predicted;
            double recall = (double) truePositive / actual;
            metrics.add(Map.of("label", LABELS.get(c), "precision", precision, "recall", recall,
                    "f1", 2 * precision * recall / (precision + recall)));
        }
        return metrics;
    }
}
