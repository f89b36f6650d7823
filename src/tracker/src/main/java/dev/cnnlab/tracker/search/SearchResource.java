package dev.cnnlab.tracker.search;

import dev.cnnlab.tracker.api.ApiException;
import dev.cnnlab.tracker.experiment.Experiment;
import dev.cnnlab.tracker.run.Run;
import dev.cnnlab.tracker.run.RunStatus;
import dev.cnnlab.tracker.search.SuccessiveHalving.Decision;
import dev.cnnlab.tracker.study.Fields;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code GET /api/experiments/{id}/search}: ASHA's rungs (per rung: arrivals, promoted, stopped,
 * waiting; per run: the rungs it reached, with score and decision) and the compute spent against a
 * full grid ({@link Compute}), which any experiment has.
 */
@Path("/api/experiments/{id}/search")
@Produces(MediaType.APPLICATION_JSON)
public class SearchResource {
    @Inject
    EntityManager em;

    /**
     * One rung: its epoch and what became of the runs that reached it; {@code left} counts runs that
     * ended otherwise (cancelled) while they waited there, undecided.
     */
    public record RungView(int rung, int epoch, int arrivals, int promoted, int stopped, int waiting, int left) {
    }

    /** A run's score at a rung, and what was decided (null while it waits). */
    public record Score(int rung, int epoch, double score, int arrival, Decision decision, String reason) {
    }

    /** A run: its highest rung (null before its first) and its scores there and below. */
    public record RunView(long runId, String label, RunStatus status, Integer rungReached, Integer epochReached,
                          Double meanAccuracy, String stopReason, List<Score> rungs) {
    }

    /** The whole answer; search and rungs are null and empty for an experiment without ASHA. */
    public record View(long experimentId, Map<String, Object> search, List<RungView> rungs, List<RunView> runs,
                       Compute compute) {
    }

    @GET
    public View get(@PathParam("id") long experimentId) {
        Experiment experiment = Experiment.findById(experimentId);
        if (experiment == null) {
            throw ApiException.notFound("experiment", experimentId);
        }
        List<Run> runs = Run.list("experimentId = ?1 order by id", experimentId);
        List<String> varying = Fields.varying(runs.stream().map(r -> r.hyperparameters).toList());
        Map<Long, List<RunRung>> byRun = RunRung.<RunRung>list("experimentId = ?1 order by rung, arrival", experimentId)
                .stream().collect(Collectors.groupingBy(r -> r.runId));
        List<RunView> views = new ArrayList<>();
        for (Run run : runs) {
            List<RunRung> reached = byRun.getOrDefault(run.id, List.of());
            RunRung top = reached.isEmpty() ? null : reached.get(reached.size() - 1);
            views.add(new RunView(run.id, Fields.label(run.id, run.hyperparameters, varying), run.status,
                    top == null ? null : top.rung, top == null ? null : top.epoch, run.meanAccuracy, run.stopReason,
                    reached.stream().map(r -> new Score(r.rung, r.epoch, r.score, r.arrival, r.decision, r.reason))
                            .toList()));
        }
        var search = Asha.fromSpec(experiment.spec);
        return new View(experimentId, search.map(Asha::toJson).orElse(null),
                search.map(a -> rungs(a, byRun, runs)).orElse(List.of()), views, compute(runs));
    }

    private static List<RungView> rungs(Asha asha, Map<Long, List<RunRung>> byRun, List<Run> runs) {
        Map<Long, RunStatus> status = runs.stream().collect(Collectors.toMap(r -> r.id, r -> r.status));
        Map<Integer, List<RunRung>> byRung = byRun.values().stream().flatMap(List::stream)
                .collect(Collectors.groupingBy(r -> r.rung));
        List<RungView> rungs = new ArrayList<>();
        for (int i = 0; byRung.containsKey(i); i++) {
            List<RunRung> at = byRung.get(i);
            int waiting = (int) at.stream().filter(r -> r.decision == null && status.get(r.runId) == RunStatus.RUNNING)
                    .count();
            rungs.add(new RungView(i, asha.epochOf(i), at.size(), count(at, Decision.PROMOTED),
                    count(at, Decision.STOPPED), waiting, count(at, null) - waiting));
        }
        return rungs;
    }

    private static int count(List<RunRung> rows, Decision decision) {
        return (int) rows.stream().filter(r -> r.decision == decision).count();
    }

    /** Per run: fold rows, fold-epochs recorded and their seconds, in one query. */
    private Compute compute(List<Run> runs) {
        Map<Long, Object[]> spend = new HashMap<>();
        List<?> rows = em.createNativeQuery("SELECT f.run_id, count(DISTINCT f.id), count(e.id),"
                + " coalesce(sum(e.seconds), 0) FROM folds f JOIN runs r ON r.id = f.run_id"
                + " LEFT JOIN epoch_metrics e ON e.fold_id = f.id WHERE r.experiment_id = :e GROUP BY f.run_id")
                .setParameter("e", runs.isEmpty() ? -1L : runs.get(0).experimentId).getResultList();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            spend.put(((Number) r[0]).longValue(), r);
        }
        List<Compute.RunSpend> perRun = runs.stream().map(run -> {
            Object[] r = spend.get(run.id);
            return r == null ? new Compute.RunSpend(run.epochs, 0, 0, 0) : new Compute.RunSpend(run.epochs,
                    ((Number) r[1]).intValue(), ((Number) r[2]).longValue(), ((Number) r[3]).doubleValue());
        }).toList();
        boolean gpu = runs.stream().anyMatch(r -> "CUDA".equals(r.backend));
        return Compute.of(gpu ? "GPU" : "CPU", perRun);
    }
}
