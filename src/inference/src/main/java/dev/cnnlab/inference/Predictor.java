package dev.cnnlab.inference;

import dev.cnnlab.inference.image.ImagePreprocessor;
import dev.cnnlab.inference.nn.CnnModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Image bytes in, top-k labels out: decoding, preprocessing and the forward pass of one model.
 * Thread-safe.
 */
public final class Predictor {
    private final CnnModel model;
    private final ImagePreprocessor preprocessor;
    private final List<String> labels;

    /**
     * Wraps a loaded model, preprocessing images as its metadata describes.
     *
     * @param model the model
     */
    public Predictor(CnnModel model) {
        this.model = model;
        this.preprocessor = ImagePreprocessor.forModel(model.metadata());
        this.labels = model.metadata().labels();
    }

    /**
     * Loads a model file (or {@code model.safetensors} in a directory) and wraps it.
     *
     * @param path the file or directory
     * @return the predictor
     * @throws IOException if the file cannot be read
     */
    public static Predictor load(Path path) throws IOException {
        return new Predictor(CnnModel.load(path));
    }

    /**
     * Returns the wrapped model.
     *
     * @return the model
     */
    public CnnModel model() {
        return model;
    }

    /**
     * Returns the preprocessor used for images.
     *
     * @return the preprocessor
     */
    public ImagePreprocessor preprocessor() {
        return preprocessor;
    }

    /**
     * Predicts the top-k labels of an encoded JPEG or PNG image.
     *
     * @param encodedImage the image bytes
     * @param topK how many labels to return, 1..number of labels
     * @return the labels, most probable first
     * @throws dev.cnnlab.inference.image.ImageException if the bytes are not a usable image
     */
    public List<Prediction> predict(byte[] encodedImage, int topK) {
        checkTopK(topK);
        return topK(model.predict(preprocessor.preprocess(encodedImage)), topK);
    }

    /**
     * Predicts the top-k labels of several encoded images, the forward passes spread over cores.
     *
     * @param encodedImages the images' bytes
     * @param topK how many labels per image, 1..number of labels
     * @return one list per image, in order
     */
    public List<List<Prediction>> predictAll(List<byte[]> encodedImages, int topK) {
        checkTopK(topK);
        float[][] inputs = new float[encodedImages.size()][];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = preprocessor.preprocess(encodedImages.get(i));
        }
        float[][] probs = model.predictBatch(inputs);
        List<List<Prediction>> out = new ArrayList<>();
        for (float[] p : probs) {
            out.add(topK(p, topK));
        }
        return out;
    }

    /**
     * Returns the k most probable labels of an output vector, ties broken by label order.
     *
     * @param probs one value per label
     * @param k how many to return, 1..number of labels
     * @return the labels, most probable first
     */
    public List<Prediction> topK(float[] probs, int k) {
        checkTopK(k);
        if (probs.length != labels.size()) {
            throw new IllegalArgumentException("expected " + labels.size() + " probabilities, got "
                    + probs.length);
        }
        boolean[] taken = new boolean[probs.length];
        List<Prediction> out = new ArrayList<>(k);
        for (int n = 0; n < k; n++) {
            int best = -1;
            for (int i = 0; i < probs.length; i++) {
                if (!taken[i] && (best < 0 || probs[i] > probs[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            out.add(new Prediction(labels.get(best), probs[best]));
        }
        return out;
    }

    private void checkTopK(int k) {
        if (k < 1 || k > labels.size()) {
            throw new IllegalArgumentException("topK must be between 1 and " + labels.size()
                    + ", got " + k);
        }
    }
}
