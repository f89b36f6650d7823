package dev.cnnlab.training.arch;

import java.util.Set;
import org.deeplearning4j.nn.conf.constraint.BaseConstraint;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Holds a parameter at a constant after every update: a batch-normalization scale fixed at 1 while
 * its bias trains (airbench's {@code BatchNorm(weight=False)}). DL4J gives gamma and beta one updater
 * and can lock only both ({@code lockGammaBeta}), so the scale still receives updates and this
 * constraint undoes them; the cost is one small assignment per layer and step.
 */
public final class FixedValueConstraint extends BaseConstraint {
    private static final long serialVersionUID = 1L;
    private double value;

    /** For JSON (the network configuration is stored with every checkpoint). */
    public FixedValueConstraint() {
        this(Set.of(), 1);
    }

    /**
     * Creates the constraint.
     *
     * @param params the parameter names it holds, e.g. {@code gamma}
     * @param value  the constant
     */
    public FixedValueConstraint(Set<String> params, double value) {
        super(params);
        this.value = value;
    }

    /** Returns the constant. */
    public double getValue() {
        return value;
    }

    /** Sets the constant (JSON). */
    public void setValue(double value) {
        this.value = value;
    }

    @Override
    public void apply(INDArray param) {
        param.assign(value);
    }

    @Override
    public FixedValueConstraint clone() {
        return new FixedValueConstraint(params, value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FixedValueConstraint c && c.value == value && c.params.equals(params);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(value) * 31 + params.hashCode();
    }
}
