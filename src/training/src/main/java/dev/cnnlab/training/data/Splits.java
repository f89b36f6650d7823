package dev.cnnlab.training.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded, stratified subsets, held-out splits and k-fold splits over label arrays.
 *
 * <p>All methods return positions into the label array, sorted ascending. Each class is shuffled with
 * the seed, and images are picked so that every class keeps its share (to within one image).
 */
public final class Splits {
    private Splits() {
    }

    /** A partition of positions into a training part and a validation (or held-out) part. */
    public record Split(int[] train, int[] validation) {
    }

    /**
     * Picks {@code count} positions, stratified by class.
     *
     * @param labels the labels
     * @param count  how many to pick, in {@code [1, labels.length]}
     * @param seed   the shuffle seed
     * @return sorted positions
     */
    public static int[] stratifiedSubset(int[] labels, int count, long seed) {
        if (count < 1 || count > labels.length) {
            throw new IllegalArgumentException("subset size " + count + " outside [1, " + labels.length + "]");
        }
        int[] order = stratifiedOrder(labels, seed);
        int[] picked = Arrays.copyOf(order, count);
        Arrays.sort(picked);
        return picked;
    }

    /**
     * Splits off a stratified held-out part.
     *
     * @param labels   the labels
     * @param fraction the held-out share, in {@code (0, 1)}
     * @param seed     the shuffle seed
     * @return the remaining positions ({@code train}) and the held-out positions ({@code validation})
     */
    public static Split stratifiedHoldOut(int[] labels, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("held-out fraction " + fraction + " outside (0, 1)");
        }
        int held = (int) Math.round(labels.length * fraction);
        if (held < 1 || held >= labels.length) {
            throw new IllegalArgumentException("held-out fraction " + fraction + " of " + labels.length
                    + " images leaves an empty part");
        }
        int[] order = stratifiedOrder(labels, seed);
        int[] validation = Arrays.copyOfRange(order, 0, held);
        int[] train = Arrays.copyOfRange(order, held, order.length);
        Arrays.sort(validation);
        Arrays.sort(train);
        return new Split(train, validation);
    }

    /**
     * Splits into {@code k} stratified folds; fold {@code i} validates on the i-th part.
     *
     * @param labels the labels
     * @param k      the number of folds, in {@code [2, labels.length]}
     * @param seed   the shuffle seed
     * @return {@code k} splits whose validation parts are disjoint and cover all positions
     */
    public static List<Split> stratifiedKFold(int[] labels, int k, long seed) {
        if (k < 2 || k > labels.length) {
            throw new IllegalArgumentException("fold count " + k + " outside [2, " + labels.length + "]");
        }
        // Deal each class's shuffled members round-robin over the folds, starting each class one
        // fold further on so remainders spread evenly. (Dealing the interleaved order by position
        // would put whole classes into one fold whenever the class count is a multiple of k.)
        int[] order = stratifiedOrder(labels, seed);
        int numClasses = Arrays.stream(labels).max().orElse(-1) + 1;
        int[] seenOfClass = new int[numClasses];
        int[] foldOf = new int[labels.length];
        for (int position : order) {
            int c = labels[position];
            foldOf[position] = (seenOfClass[c]++ + c) % k;
        }
        List<Split> splits = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            int fold = f;
            int[] validation = java.util.stream.IntStream.range(0, labels.length)
                    .filter(i -> foldOf[i] == fold).toArray();
            int[] train = java.util.stream.IntStream.range(0, labels.length)
                    .filter(i -> foldOf[i] != fold).toArray();
            splits.add(new Split(train, validation));
        }
        return splits;
    }

    /**
     * Orders positions so that every prefix is stratified: each class is shuffled, and its j-th
     * member gets the key {@code (j + 0.5) / classSize}; positions are sorted by key (then class).
     */
    static int[] stratifiedOrder(int[] labels, long seed) {
        int numClasses = Arrays.stream(labels).max().orElse(-1) + 1;
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("negative label " + labels[i] + " at " + i);
            }
            byClass.get(labels[i]).add(i);
        }
        Random rng = new Random(seed);
        double[] keys = new double[labels.length];
        int[] classOf = new int[labels.length];
        for (int c = 0; c < numClasses; c++) {
            List<Integer> members = byClass.get(c);
            java.util.Collections.shuffle(members, rng);
            for (int j = 0; j < members.size(); j++) {
                keys[members.get(j)] = (j + 0.5) / members.size();
                classOf[members.get(j)] = c;
            }
        }
        Integer[] order = new Integer[labels.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int cmp = Double.compare(keys[a], keys[b]);
            return cmp != 0 ? cmp : Integer.compare(classOf[a], classOf[b]);
        });
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }
}
