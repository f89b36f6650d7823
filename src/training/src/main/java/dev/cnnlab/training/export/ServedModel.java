package dev.cnnlab.training.export;

import dev.cnnlab.inference.format.Dtype;
import dev.cnnlab.inference.format.Ensemble;
import dev.cnnlab.inference.format.ModelArchive;
import dev.cnnlab.inference.format.ModelFile;
import dev.cnnlab.inference.format.TestTimeAugmentation;
import dev.cnnlab.inference.nn.CnnModel;
import dev.cnnlab.training.data.ImageDataset;
import dev.cnnlab.training.loop.EvaluationResult;
import dev.cnnlab.training.loop.Evaluator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The step from trained files to the file a function serves, in one place: merge the members (one file,
 * or several averaged by {@link Ensemble}), set the test-time augmentation and the weights' dtype,
 * score the result on held-out images with and without the augmentation (pure Java, as served), and
 * write those scores into its provenance.
 */
public final class ServedModel {
    private ServedModel() {
    }

    /**
     * What was written.
     *
     * @param file            the served file
     * @param sha256          its SHA-256
     * @param withTestTime    the held-out evaluation as served
     * @param withoutTestTime the held-out evaluation of the same weights without test-time augmentation
     */
    public record Served(Path file, String sha256, EvaluationResult withTestTime, EvaluationResult withoutTestTime) {
    }

    /**
     * Writes the served file.
     *
     * @param members  exported model files: one, or several to average (the first one's metadata leads)
     * @param out      the file to write
     * @param testTime the test-time augmentation it asks for
     * @param weights  F32 or F16 weights
     * @param heldOut  images no member trained on
     * @return the file, its hash and both evaluations
     * @throws IOException if a file cannot be read or written
     */
    public static Served write(List<Path> members, Path out, TestTimeAugmentation testTime, Dtype weights,
                               ImageDataset heldOut) throws IOException {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("no model files to serve");
        }
        List<ModelArchive> archives = new ArrayList<>();
        for (Path p : members) {
            archives.add(ModelFile.read(p));
        }
        ModelArchive merged = archives.size() == 1 ? archives.get(0)
                : Ensemble.of(archives.get(0).metadata().name() + "-ensemble" + archives.size(), archives);
        EvaluationResult plain = Evaluator.evaluate(CnnModel.of(with(merged, merged.metadata().provenance(),
                TestTimeAugmentation.NONE)), heldOut, 256);
        EvaluationResult served = testTime == TestTimeAugmentation.NONE ? plain
                : Evaluator.evaluate(CnnModel.of(with(merged, merged.metadata().provenance(), testTime)), heldOut, 256);
        Map<String, String> provenance = new LinkedHashMap<>(merged.metadata().provenance());
        provenance.put("accuracy", number(served.accuracy()));
        provenance.put("top5Accuracy", number(served.top5Accuracy()));
        provenance.put("accuracyWithoutTestTime", number(plain.accuracy()));
        provenance.put("heldOutImages", String.valueOf(heldOut.size()));
        ModelArchive result = with(merged, provenance, testTime);
        String sha = ModelFile.write(out, result.metadata(), result.tensors().values(), weights);
        return new Served(out, sha, served, plain);
    }

    private static ModelArchive with(ModelArchive a, Map<String, String> provenance, TestTimeAugmentation testTime) {
        return new ModelArchive(a.formatVersion(), a.metadata().with(provenance, testTime), a.tensors(), null);
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
