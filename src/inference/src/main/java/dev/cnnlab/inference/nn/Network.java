package dev.cnnlab.inference.nn;

import dev.cnnlab.inference.format.ModelArchive;
import dev.cnnlab.inference.format.ModelFormatException;
import java.util.List;

/**
 * A model graph compiled into a flat list of ops over numbered activation slots, with batch norm
 * folded into convolutions and ReLUs fused into their producers. Immutable and thread-safe; each
 * thread runs it with its own {@link Workspace}.
 */
final class Network {
    final List<Op> ops;
    /** The ops as an array: the per-image loop must not allocate an iterator. */
    private final Op[] steps;
    final int[] slotSizes;
    final int outputSlot;
    final int inputLength;
    final int outputLength;
    /** Whether the last op is a softmax, whose input {@link #run(float[], float[], Workspace, boolean)} can stop at. */
    final boolean endsInSoftmax;
    final int[] colRowLengths;
    final int[] accRowLengths;
    final int colTSize;

    /**
     * Per-thread buffers: one array per activation slot, the im2col matrix as rows ({@code col})
     * and the convolution accumulator as rows ({@code acc}); rows are as long as the largest
     * convolution that uses them needs.
     */
    static final class Workspace {
        final float[][] act;
        final float[][] col;
        final float[][] acc;
        final float[] colT;
        /** The convolutions' intra-op job, shared with helper threads (see {@link Parallel}). */
        final Parallel.Job job = new Parallel.Job();
        /** Whether ops may split one image across helper threads (off in batch mode). */
        boolean intraOp = true;
        /** Whether single predictions split, from their recent latency. */
        final SplitChooser splitChooser = new SplitChooser();

        Workspace(Network net) {
            act = new float[net.slotSizes.length][];
            for (Op op : net.ops) {
                act[op.output] = new float[net.slotSizes[op.output]];
            }
            col = rows(net.colRowLengths);
            acc = rows(net.accRowLengths);
            colT = new float[net.colTSize];
        }

        private static float[][] rows(int[] lengths) {
            float[][] rows = new float[lengths.length][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = new float[lengths[i]];
            }
            return rows;
        }
    }

    Network(List<Op> ops, int[] slotSizes, int outputSlot, int inputLength) {
        this.ops = List.copyOf(ops);
        this.steps = ops.toArray(new Op[0]);
        this.slotSizes = slotSizes;
        this.outputSlot = outputSlot;
        this.inputLength = inputLength;
        this.outputLength = slotSizes[outputSlot];
        this.endsInSoftmax = steps.length > 0 && steps[steps.length - 1] instanceof SimpleOps.Softmax;
        // im2col rows (K of them, N long) and accumulator rows (M x N, or N x M when transposed)
        int maxK = 0;
        int maxAccRows = 0;
        int colT = 0;
        for (Op op : ops) {
            op.prepare();
            if (op instanceof Conv2d c) {
                if (c.transposed()) {
                    colT = Math.max(colT, c.colRows() * c.positions());
                    maxAccRows = Math.max(maxAccRows, c.positions());
                } else {
                    maxK = Math.max(maxK, c.colRows());
                    maxAccRows = Math.max(maxAccRows, c.outShape[0]);
                }
            }
        }
        this.colTSize = colT;
        this.colRowLengths = new int[maxK];
        this.accRowLengths = new int[maxAccRows];
        for (Op op : ops) {
            if (op instanceof Conv2d c) {
                int rows = c.transposed() ? c.positions() : c.outShape[0];
                int length = c.transposed() ? c.outShape[0] : c.positions();
                for (int r = 0; r < rows; r++) {
                    accRowLengths[r] = Math.max(accRowLengths[r], length);
                }
                if (!c.transposed()) {
                    for (int r = 0; r < c.colRows(); r++) {
                        colRowLengths[r] = Math.max(colRowLengths[r], c.positions());
                    }
                }
            }
        }
    }

    /** Runs one image; {@code out} receives the last node's values. */
    void run(float[] input, float[] out, Workspace ws) {
        run(input, out, ws, false);
    }

    /**
     * Runs one image; {@code out} receives the last node's values or, with {@code logits} and a
     * network that {@link #endsInSoftmax}, the final softmax's input (the softmax is skipped).
     */
    void run(float[] input, float[] out, Workspace ws, boolean logits) {
        int last = logits && endsInSoftmax ? steps.length - 1 : steps.length;
        int slot = last == steps.length ? outputSlot : steps[last].inputs[0];
        ws.act[0] = input;
        try {
            for (int i = 0; i < last; i++) {
                steps[i].run(ws.act, ws);
            }
            System.arraycopy(ws.act[slot], 0, out, 0, outputLength);
        } finally {
            ws.act[0] = null;
        }
    }

    long macs() {
        return ops.stream().mapToLong(Op::macs).sum();
    }

    /**
     * Compiles an archive's graph, checking every weight tensor's shape against its node.
     *
     * @throws ModelFormatException if shapes are inconsistent or tensors are missing or unused
     */
    static Network compile(ModelArchive archive) {
        try {
            return new GraphCompiler(archive).build();
        } catch (ModelFormatException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(e.getMessage(), e);
        }
    }
}
