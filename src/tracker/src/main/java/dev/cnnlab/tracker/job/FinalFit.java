package dev.cnnlab.tracker.job;

import dev.cnnlab.training.loop.FinalResult;
import dev.cnnlab.tracker.model.Model;
import dev.cnnlab.tracker.run.Run;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * An experiment with {@code finalFit}: once all its runs are settled, the best run (highest mean
 * fold accuracy) is trained again on all development data ({@link Lifecycle} queues it), scored on
 * the held-out set and stored here in the model registry.
 */
@ApplicationScoped
public class FinalFit {
    private static final Logger LOG = Logger.getLogger(FinalFit.class);

    @Inject
    EntityManager em;
    @Inject
    Lifecycle lifecycle;

    /** The model's name and next version, e.g. exp-3-keras-cifar10 v1. */
    @Transactional
    public Map.Entry<String, Integer> nextName(long runId) {
        Run run = Run.findById(runId);
        String name = "exp-" + run.experimentId + "-" + run.architecture;
        Integer max = em.createQuery("select max(m.version) from Model m where m.name = ?1", Integer.class)
                .setParameter(1, name).getSingleResult();
        return Map.entry(name, max == null ? 1 : max + 1);
    }

    /** Registers the exported model and records the held-out accuracy on the run, as the job ends. */
    @Transactional
    public void stored(Claim claim, FinalResult result, String name, int version, java.nio.file.Path file,
                       String sha256, long sizeBytes) {
        lifecycle.finalFitSucceeded(claim, run -> {
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
            LOG.infof("final fit of run %d stored as model %s v%d (%s)", run.id, name, version, file);
        });
    }
}
