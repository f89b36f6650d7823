package dev.cnnlab.training.loop;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The learning rate per iteration for a {@link Schedule}, as a DL4J {@link ISchedule} (it is stored
 * with the network, so a resumed run continues the same curve from the saved iteration count).
 */
public final class LearningRateSchedule implements ISchedule {
    private static final long serialVersionUID = 1L;

    @JsonProperty
    private final Schedule schedule;
    @JsonProperty
    private final double base;
    @JsonProperty
    private final int batchesPerEpoch;
    @JsonProperty
    private final int epochs;
    @JsonProperty
    private final double scale;
    @JsonProperty
    private final int untilEpoch;

    /**
     * Creates a schedule.
     *
     * @param schedule        the shape
     * @param base            the base (peak) learning rate
     * @param batchesPerEpoch iterations per epoch, positive
     * @param epochs          epochs in the run, positive
     */
    public LearningRateSchedule(Schedule schedule, double base, int batchesPerEpoch, int epochs) {
        this(schedule, base, batchesPerEpoch, epochs, 1.0, 0);
    }

    /**
     * Creates a schedule scaled by a factor that stops after some epochs.
     *
     * @param schedule        the shape
     * @param base            the base (peak) learning rate
     * @param batchesPerEpoch iterations per epoch, positive
     * @param epochs          epochs in the run, positive
     * @param scale           factor on every value (null: 1)
     * @param untilEpoch      the value is 0 from this many epochs on (null or 0: never)
     */
    @JsonCreator
    public LearningRateSchedule(@JsonProperty("schedule") Schedule schedule, @JsonProperty("base") double base,
                                @JsonProperty("batchesPerEpoch") int batchesPerEpoch,
                                @JsonProperty("epochs") int epochs, @JsonProperty("scale") Double scale,
                                @JsonProperty("untilEpoch") Integer untilEpoch) {
        if (batchesPerEpoch < 1 || epochs < 1) {
            throw new IllegalArgumentException("batchesPerEpoch and epochs must be positive, got "
                    + batchesPerEpoch + " and " + epochs);
        }
        this.schedule = schedule;
        this.base = base;
        this.batchesPerEpoch = batchesPerEpoch;
        this.epochs = epochs;
        this.scale = scale == null ? 1 : scale;
        this.untilEpoch = untilEpoch == null ? 0 : untilEpoch;
    }

    /** Returns this schedule times {@code factor}, 0 from {@code untilEpoch} epochs on (0 = never). */
    public LearningRateSchedule scaled(double factor, int untilEpoch) {
        return new LearningRateSchedule(schedule, base, batchesPerEpoch, epochs, scale * factor, untilEpoch);
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        if (untilEpoch > 0 && iteration >= untilEpoch * batchesPerEpoch) {
            return 0;
        }
        return scale * unscaled(iteration);
    }

    private double unscaled(int iteration) {
        double total = (double) batchesPerEpoch * epochs;
        double t = Math.min(Math.max(iteration / total, 0), 1);
        switch (schedule) {
            case CONSTANT:
                return base;
            case STEP:
                int e = iteration / batchesPerEpoch;
                double factor = 1;
                if (e >= Math.ceil(epochs * 0.5)) {
                    factor *= 0.1;
                }
                if (e >= Math.ceil(epochs * 0.75)) {
                    factor *= 0.1;
                }
                return base * factor;
            case COSINE:
                return base * 0.5 * (1 + Math.cos(Math.PI * t));
            case ONECYCLE:
                double warm = 0.3;
                double start = base / 25;
                double end = base / 1e4;
                if (t < warm) {
                    return start + (base - start) * t / warm;
                }
                return end + (base - end) * 0.5 * (1 + Math.cos(Math.PI * (t - warm) / (1 - warm)));
            case TRIANGLE:
                // airbench: the warm-up ends at step floor(0.23 * total)
                double peakAt = Math.floor(0.23 * total) / total;
                return t < peakAt ? base * (0.2 + 0.8 * t / peakAt) : base * (1 - 0.93 * (t - peakAt) / (1 - peakAt));
            default:
                throw new IllegalStateException("unknown schedule " + schedule);
        }
    }

    /** Returns the learning rate at the start of a 0-based epoch. */
    public double atEpoch(int epoch) {
        return valueAt(epoch * batchesPerEpoch, epoch);
    }

    /**
     * Value equality: DL4J groups layers into updater blocks by updater equality, so a deserialized
     * copy per layer must equal the others or the restored updater state is laid out wrongly.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof LearningRateSchedule s && schedule == s.schedule && base == s.base
                && batchesPerEpoch == s.batchesPerEpoch && epochs == s.epochs && scale == s.scale
                && untilEpoch == s.untilEpoch;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(schedule, base, batchesPerEpoch, epochs, scale, untilEpoch);
    }

    @Override
    public String toString() {
        return "LearningRateSchedule[" + schedule + ", base=" + base + ", batchesPerEpoch=" + batchesPerEpoch
                + ", epochs=" + epochs + ", scale=" + scale + ", untilEpoch=" + untilEpoch + "]";
    }

    @Override
    public ISchedule clone() {
        return new LearningRateSchedule(schedule, base, batchesPerEpoch, epochs, scale, untilEpoch);
    }
}
