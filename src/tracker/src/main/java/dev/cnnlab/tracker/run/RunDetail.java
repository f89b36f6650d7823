package dev.cnnlab.tracker.run;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;
import java.util.Map;

/** GET /api/runs/{id}: the summary fields, then everything recorded about the run. */
public record RunDetail(@JsonUnwrapped RunSummary summary, String createdBy, String cancelledBy, String stopReason,
                        Map<String, Object> hyperparameters,
                        Map<String, Object> environment, List<String> labels, List<FoldView> folds) {

    public record FoldView(int index, Integer trainSize, Integer valSize, RunStatus status, Integer bestEpoch,
                           Double accuracy, Double loss, List<Map<String, Object>> perClass,
                           List<List<Integer>> confusion, List<EpochView> epochs) {
    }

    public record EpochView(int epoch, Double trainLoss, Double trainAccuracy, Double valLoss, Double valAccuracy,
                            Double learningRate, Double seconds, Double imagesPerSec) {
        static EpochView of(EpochMetric m) {
            return new EpochView(m.epoch, m.trainLoss, m.trainAccuracy, m.valLoss, m.valAccuracy, m.learningRate,
                    m.seconds, m.imagesPerSec);
        }
    }
}
