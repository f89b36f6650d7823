package dev.cnnlab.tracker.experiment;

import dev.cnnlab.tracker.api.ApiException;
import dev.cnnlab.tracker.job.Job;
import dev.cnnlab.tracker.job.Lifecycle;
import dev.cnnlab.tracker.run.Fold;
import dev.cnnlab.tracker.run.Run;
import dev.cnnlab.tracker.run.RunSettings;
import dev.cnnlab.tracker.run.RunStatus;
import dev.cnnlab.training.loop.ConfigSchema;
import dev.cnnlab.training.loop.TrainingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

@ApplicationScoped
public class ExperimentService {
    private static final Logger LOG = Logger.getLogger(ExperimentService.class);

    @Inject
    EntityManager em;
    @Inject
    Lifecycle lifecycle;
    @ConfigProperty(name = "cnnlab.max-attempts", defaultValue = "3")
    int maxAttempts;

    /**
     * Stores the experiment, one run per grid point and one fold row and job per fold (repeats x folds),
     * or nothing.
     */
    @Transactional
    public ExperimentView create(ExperimentSpec spec, String createdBy) {
        Experiment experiment = new Experiment();
        experiment.name = spec.name();
        experiment.description = spec.description();
        experiment.dataset = spec.dataset();
        experiment.spec = spec.toMap();
        experiment.createdAt = Instant.now();
        experiment.createdBy = createdBy;
        experiment.persist();

        List<Long> runIds = new ArrayList<>();
        for (TrainingConfig config : spec.points()) {
            Run run = newRun(experiment, new RunSettings(spec.dataset(), spec.heldOut(), config));
            run.persist();
            for (int k = 0; k < config.foldCount(); k++) {   // repeats x folds; fold k is fold k % folds of repeat k / folds
                Fold.of(run.id, k).persist();
                Job job = Job.fold(run.id, k, maxAttempts);
                // under ASHA a fold trains to its run's first rung, then waits for the decision
                job.targetEpoch = spec.search() == null ? null : spec.search().nextTarget(config.epochs(), 0);
                job.persist();
            }
            runIds.add(run.id);
        }
        LOG.infof("experiment %d '%s': %d runs x %d folds queued (by %s)", experiment.id, spec.name(), runIds.size(),
                spec.base().foldCount(), createdBy);
        return view(experiment, false, runIds);
    }

    /** A queued run; its columns copy the settings that the runs table filters, sorts and indexes on. */
    private static Run newRun(Experiment experiment, RunSettings settings) {
        TrainingConfig config = settings.config();
        Run run = new Run();
        run.experimentId = experiment.id;
        run.architecture = config.architecture();
        run.batchSize = config.batchSize();
        run.learningRate = config.learningRate();
        run.optimizer = ConfigSchema.id(config.optimizer());
        run.schedule = ConfigSchema.id(config.schedule());
        run.weightDecay = config.weightDecay();
        run.epochs = config.epochs();
        run.folds = config.folds();
        run.augmentation = ConfigSchema.id(config.augmentation());
        run.seed = config.seed();
        run.hyperparameters = settings.toJson();
        run.createdAt = experiment.createdAt;
        run.createdBy = experiment.createdBy;
        return run;
    }

    public List<ExperimentView> list() {
        List<Experiment> all = Experiment.list("order by createdAt desc, id desc");
        Map<Long, Map<String, Long>> counts = statusCounts(null);
        return all.stream().map(e -> view(e, counts.getOrDefault(e.id, emptyCounts()), false, null)).toList();
    }

    public ExperimentView get(long id) {
        return view(find(id), true, null);
    }

    /** Cancels every unfinished run of the experiment; {@code by} names who asked. */
    @Transactional
    public ExperimentView cancel(long id, String by) {
        Experiment experiment = find(id);
        List<Run> open = Run.list("experimentId = ?1 and status in ?2 order by id", id,
                List.of(RunStatus.QUEUED, RunStatus.RUNNING));
        for (Run run : open) {
            lifecycle.cancel(run.id, by);   // one that finished meanwhile keeps its verdict
        }
        em.flush();
        return view(experiment, false, null);
    }

    public Experiment find(long id) {
        Experiment experiment = Experiment.findById(id);
        if (experiment == null) {
            throw ApiException.notFound("experiment", id);
        }
        return experiment;
    }

    private ExperimentView view(Experiment e, boolean withSpec, List<Long> runIds) {
        Map<String, Long> counts = statusCounts(e.id).getOrDefault(e.id, emptyCounts());
        return view(e, counts, withSpec, runIds);
    }

    private static ExperimentView view(Experiment e, Map<String, Long> counts, boolean withSpec, List<Long> runIds) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        return new ExperimentView(e.id, e.name, e.description, e.dataset, e.createdAt, e.createdBy, total, counts,
                withSpec ? e.spec : null, runIds);
    }

    /** Run counts by status for one experiment, or for all when {@code experimentId} is null. */
    private Map<Long, Map<String, Long>> statusCounts(Long experimentId) {
        String where = experimentId == null ? "" : " where r.experimentId = " + experimentId;
        List<Object[]> rows = em.createQuery("select r.experimentId, r.status, count(r) from Run r" + where
                + " group by r.experimentId, r.status", Object[].class).getResultList();
        Map<Long, Map<String, Long>> counts = new LinkedHashMap<>();
        for (Object[] row : rows) {
            counts.computeIfAbsent((Long) row[0], k -> emptyCounts()).put(((RunStatus) row[1]).name(), (Long) row[2]);
        }
        return counts;
    }

    private static Map<String, Long> emptyCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (RunStatus status : RunStatus.values()) {
            counts.put(status.name(), 0L);
        }
        return counts;
    }
}
