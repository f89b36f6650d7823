package dev.cnnlab.tracker.job;

import dev.cnnlab.tracker.run.RunSettings;
import dev.cnnlab.training.Environment;
import dev.cnnlab.training.data.Datasets;
import dev.cnnlab.training.data.ImageDataset;
import dev.cnnlab.training.data.Splits;
import dev.cnnlab.training.export.ModelExporter;
import dev.cnnlab.training.loop.Checkpoint;
import dev.cnnlab.training.loop.CnnTrainer;
import dev.cnnlab.training.loop.EpochMetrics;
import dev.cnnlab.training.loop.FinalResult;
import dev.cnnlab.training.loop.FoldResult;
import dev.cnnlab.training.loop.TrainingDivergedException;
import dev.cnnlab.training.loop.TrainingListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Trains what a claimed job says, outside any transaction, through the training library. */
@ApplicationScoped
public class FoldRunner {
    private static final Logger LOG = Logger.getLogger(FoldRunner.class);

    @Inject
    JobLedger ledger;
    @Inject
    JobQueue queue;
    @Inject
    FinalFit finalFit;
    @Inject
    Lifecycle lifecycle;
    @ConfigProperty(name = "cnnlab.checkpoint-dir")
    Path checkpointDir;
    @ConfigProperty(name = "cnnlab.model-dir")
    Path modelDir;

    private final Map<String, ImageDataset> datasets = new ConcurrentHashMap<>();
    private volatile Environment environment;

    /** Why a running job stopped early: a cancel request, a lost lease, or this process shutting down. */
    public enum Stop { NONE, CANCELLED, LEASE_LOST, SHUTDOWN }

    /**
     * Runs the job to its end; stop() is polled before every batch. Its database writes wait out a
     * database restart ({@link DbRetry}) rather than fail the fold.
     */
    public void run(Claim claim, java.util.function.Supplier<Stop> stop) {
        String job = "job " + claim.jobId();
        try {
            JobLedger.Start start = DbRetry.call(job + " start", () -> ledger.started(claim, environment()));
            if (start == null) {
                return;
            }
            RunSettings settings = RunSettings.fromJson(start.hyperparameters());
            ImageDataset data = dataset(settings.dataset());
            CnnTrainer trainer = new CnnTrainer(settings.config(data.size()));
            Path runDir = checkpointDir.resolve("run-" + claim.runId());
            BooleanSupplier stopped = () -> stop.get() != Stop.NONE;
            if (claim.attempt() == 1) {
                // a first attempt has nothing to resume: whatever is there is left from another database
                deleteQuietly(runDir.resolve(claim.kind() == Job.Kind.FOLD ? "fold-" + claim.foldIndex() : "final"));
            }
            if (claim.kind() == Job.Kind.FOLD) {
                int k = claim.foldIndex();
                ImageDataset dev = trainer.prepare(data).development();
                Splits.Split split = trainer.folds(dev).get(k);
                Path dir = runDir.resolve("fold-" + k);
                // epochs checkpointed by a worker that died before it could record them
                new Checkpoint(dir).state().ifPresent(s -> s.epochs().forEach(m -> DbRetry.run(job + " epoch "
                        + m.epoch(), () -> queue.recordEpoch(start.foldId(), m, false))));
                // an ASHA rung: train up to it and keep the checkpoint, from which a promotion resumes
                int until = claim.targetEpoch() == null ? trainer.config().epochs() : claim.targetEpoch();
                FoldResult result = trainer.trainFold(dev.select(split.train()), dev.select(split.validation()), k,
                        dir, listener(job, start.foldId(), stopped), until);
                DbRetry.run(job + " result", () -> ledger.succeeded(claim, result, dev.classes()));
                if (until == trainer.config().epochs()) {
                    deleteQuietly(dir);
                }
            } else {
                FinalResult result = trainer.trainFinal(data, runDir.resolve("final"), listener(job, null, stopped));
                var name = DbRetry.call(job + " model name", () -> finalFit.nextName(claim.runId()));
                Path file = modelDir.resolve(name.getKey()).resolve("v" + name.getValue()).resolve("model.safetensors");
                Map<String, String> provenance = result.provenance(trainer.config(), settings.dataset());
                provenance.put("runId", String.valueOf(claim.runId()));
                provenance.put("trainedBy", "cnnlab tracker");
                String sha = ModelExporter.write(result.model(), name.getKey(), provenance, file);
                long size = Files.size(file);
                DbRetry.run(job + " result", () -> finalFit.stored(claim, result, name.getKey(), name.getValue(), file,
                        sha, size));
                deleteQuietly(runDir.resolve("final"));
            }
        } catch (CancellationException e) {
            switch (stop.get()) {
                case SHUTDOWN -> DbRetry.run(job + " release", () -> lifecycle.release(claim));
                case LEASE_LOST -> LOG.warnf("job %d stopped: its lease went to another worker", claim.jobId());
                default -> DbRetry.run(job + " cancel", () -> lifecycle.cancelled(claim));
            }
        } catch (TrainingDivergedException | IllegalArgumentException e) {
            // the same settings would fail the same way
            DbRetry.run(job + " failure", () -> lifecycle.failed(claim, e.getMessage(), false));
        } catch (Exception | OutOfMemoryError e) {
            LOG.errorf(e, "job %d failed", claim.jobId());
            // a full disk stays full for the next attempt: fail now, and let the run be retried once there is space
            boolean diskFull = diskFull(e);
            String error = diskFull ? "disk full: " + e.getMessage() : e.toString();
            DbRetry.run(job + " failure", () -> lifecycle.failed(claim, error, !diskFull));
        }
    }

    /** ENOSPC or EDQUOT anywhere in the cause chain; Java exposes them only as the OS's message. */
    static boolean diskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (t instanceof IOException && message != null
                    && (message.contains("No space left on device") || message.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }

    private TrainingListener listener(String job, Long foldId, BooleanSupplier stopped) {
        return new TrainingListener() {
            @Override
            public void onEpoch(int fold, EpochMetrics m) {
                if (foldId != null) {
                    DbRetry.run(job + " epoch " + m.epoch(), () -> queue.recordEpoch(foldId, m, true));
                }
            }

            @Override
            public boolean isCancelled() {
                return stopped.getAsBoolean();
            }
        };
    }

    /** Decoded once per process; the training library caches the decoded pixels on disk too. */
    private ImageDataset dataset(String source) throws IOException {
        ImageDataset cached = datasets.get(source);
        if (cached == null) {
            cached = Datasets.load(source);
            datasets.put(source, cached);
        }
        return cached;
    }

    private Environment environment() {
        if (environment == null) {
            environment = Environment.current();
        }
        return environment;
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warnf("cannot delete checkpoint %s: %s", dir, e.getMessage());
        }
    }
}
