package dev.cnnlab.inference.nn;

import dev.cnnlab.inference.format.ModelArchive;
import dev.cnnlab.inference.format.ModelFile;
import dev.cnnlab.inference.format.ModelMetadata;
import dev.cnnlab.inference.format.TestTimeAugmentation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * A loaded, ready-to-run CNN: the pure-Java forward pass of a cnnlab model file.
 *
 * <p>Thread-safe. Each calling thread gets its own scratch buffers on first use, so repeated
 * {@link #predict(float[], float[])} calls allocate nothing. {@link #predictBatch} splits a batch
 * across the available cores. A model whose file asks for a {@link TestTimeAugmentation} runs its
 * views of every image, one after another on the image's thread, and combines them
 * ({@link TestTimeAugmentation#HFLIP}: the two outputs averaged; {@link
 * TestTimeAugmentation#HFLIP_TRANSLATE}: the softmax of six views' weighted mean logits).
 */
public final class CnnModel {
    private static final Logger LOG = Logger.getLogger(CnnModel.class.getName());

    private final ModelArchive archive;
    private final Network network;
    private final ThreadLocal<Network.Workspace> workspaces;
    private final TestTimeViews views;

    private CnnModel(ModelArchive archive) {
        this.network = Network.compile(archive);
        // the network holds its own (folded) copies of the weights: keep the file's description
        // without its tensors, which would otherwise stay on the heap as long as the model
        this.archive = new ModelArchive(archive.formatVersion(), archive.metadata(), Map.of(),
                archive.sha256());
        this.workspaces = ThreadLocal.withInitial(() -> new Network.Workspace(network));
        this.views = new TestTimeViews(network, archive.metadata().testTime(), archive.metadata().inputShape());
    }

    /**
     * Compiles a model from a file's contents.
     *
     * @param archive the parsed model file
     * @return the model
     * @throws dev.cnnlab.inference.format.ModelFormatException if the graph and weights disagree
     */
    public static CnnModel of(ModelArchive archive) {
        return new CnnModel(archive);
    }

    /**
     * Reads and compiles a model file (or {@code model.safetensors} in a directory).
     *
     * @param path the file or directory
     * @return the model
     * @throws IOException if the file cannot be read
     */
    public static CnnModel load(Path path) throws IOException {
        return load(path, null);
    }

    /**
     * Reads a model file, checks its SHA-256 and compiles it.
     *
     * @param path the file or directory
     * @param expectedSha256 the expected hex digest, or null to skip the check
     * @return the model
     * @throws IOException if the file cannot be read
     */
    public static CnnModel load(Path path, String expectedSha256) throws IOException {
        long t0 = System.nanoTime();
        CnnModel model = new CnnModel(ModelFile.read(path, expectedSha256));
        LOG.fine(() -> String.format("loaded %s (%s, %.1f M MACs) in %d ms", path,
                model.metadata().architecture(), model.macsPerImage() / 1e6,
                (System.nanoTime() - t0) / 1_000_000));
        return model;
    }

    /**
     * Returns the model's self-description.
     *
     * @return the metadata
     */
    public ModelMetadata metadata() {
        return archive.metadata();
    }

    /**
     * Returns the SHA-256 of the file the model was read from.
     *
     * @return lowercase hex
     */
    public String sha256() {
        return archive.sha256();
    }

    /**
     * Returns the model file's format version.
     *
     * @return the version
     */
    public int formatVersion() {
        return archive.formatVersion();
    }

    /**
     * Returns how many floats one input image has (channels * height * width).
     *
     * @return the input length
     */
    public int inputLength() {
        return network.inputLength;
    }

    /**
     * Returns how many values one prediction has (the number of labels).
     *
     * @return the output length
     */
    public int outputLength() {
        return network.outputLength;
    }

    /**
     * Returns the multiply-accumulate count of one prediction: one forward pass per view of the
     * model's {@link TestTimeAugmentation} (1, 2 or 6).
     *
     * @return MACs per image
     */
    public long macsPerImage() {
        return archive.metadata().testTime().views() * network.macs();
    }

    /**
     * Describes the engine this JVM runs: the matrix kernel and the threads one image may use.
     * The SIMD kernel needs {@code --add-modules jdk.incubator.vector} on the java command line.
     *
     * @return for example {@code "vector-512 kernel, 2 threads"}
     */
    public static String engine() {
        return Gemm.kernel() + " kernel, " + Parallel.threads() + " threads";
    }

    /** Returns the number of ops after folding and fusion (for tests). */
    int compiledOpCount() {
        return network.ops.size();
    }

    /**
     * Runs one normalized image through the network.
     *
     * @param chw the image, channel-major {@code [c][h][w]}, already normalized
     * @return the output (class probabilities for a softmax-terminated graph)
     */
    public float[] predict(float[] chw) {
        float[] out = new float[network.outputLength];
        predict(chw, out);
        return out;
    }

    /**
     * Runs one normalized image into a caller-owned output array, allocating nothing. Its ops split
     * across idle cores when that has lately been the faster way ({@link SplitChooser}).
     *
     * @param chw the image, channel-major, already normalized
     * @param out receives {@link #outputLength()} values
     */
    public void predict(float[] chw, float[] out) {
        if (chw == null || chw.length != network.inputLength) {
            throw new IllegalArgumentException("input must have " + network.inputLength
                    + " values, got " + (chw == null ? "null" : chw.length));
        }
        if (out == null || out.length < network.outputLength) {
            throw new IllegalArgumentException("output array must hold " + network.outputLength
                    + " values, got " + (out == null ? "null" : out.length));
        }
        Network.Workspace ws = workspaces.get();
        if (Parallel.threads() == 1) {
            views.forward(chw, out, ws);
            return;
        }
        boolean split = ws.splitChooser.nextSplits();
        ws.intraOp = split;
        long start = System.nanoTime();
        try {
            views.forward(chw, out, ws);
        } finally {
            ws.intraOp = true;
        }
        ws.splitChooser.record(split, System.nanoTime() - start);
    }

    /**
     * Runs a batch of images, splitting it across the available cores.
     *
     * @param batch normalized images, each channel-major
     * @return one output per image, in order
     */
    public float[][] predictBatch(float[][] batch) {
        for (int i = 0; i < batch.length; i++) {
            if (batch[i] == null || batch[i].length != network.inputLength) {
                throw new IllegalArgumentException("batch image " + i + " must have "
                        + network.inputLength + " values, got "
                        + (batch[i] == null ? "null" : batch[i].length));
            }
        }
        float[][] out = new float[batch.length][network.outputLength];
        int threads = Math.min(batch.length, Runtime.getRuntime().availableProcessors());
        if (threads <= 1) {
            runRange(batch, out, 0, batch.length);
            return out;
        }
        List<Future<?>> futures = new ArrayList<>();
        int per = (batch.length + threads - 1) / threads;
        for (int start = per; start < batch.length; start += per) {
            int from = start;
            int to = Math.min(batch.length, start + per);
            futures.add(Pool.EXECUTOR.submit(() -> runRange(batch, out, from, to)));
        }
        runRange(batch, out, 0, Math.min(per, batch.length));
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while predicting a batch", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("batch prediction failed", e.getCause());
            }
        }
        return out;
    }

    /** Runs images one per thread: the batch already keeps every core busy. */
    private void runRange(float[][] batch, float[][] out, int from, int to) {
        Network.Workspace ws = workspaces.get();
        ws.intraOp = false;
        try {
            for (int i = from; i < to; i++) {
                views.forward(batch[i], out[i], ws);
            }
        } finally {
            ws.intraOp = true;
        }
    }

    /** Lazily created daemon threads shared by all models for batch prediction. */
    private static final class Pool {
        private static final AtomicInteger COUNT = new AtomicInteger();
        static final ExecutorService EXECUTOR = Executors.newFixedThreadPool(
                Math.max(1, Runtime.getRuntime().availableProcessors() - 1), r -> {
                    Thread t = new Thread(r, "cnnlab-inference-" + COUNT.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }
}
