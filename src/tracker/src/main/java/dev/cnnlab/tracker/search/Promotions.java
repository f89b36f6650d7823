package dev.cnnlab.tracker.search;

import dev.cnnlab.tracker.run.Run;
import dev.cnnlab.tracker.run.RunStatus;
import dev.cnnlab.tracker.search.SuccessiveHalving.Arrival;
import dev.cnnlab.tracker.search.SuccessiveHalving.Decision;
import dev.cnnlab.tracker.search.SuccessiveHalving.Verdict;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * ASHA's decisions for one experiment, taken by {@code tracker.job.Lifecycle} in its transaction with
 * the experiment row locked (last in its lock order), so two processes finishing rungs at once decide
 * one after the other and neither sees a half-made decision. This class records rungs and decisions
 * ({@link RunRung}); the transitions they cause (a run's fold jobs queued again with the next target,
 * or the run STOPPED_EARLY) are the lifecycle's, through {@link Effects}. Not a bean: Lifecycle
 * injects none.
 *
 * <p>A run waiting at a rung (parked: recorded, undecided, RUNNING, no job queued) holds no job, so no
 * worker locks its row; it is locked here, after the experiment, with {@code SKIP LOCKED}. What else can
 * hold it is an API cancel: of that very run, which takes the experiment lock after it and decides the
 * experiment's rungs again itself, or of its experiment, which cancels every open run.
 */
public final class Promotions {
    private static final Logger LOG = Logger.getLogger(Promotions.class);
    private static final String HOST = host();

    /** What a decision does to a run; the lifecycle makes these transitions. */
    public interface Effects {
        /** The run's fold jobs are queued again to train up to {@code targetEpoch}, resuming from their checkpoints. */
        void promote(Run run, int targetEpoch);

        /** The run ends STOPPED_EARLY with {@code reason}, keeping the aggregates of its last rung. */
        void stop(Run run, String reason);
    }

    private final EntityManager em;
    private final Asha asha;
    private final long experimentId;
    private final Effects effects;

    /** Decisions for {@code experimentId}, whose row the caller has locked. */
    public Promotions(EntityManager em, Asha asha, long experimentId, Effects effects) {
        this.em = em;
        this.asha = asha;
        this.experimentId = experimentId;
        this.effects = effects;
    }

    /**
     * Records that every fold of {@code run} (locked, with the aggregates of its folds at this epoch)
     * reached {@code epoch}, a rung's, then takes every decision now due.
     */
    public void arrived(Run run, int epoch) {
        int rung = asha.rungAt(epoch);
        if (rung < 0) {
            throw new IllegalStateException("run " + run.id + " stopped at epoch " + epoch + ", which is no rung of "
                    + asha);
        }
        RunRung row = new RunRung();
        row.runId = run.id;
        row.rung = rung;
        row.experimentId = experimentId;
        row.epoch = epoch;
        row.score = run.meanAccuracy == null ? 0 : run.meanAccuracy;
        row.arrival = (int) RunRung.count("experimentId = ?1 and rung = ?2", experimentId, rung) + 1;
        row.arrivedAt = Instant.now();
        row.persist();
        em.flush();
        LOG.infof("run %d reached rung %d (%d epochs) with %.4f, arrival %d", run.id, rung, epoch, row.score, row.arrival);
        decideAll();
    }

    /**
     * Takes every decision now due, lowest rung first: the parked runs that rank in the top
     * {@code floor(n / eta)} of their rung are promoted, and at a rung no run can reach any more
     * (every open run that has it recorded it) the rest stop. A promotion at rung i keeps rung i + 1
     * open until the promoted run arrives there, so no run is left waiting once the runs below finish.
     * A run cancelled while it waited leaves its rung: it neither counts nor takes a slot.
     */
    public void decideAll() {
        for (int rung = 0; ; rung++) {
            List<RunRung> rows = RunRung.list("experimentId = ?1 and rung = ?2 order by arrival", experimentId, rung);
            if (rows.isEmpty()) {
                return;   // a run records rung i + 1 only after rung i
            }
            em.flush();
            Set<Long> running = new HashSet<>(em.createQuery("select r.id from Run r where r.experimentId = ?1"
                    + " and r.status = ?2", Long.class).setParameter(1, experimentId)
                    .setParameter(2, RunStatus.RUNNING).getResultList());
            List<Arrival> arrivals = rows.stream().filter(r -> r.decision != null || running.contains(r.runId))
                    .map(r -> new Arrival(r.runId, r.score, r.decision)).toList();
            Map<Long, RunRung> byRun = rows.stream().collect(Collectors.toMap(r -> r.runId, Function.identity()));
            for (Verdict verdict : SuccessiveHalving.decide(arrivals, asha.reductionFactor(), complete(rung))) {
                apply(byRun.get(verdict.runId()), verdict);
            }
        }
    }

    /** Whether no open run can still arrive at the rung: each that has it has recorded it. */
    private boolean complete(int rung) {
        Number missing = (Number) em.createNativeQuery("SELECT count(*) FROM runs r WHERE r.experiment_id = :e"
                        + " AND r.status IN (:open) AND r.epochs > :epoch AND NOT EXISTS"
                        + " (SELECT 1 FROM run_rungs g WHERE g.run_id = r.id AND g.rung = :rung)")
                .setParameter("e", experimentId).setParameter("open", List.of(RunStatus.QUEUED.name(),
                        RunStatus.RUNNING.name())).setParameter("epoch", asha.epochOf(rung)).setParameter("rung", rung)
                .getSingleResult();
        return missing.longValue() == 0;
    }

    private void apply(RunRung row, Verdict verdict) {
        List<?> locked = em.createNativeQuery("SELECT id FROM runs WHERE id = :id FOR UPDATE SKIP LOCKED")
                .setParameter("id", row.runId).getResultList();
        if (locked.isEmpty()) {
            LOG.infof("run %d is being cancelled; its cancel decides rung %d again", row.runId, row.rung);
            return;
        }
        Run run = em.find(Run.class, row.runId);
        em.refresh(run);
        if (run.status != RunStatus.RUNNING) {
            return;   // cancelled while it waited: no decision
        }
        String where = String.format(Locale.ROOT, "at rung %d (%d epochs, mean accuracy %.4f): %s", row.rung, row.epoch,
                row.score, verdict.describe());
        row.decision = verdict.decision();
        row.decidedAt = Instant.now();
        row.decidedBy = HOST + ":" + ProcessHandle.current().pid() + ":" + Thread.currentThread().getName();
        row.reason = (verdict.decision() == Decision.PROMOTED ? "promoted " : "stopped early ") + where;
        em.flush();
        LOG.infof("run %d %s", run.id, row.reason);
        if (verdict.decision() == Decision.PROMOTED) {
            effects.promote(run, asha.nextTarget(run.epochs, row.epoch));
        } else {
            effects.stop(run, row.reason);
        }
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
    }
}
