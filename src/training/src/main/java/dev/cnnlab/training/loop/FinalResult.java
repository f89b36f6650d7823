package dev.cnnlab.training.loop;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of training the final model on all development data.
 *
 * @param model    the trained model, ready for export
 * @param training the training record (its validation columns are the held-out set's, for monitoring only)
 * @param heldOut  the held-out evaluation of the final network, or null without a held-out set
 */
public record FinalResult(TrainedModel model, FoldResult training, EvaluationResult heldOut) {

    /**
     * Returns what an exported copy of this model should say about where it comes from: the data,
     * the held-out accuracy and how many images it was measured on, and how it was trained.
     *
     * @param config  the configuration it was trained with
     * @param dataset the data set, as the user named it
     * @return provenance entries for {@code ModelExporter.write}
     */
    public Map<String, String> provenance(TrainingConfig config, String dataset) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("dataset", dataset);
        if (heldOut != null) {
            p.put("accuracy", String.format(Locale.ROOT, "%.4f", heldOut.accuracy()));
            p.put("top5Accuracy", String.format(Locale.ROOT, "%.4f", heldOut.top5Accuracy()));
            p.put("heldOutImages", String.valueOf(heldOut.count()));
        }
        p.put("epochs", String.valueOf(training.epochs().size()));
        p.put("batchSize", String.valueOf(config.batchSize()));
        p.put("optimizer", config.optimizer() + " " + config.learningRate() + ", " + config.schedule());
        p.put("weightDecay", String.valueOf(config.weightDecay()));
        p.put("augmentation", config.augmentation().toString());
        p.put("seed", String.valueOf(config.seed()));
        return p;
    }
}
