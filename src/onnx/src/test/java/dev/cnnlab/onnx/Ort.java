package dev.cnnlab.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.cnnlab.inference.image.ImagePreprocessor;
import dev.cnnlab.inference.nn.CnnModel;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import dev.cnnlab.onnx.proto.Onnx.ModelProto;

/** Runs ONNX models in ONNX Runtime and compares them with the pure-Java engine. */
final class Ort {
    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private Ort() {
    }

    /** Runs a batch of {@code [c][h][w]} images through a model's single input and output. */
    static float[][] run(ModelProto model, float[][] batch, int[] chw) throws OrtException {
        try (OrtSession session = ENV.createSession(model.toByteArray(), new OrtSession.SessionOptions())) {
            FloatBuffer buf = FloatBuffer.allocate(batch.length * batch[0].length);
            for (float[] x : batch) {
                buf.put(x);
            }
            buf.flip();
            String input = session.getInputNames().iterator().next();
            try (OnnxTensor t = OnnxTensor.createTensor(ENV, buf, new long[] {batch.length, chw[0], chw[1], chw[2]});
                    OrtSession.Result r = session.run(Map.of(input, t))) {
                return (float[][]) r.get(0).getValue();
            }
        }
    }

    /** Returns the largest absolute difference between ORT's and the engine's outputs. */
    static double maxDiff(float[][] ort, CnnModel model, float[][] batch) {
        double max = 0;
        for (int i = 0; i < batch.length; i++) {
            float[] p = model.predict(batch[i]);
            if (p.length != ort[i].length) {
                throw new AssertionError("output sizes " + p.length + " vs " + ort[i].length);
            }
            for (int c = 0; c < p.length; c++) {
                max = Math.max(max, Math.abs(p[c] - ort[i][c]));
            }
        }
        return max;
    }

    /**
     * Returns inputs for a model: four CIFAR-10 training JPEGs from the shared folder
     * ({@code -Dcnnlab.shared}) preprocessed as the function does, when they are there and the
     * model reads 32x32 RGB, and always two seeded random normalized images.
     */
    static float[][] inputs(CnnModel model) throws IOException {
        int[] s = model.metadata().inputShape();
        List<float[]> out = new ArrayList<>();
        Path train = shared().resolve("datasets/cifar10/train");
        if (s[0] == 3 && Files.isDirectory(train)) {
            ImagePreprocessor pre = ImagePreprocessor.forModel(model.metadata());
            for (String cls : List.of("cat", "ship", "frog", "truck")) {
                try (Stream<Path> files = Files.list(train.resolve(cls))) {
                    Path jpeg = files.sorted().findFirst().orElseThrow();
                    out.add(pre.preprocess(Files.readAllBytes(jpeg)));
                }
            }
        }
        Random rnd = new Random(7);
        for (int k = 0; k < 2; k++) {
            float[] x = new float[model.inputLength()];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rnd.nextGaussian();
            }
            out.add(x);
        }
        return out.toArray(float[][]::new);
    }

    /** Returns the shared folder: {@code -Dcnnlab.shared}, else {@code ../shared} of the repo. */
    static Path shared() {
        String p = System.getProperty("cnnlab.shared");
        return p == null || p.isBlank() || p.contains("${") ? Path.of("../../../shared") : Path.of(p);
    }

    /** Returns the repository's models/ folder (tests run in src/onnx). */
    static Path models() {
        return Path.of("../../models");
    }
}
