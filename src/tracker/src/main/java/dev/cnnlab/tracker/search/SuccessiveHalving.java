package dev.cnnlab.tracker.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * ASHA's promotion rule at one rung, with no database: the arrivals so far, in arrival order, and
 * what each undecided one becomes. Ranked by score (higher is better; a tie goes to the earlier
 * arrival), the top {@code floor(n / eta)} of the n arrivals are promoted: an undecided one among them
 * now, whether it just arrived or was waiting (parked). That is the asynchronous rule of Li et al.
 * (2018): decide with what has arrived, never wait for the rung to fill, so a run promoted early stays
 * promoted even when later arrivals outrank it. Once no more runs can arrive ({@code complete}) the
 * ones still waiting outside the top {@code max(1, floor(n / eta))} stop: the best run of a complete
 * rung always goes on, so a search with fewer runs than eta at a rung still ends with one run trained
 * to its last epoch (the candidate of the final fit).
 */
public final class SuccessiveHalving {
    private SuccessiveHalving() {
    }

    /** What became of a run at a rung. */
    public enum Decision { PROMOTED, STOPPED }

    /**
     * A run recorded at the rung.
     *
     * @param runId the run
     * @param score its score at the rung (mean fold accuracy)
     * @param decision what was decided, or null while it waits
     */
    public record Arrival(long runId, double score, Decision decision) {
    }

    /**
     * A decision taken now.
     *
     * @param runId the run
     * @param decision promoted or stopped
     * @param rank its rank among the arrivals, 1 = best
     * @param arrivals how many runs the rung has recorded
     * @param slots how many of them go on: floor(arrivals / eta), at least 1 once the rung is complete
     */
    public record Verdict(long runId, Decision decision, int rank, int arrivals, int slots) {
        /** e.g. "rank 2 of 7, the top 2 go on". */
        public String describe() {
            return String.format(Locale.ROOT, "rank %d of %d, the top %d go on", rank, arrivals, slots);
        }
    }

    /**
     * The decisions due at one rung.
     *
     * @param arrivals the rung's arrivals in arrival order, decided or not
     * @param eta the reduction factor
     * @param complete whether every run that could still arrive has arrived
     * @return a verdict for each undecided arrival that is decided now, in rank order
     */
    public static List<Verdict> decide(List<Arrival> arrivals, int eta, boolean complete) {
        int n = arrivals.size();
        int slots = complete ? Math.max(1, n / eta) : n / eta;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        order.sort(Comparator.<Integer>comparingDouble(i -> -arrivals.get(i).score()).thenComparing(i -> i));
        List<Verdict> verdicts = new ArrayList<>();
        for (int rank = 1; rank <= n; rank++) {
            Arrival a = arrivals.get(order.get(rank - 1));
            if (a.decision() != null) {
                continue;
            }
            if (rank <= slots) {
                verdicts.add(new Verdict(a.runId(), Decision.PROMOTED, rank, n, slots));
            } else if (complete) {
                verdicts.add(new Verdict(a.runId(), Decision.STOPPED, rank, n, slots));
            }
        }
        return verdicts;
    }
}
