package dev.cnnlab.tracker.study;

import java.util.Collection;

/** Mean and sample standard deviation, null for no values (the views show a gap, not a zero). */
final class Stats {
    private Stats() {
    }

    static Double mean(Collection<Double> values) {
        return values.isEmpty() ? null : values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    /** Sample standard deviation (n - 1); 0 for one value, null for none. */
    static Double std(Collection<Double> values) {
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() == 1) {
            return 0.0;
        }
        double mean = mean(values);
        double ss = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        return Math.sqrt(ss / (values.size() - 1));
    }
}
