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
    /**
     * The buffer each activation slot lives in: slots whose values are never needed at the same
     * time share one, so a workspace holds a few activations' worth of floats, not one array per
     * op (the default model, three resnet20s: 5 buffers, 0.33 MB instead of 3.4 MB per thread,
     * all of which each image touched).
     */
    final int[] bufferOf;
    /** Floats in each buffer: the largest slot it holds. */
    final int[] bufferSizes;
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
            float[][] buffers = new float[net.bufferSizes.length][];
            for (int b = 0; b < buffers.length; b++) {
                buffers[b] = new float[net.bufferSizes[b]];
            }
            for (Op op : net.ops) {
                act[op.output] = buffers[net.bufferOf[op.output]];
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
        this.bufferOf = new int[slotSizes.length];
        this.bufferSizes = shareBuffers(steps, slotSizes, outputSlot, bufferOf);
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

    /**
     * Assigns activation slots to buffers in one pass over the ops: an op's output takes a buffer
     * that no live slot holds (the smallest large enough, else the largest, grown), and a slot's
     * buffer is free again after the last op that reads it. An op's output never shares a buffer
     * with its inputs, which are still live while it runs. Slot 0 is the caller's input and the
     * output slot is kept to the end.
     *
     * @return the size of each buffer; {@code bufferOf} receives each slot's buffer
     */
    private static int[] shareBuffers(Op[] steps, int[] slotSizes, int outputSlot, int[] bufferOf) {
        int[] lastRead = new int[slotSizes.length];
        java.util.Arrays.fill(lastRead, -1);
        for (int i = 0; i < steps.length; i++) {
            for (int in : steps[i].inputs) {
                lastRead[in] = i;
            }
        }
        lastRead[outputSlot] = steps.length;
        List<Integer> sizes = new java.util.ArrayList<>();
        List<Integer> free = new java.util.ArrayList<>();
        for (int i = 0; i < steps.length; i++) {
            int slot = steps[i].output;
            int need = slotSizes[slot];
            int fit = -1;
            int largest = -1;
            for (int b : free) {
                int size = sizes.get(b);
                if (size >= need && (fit < 0 || size < sizes.get(fit))) {
                    fit = b;
                }
                if (largest < 0 || size > sizes.get(largest)) {
                    largest = b;
                }
            }
            int pick = fit >= 0 ? fit : largest;
            if (pick < 0) {
                pick = sizes.size();
                sizes.add(need);
            } else {
                free.remove(Integer.valueOf(pick));
                sizes.set(pick, Math.max(need, sizes.get(pick)));
            }
            bufferOf[slot] = pick;
            for (int in : steps[i].inputs) {
                if (in != 0 && lastRead[in] == i && !free.contains(bufferOf[in])) {
                    free.add(bufferOf[in]);
                }
            }
            if (lastRead[slot] < i) {
                free.add(pick); // nothing reads it
            }
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
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
