package dev.cnnlab.training.data;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Iterates over a uint8 {@link ImageDataset} in normalized float NCHW batches with one-hot labels.
 *
 * <p>The order and the augmentation of epoch {@code e} depend only on (seed, e): call
 * {@link #setEpoch(int)} before each epoch, and a resumed run sees exactly the batches an
 * uninterrupted one would. {@link #reset()} restarts the current epoch with the same order.
 */
public final class BatchIterator implements DataSetIterator {
    private static final long serialVersionUID = 1L;
    private static final int PAD = 4;
    /** The largest translation of {@link Augmentation#ALTERNATING_FLIP_TRANSLATE}, in pixels. */
    static final int TRANSLATE = 2;
    /** Side of the cutout square (16 for CIFAR-10 in DeVries and Taylor 2017). */
    static final int CUTOUT = 16;

    private final transient ImageDataset data;
    private final int batchSize;
    private final Normalization norm;
    private final Augmentation augmentation;
    private final boolean shuffle;
    private final long seed;
    private int epoch;
    private int[] order;
    private transient Random augmentRng;
    private int cursor;
    private DataSetPreProcessor preProcessor;

    /**
     * Creates an iterator.
     *
     * @param data         the images
     * @param batchSize    images per batch (the last batch may be smaller), positive
     * @param norm         the normalization to apply
     * @param augmentation the augmentation (use NONE for evaluation)
     * @param shuffle      whether to shuffle each epoch
     * @param seed         seed of the shuffles and augmentations
     */
    public BatchIterator(ImageDataset data, int batchSize, Normalization norm, Augmentation augmentation,
                         boolean shuffle, long seed) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        if (data.size() == 0) {
            throw new IllegalArgumentException("cannot iterate over an empty data set");
        }
        this.data = data;
        this.batchSize = batchSize;
        this.norm = norm;
        this.augmentation = augmentation;
        this.shuffle = shuffle;
        this.seed = seed;
        setEpoch(0);
    }

    /** Prepares epoch {@code epoch} (0-based): its order and augmentation stream. */
    public void setEpoch(int epoch) {
        this.epoch = epoch;
        reset();
    }

    /** Returns the current epoch (0-based). */
    public int epoch() {
        return epoch;
    }

    /** Returns the number of batches per epoch. */
    public int batchesPerEpoch() {
        return (data.size() + batchSize - 1) / batchSize;
    }

    /** Returns the number of images. */
    public int size() {
        return data.size();
    }

    @Override
    public void reset() {
        long epochSeed = mix(seed, epoch);
        order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (shuffle) {
            Random rng = new Random(epochSeed);
            for (int i = order.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        augmentRng = new Random(mix(epochSeed, 0x5eed));
        cursor = 0;
    }

    @Override
    public boolean hasNext() {
        return cursor < order.length;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch " + epoch + " has no more batches");
        }
        int n = Math.min(num, order.length - cursor);
        int plane = ImageDataset.HEIGHT * ImageDataset.WIDTH;
        float[] features = new float[n * ImageDataset.IMAGE_BYTES];
        float[] labels = new float[n * data.numClasses()];
        byte[] img = new byte[ImageDataset.IMAGE_BYTES];
        float[] scale = new float[3];
        float[] shift = new float[3];
        for (int c = 0; c < 3; c++) {
            scale[c] = 1f / (255f * norm.std()[c]);
            shift[c] = -norm.mean()[c] / norm.std()[c];
        }
        for (int b = 0; b < n; b++) {
            int idx = order[cursor + b];
            data.copyImage(idx, img, 0);
            labels[b * data.numClasses() + data.label(idx)] = 1f;
            boolean flip = false;
            int dy = 0;
            int dx = 0;
            boolean reflect = augmentation == Augmentation.ALTERNATING_FLIP_TRANSLATE;
            if (augmentation.crops()) {
                dy = augmentRng.nextInt(2 * PAD + 1) - PAD;
                dx = augmentRng.nextInt(2 * PAD + 1) - PAD;
            }
            if (reflect) {
                dy = augmentRng.nextInt(2 * TRANSLATE + 1) - TRANSLATE;
                dx = augmentRng.nextInt(2 * TRANSLATE + 1) - TRANSLATE;
                flip = startsMirrored(idx) ^ (epoch % 2 == 1);
            } else if (augmentation != Augmentation.NONE) {
                flip = augmentRng.nextBoolean();
            }
            int cutY = Integer.MIN_VALUE; // top-left corner of the cutout square; none by default
            int cutX = Integer.MIN_VALUE;
            if (augmentation == Augmentation.CROP_FLIP_CUTOUT) {
                cutY = augmentRng.nextInt(ImageDataset.HEIGHT) - CUTOUT / 2;
                cutX = augmentRng.nextInt(ImageDataset.WIDTH) - CUTOUT / 2;
            }
            int out = b * ImageDataset.IMAGE_BYTES;
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < ImageDataset.HEIGHT; y++) {
                    int sy = reflect ? reflect(y + dy, ImageDataset.HEIGHT) : y + dy;
                    boolean cutRow = y >= cutY && y < cutY + CUTOUT;
                    for (int x = 0; x < ImageDataset.WIDTH; x++) {
                        int o = out + c * plane + y * ImageDataset.WIDTH + x;
                        if (cutRow && x >= cutX && x < cutX + CUTOUT) {
                            features[o] = 0f;
                            continue;
                        }
                        int sx = (flip ? ImageDataset.WIDTH - 1 - x : x) + dx;
                        if (reflect) {
                            sx = reflect(sx, ImageDataset.WIDTH);
                        }
                        int v = sy < 0 || sy >= ImageDataset.HEIGHT || sx < 0 || sx >= ImageDataset.WIDTH
                                ? 0 : img[c * plane + sy * ImageDataset.WIDTH + sx] & 0xff;
                        features[o] = v * scale[c] + shift[c];
                    }
                }
            }
        }
        cursor += n;
        INDArray f = Nd4j.create(features, new long[] {n, 3, ImageDataset.HEIGHT, ImageDataset.WIDTH}, 'c');
        INDArray l = Nd4j.create(labels, new long[] {n, data.numClasses()}, 'c');
        DataSet ds = new DataSet(f, l);
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    /** Whether an image is mirrored in even epochs under alternating flip: a fixed coin per (seed, image). */
    private boolean startsMirrored(int image) {
        return (mix(seed ^ 0xf11bL, image) & 1) == 1;
    }

    /** Reflects a coordinate into [0, size) without repeating the edge (NumPy's and PyTorch's "reflect"). */
    static int reflect(int i, int size) {
        if (i < 0) {
            return -i;
        }
        return i >= size ? 2 * (size - 1) - i : i;
    }

    /** Mixes a seed with a counter (SplitMix64 finalizer), for derived seeds. */
    public static long mix(long seed, long counter) {
        long z = seed + 0x9E3779B97F4A7C15L * (counter + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public int inputColumns() {
        return ImageDataset.IMAGE_BYTES;
    }

    @Override
    public int totalOutcomes() {
        return data.numClasses();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return data.classes();
    }
}
