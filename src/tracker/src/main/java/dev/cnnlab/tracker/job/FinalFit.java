package dev.cnnlab.tracker.job;

import dev.cnnlab.training.loop.FinalResult;
import dev.cnnlab.tracker.experiment.Experiment;
import dev.cnnlab.tracker.model.Model;
import dev.cnnlab.tracker.run.Run;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * An experiment with {@code finalFit}: once all its runs are settled, the best run (highest mean
 * fold accuracy) is trained again on all development data, scored on the held-out set and stored
 * in the model registry.
 */
@ApplicationScoped
public class FinalFit {
    private static final Logger LOG = Logger.getLogger(FinalFit.class);

    @Inject
    EntityManager em;
    @Inject
    JobQueue queue;

    /**
     * Locks the experiment row, so of two runs finishing together exactly one sees the other
     * finished and enqueues the final fit.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void afterRun(Experiment experiment) {
        em.find(Experiment.class, experiment.id, LockModeType.PESSIMISTIC_WRITE);
        long open = Run.count("experimentId = ?1 and status in ('QUEUED', 'RUNNING')", experiment.id);
        long fits = Job.count("kind = 'FINAL_FIT' and runId in (select r.id from Run r where r.experimentId = ?1)",
                experiment.id);
        if (open > 0 || fits > 0) {
            return;
        }
        List<Run> best = Run.list("experimentId = ?1 and status = 'SUCCEEDED' and meanAccuracy is not null"
                + " order by meanAccuracy desc, id", experiment.id);
        if (best.isEmpty()) {
            LOG.warnf("experiment %d: no run succeeded, so there is no final fit", experiment.id);
            return;
        }
        Job job = new Job();
        job.kind = Job.Kind.FINAL_FIT.name();
        job.runId = best.get(0).id;
        job.maxAttempts = 3;
        job.createdAt = Instant.now();
        job.updatedAt = job.createdAt;
        job.persist();
        LOG.infof("experiment %d: final fit of run %d (accuracy %.4f) queued as job %d", experiment.id,
                job.runId, best.get(0).meanAccuracy, job.id);
    }

    /** The model's name and next version, e.g. exp-3-keras-cifar10 v1. */
    @Transactional
    public Map.Entry<String, Integer> nextName(long runId) {
        Run run = Run.findById(runId);
        String name = "exp-" + run.experimentId + "-" + run.architecture;
        Integer max = em.createQuery("select max(m.version) from Model m where m.name = ?1", Integer.class)
                .setParameter(1, name).getSingleResult();
        return Map.entry(name, max == null ? 1 : max + 1);
    }

    /** Registers the exported model, records the held-out accuracy on the run, and closes the job. */
    @Transactional
    public void stored(Claim claim, FinalResult result, String name, int version, java.nio.file.Path file,
                       String sha256, long sizeBytes) {
        Job job = queue.owned(claim);
        if (job == null) {
            return;
        }
        Run run = em.find(Run.class, claim.runId(), LockModeType.PESSIMISTIC_WRITE);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("cvMeanAccuracy", run.meanAccuracy);
        metrics.put("cvStdAccuracy", run.stdAccuracy);
        if (result.heldOut() != null) {
            metrics.put("testAccuracy", result.heldOut().accuracy());
            metrics.put("testTop5Accuracy", result.heldOut().top5Accuracy());
            metrics.put("testLoss", JobLedger.finite(result.heldOut().loss()));
            metrics.put("testImages", result.heldOut().count());
            run.testAccuracy = result.heldOut().accuracy();
        }
        metrics.put("trainSeconds", result.training().seconds());
        metrics.put("epochs", result.training().epochs().size());
        Model model = new Model();
        model.runId = run.id;
        model.name = name;
        model.version = version;
        model.path = file.toAbsolutePath().toString();
        model.sha256 = sha256;
        model.sizeBytes = sizeBytes;
        model.metrics = metrics;
        model.labels = result.model().labels();
        model.createdAt = Instant.now();
        model.persist();
        job.state = Job.State.DONE.name();
        JobQueue.clearLease(job);
        LOG.infof("final fit of run %d stored as model %s v%d (%s)", run.id, name, version, file);
    }
}
