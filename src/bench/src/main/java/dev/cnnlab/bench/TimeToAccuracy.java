package dev.cnnlab.bench;

import java.util.List;
import java.util.OptionalDouble;

/**
 * Time to accuracy of one training run, from its epoch records: the held-out accuracy after every epoch and
 * the training seconds each epoch took (cumulated here, so time spent between epochs, such as evaluation
 * and checkpoints, does not count).
 */
final class TimeToAccuracy {
    /**
     * One epoch's record.
     *
     * @param seconds  training wall time of this epoch alone
     * @param accuracy held-out accuracy after it, a fraction in [0, 1]
     */
    record Epoch(double seconds, double accuracy) {
        Epoch {
            if (!(seconds >= 0) || Double.isInfinite(seconds)) {
                throw new IllegalArgumentException("epoch seconds must be finite and >= 0, got " + seconds);
            }
        }
    }

    private TimeToAccuracy() {
    }

    /**
     * Returns the cumulative training seconds at the end of the first epoch whose held-out accuracy is at least
     * {@code target}, or empty if no epoch reached it.
     */
    static OptionalDouble secondsTo(List<Epoch> epochs, double target) {
        double t = 0;
        for (Epoch e : epochs) {
            t += e.seconds();
            if (e.accuracy() >= target) {
                return OptionalDouble.of(t);
            }
        }
        return OptionalDouble.empty();
    }

    /**
     * Returns the held-out accuracy of the last epoch that ended within {@code seconds} of cumulative training
     * (the final accuracy if the run ended earlier), or empty if even the first epoch took longer.
     */
    static OptionalDouble accuracyAt(List<Epoch> epochs, double seconds) {
        double t = 0;
        OptionalDouble last = OptionalDouble.empty();
        for (Epoch e : epochs) {
            t += e.seconds();
            if (t > seconds) {
                break;
            }
            last = OptionalDouble.of(e.accuracy());
        }
        return last;
    }

    /** Returns the total training seconds of the run. */
    static double totalSeconds(List<Epoch> epochs) {
        return epochs.stream().mapToDouble(Epoch::seconds).sum();
    }
}
