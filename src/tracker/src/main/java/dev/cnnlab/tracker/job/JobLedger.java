package dev.cnnlab.tracker.job;

import dev.cnnlab.training.Environment;
import dev.cnnlab.training.loop.EvaluationResult;
import dev.cnnlab.training.loop.FoldResult;
import dev.cnnlab.tracker.run.Fold;
import dev.cnnlab.tracker.run.Run;
import dev.cnnlab.tracker.run.RunStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The database side of running a fold: marking it started, and storing its result. */
@ApplicationScoped
public class JobLedger {
    @Inject
    JobQueue queue;
    @Inject
    RunFinisher finisher;

    /** What a worker needs to train: the run's settings and the fold row; null when there is nothing to do. */
    public record Start(Map<String, Object> hyperparameters, Long foldId) {
    }

    /** Marks run and fold RUNNING and records the environment; a cancelled run cancels the job instead. */
    @Transactional
    public Start started(Claim claim, Environment env) {
        Job job = queue.owned(claim);
        if (job == null) {
            return null;
        }
        Run run = finisher.lock(claim.runId());
        boolean finalFit = claim.kind() == Job.Kind.FINAL_FIT;
        if (job.cancelRequested || (!finalFit && run.status().finished())) {
            job.state = Job.State.CANCELLED.name();
            JobQueue.clearLease(job);
            Fold fold = JobQueue.fold(job);
            if (fold != null) {
                fold.status = RunStatus.CANCELLED.name();
            }
            return null;
        }
        if (!finalFit) {
            if (run.startedAt == null) {
                run.startedAt = Instant.now();
            }
            run.status = RunStatus.RUNNING.name();
        }
        if (run.environment == null) {
            run.environment = environment(env);
            run.host = env.host();
            run.backend = env.backend();
            run.device = env.device();
        }
        Fold fold = JobQueue.fold(job);
        if (fold != null) {
            fold.status = RunStatus.RUNNING.name();
            if (fold.startedAt == null) {
                fold.startedAt = Instant.now();
            }
        }
        return new Start(run.hyperparameters, fold == null ? null : fold.id);
    }

    /** Stores the fold's result, closes the job and, after the last fold, the run. */
    @Transactional
    public void succeeded(Claim claim, FoldResult result, List<String> labels) {
        Job job = queue.owned(claim);
        if (job == null) {
            return;
        }
        job.state = Job.State.DONE.name();
        job.error = null;
        JobQueue.clearLease(job);
        Fold fold = JobQueue.fold(job);
        fold.status = RunStatus.SUCCEEDED.name();
        fold.finishedAt = Instant.now();
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
        Run run = finisher.lock(claim.runId());
        if (run.labels == null) {
            run.labels = labels;
        }
        finisher.foldSucceeded(claim.runId());
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
            rows.add(java.util.Arrays.stream(row).boxed().toList());
        }
        return rows;
    }

    static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
