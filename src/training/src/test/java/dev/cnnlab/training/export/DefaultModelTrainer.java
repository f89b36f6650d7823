package dev.cnnlab.training.export;

import dev.cnnlab.training.data.Datasets;
import dev.cnnlab.training.data.ImageDataset;
import dev.cnnlab.training.loop.CnnTrainer;
import dev.cnnlab.training.loop.FinalResult;
import dev.cnnlab.training.loop.TrainingConfig;
import dev.cnnlab.training.loop.TrainingListener;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Trains and exports the small default model of models/default (not a unit test): lenet5 on a
 * stratified subset of the shared CIFAR-10 training folder, with a held-out tenth for its
 * accuracy. Usage: {@code java -cp <training test classpath>
 * dev.cnnlab.training.export.DefaultModelTrainer <cifar10 train folder> <output file> [subset] [epochs]}.
 */
public final class DefaultModelTrainer {
    private DefaultModelTrainer() {
    }

    /**
     * Trains and exports.
     *
     * @param args data folder, output file, optional subset size and epochs
     */
    public static void main(String[] args) throws Exception {
        String data = args[0];
        Path out = Path.of(args[1]);
        int subset = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        int epochs = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        TrainingConfig config = TrainingConfig.builder("lenet5").optSubset(subset)
                .optHeldOutFraction(0.1).optEpochs(epochs).optBatchSize(64).optSeed(42).build();
        ImageDataset images = Datasets.load(data);
        long t0 = System.nanoTime();
        FinalResult result = new CnnTrainer(config).trainFinal(images, null, TrainingListener.NONE);
        double minutes = (System.nanoTime() - t0) / 6e10;
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("runId", "default-lenet5-" + subset + "x" + epochs);
        provenance.put("dataset", "cifar10 train folder, stratified subset of " + subset
                + " (seed 42), 10% held out");
        provenance.put("accuracy", String.format(Locale.ROOT, "%.4f",
                result.heldOut().accuracy()));
        provenance.put("accuracyOn", "held-out " + result.heldOut().count() + " images");
        provenance.put("epochs", Integer.toString(epochs));
        provenance.put("trainingMinutes", String.format(Locale.ROOT, "%.1f", minutes));
        provenance.put("createdAt", Instant.now().toString());
        provenance.put("trainedBy", "DefaultModelTrainer (src/training tests), config " + config);
        String sha = ModelExporter.write(result.model(), "lenet5-default", provenance, out);
        System.out.println("held-out accuracy " + provenance.get("accuracy") + ", sha256 " + sha
                + ", " + provenance.get("trainingMinutes") + " min");
    }
}
