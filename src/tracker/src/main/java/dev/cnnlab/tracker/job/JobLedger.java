package dev.cnnlab.tracker.job;

import dev.cnnlab.training.Environment;
import dev.cnnlab.training.loop.EvaluationResult;
import dev.cnnlab.training.loop.FoldResult;
import dev.cnnlab.tracker.run.Fold;
import dev.cnnlab.tracker.run.Run;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a worker records about its job: the environment it trains in, and a fold's result. */
@ApplicationScoped
public class JobLedger {
    @Inject
    Lifecycle lifecycle;

    /** What a worker needs to train: the run's settings and the fold row; null when there is nothing to do. */
    public record Start(Map<String, Object> hyperparameters, Long foldId) {
    }

    /** Starts the job ({@link Lifecycle#started}) and records the environment on its run. */
    @Transactional
    public Start started(Claim claim, Environment env) {
        Lifecycle.Started started = lifecycle.started(claim);
        if (started == null) {
            return null;
        }
        Run run = started.run();
        if (run.environment == null) {
            run.environment = environment(env);
            run.host = env.host();
            run.backend = env.backend();
            run.device = env.device();
        }
        return new Start(run.hyperparameters, started.fold() == null ? null : started.fold().id);
    }

    /** Stores the fold's result as the fold succeeds ({@link Lifecycle#foldSucceeded}). */
    @Transactional
    public void succeeded(Claim claim, FoldResult result, List<String> labels) {
        lifecycle.foldSucceeded(claim, (run, fold) -> {
            fold.trainSize = result.trainSize();
            fold.valSize = result.valSize();
            fold.bestEpoch = result.bestEpoch();
            fold.accuracy = finite(result.accuracy());
            fold.loss = finite(result.loss());
            fold.seconds = finite(result.seconds());
            fold.imagesPerSec = finite(result.imagesPerSec());
            EvaluationResult eval = result.evaluation();
            if (eval != null) {
                fold.perClass = perClass(eval);
                fold.confusion = confusion(eval.confusion());
            }
            if (run.labels == null) {
                run.labels = labels;
            }
        });
    }

    /** Mean and sample standard deviation of the fold accuracies, mean images/s. */
    static void aggregate(Run run, List<Fold> folds) {
        double[] acc = folds.stream().mapToDouble(f -> f.accuracy == null ? Double.NaN : f.accuracy).toArray();
        double mean = Arrays.stream(acc).average().orElse(Double.NaN);
        double var = Arrays.stream(acc).map(a -> (a - mean) * (a - mean)).sum() / Math.max(1, acc.length - 1);
        run.meanAccuracy = Double.isFinite(mean) ? mean : null;
        run.stdAccuracy = Double.isFinite(var) ? Math.sqrt(var) : null;
        run.imagesPerSec = folds.stream().filter(f -> f.imagesPerSec != null).mapToDouble(f -> f.imagesPerSec)
                .average().stream().boxed().findFirst().orElse(null);
    }

    static Map<String, Object> environment(Environment env) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("host", env.host());
        map.put("backend", env.backend());
        map.put("device", env.device());
        map.put("cores", env.cores());
        map.put("dl4jVersion", env.dl4jVersion());
        map.put("nd4jVersion", env.nd4jVersion());
        map.put("jvmVersion", env.jvmVersion());
        map.put("projectVersion", env.projectVersion());
        return map;
    }

    static List<Map<String, Object>> perClass(EvaluationResult eval) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int c = 0; c < eval.labels().size(); c++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("label", eval.labels().get(c));
            row.put("precision", eval.precision()[c]);
            row.put("recall", eval.recall()[c]);
            row.put("f1", eval.f1()[c]);
            rows.add(row);
        }
        return rows;
    }

    static List<List<Integer>> confusion(int[][] matrix) {
        List<List<Integer>> rows = new ArrayList<>();
        for (int[] row : matrix) {
            rows.add(Arrays.stream(row).boxed().toList());
        }
        return rows;
    }

    static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
