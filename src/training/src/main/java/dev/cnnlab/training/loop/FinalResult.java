package dev.cnnlab.training.loop;

/**
 * The outcome of training the final model on all development data.
 *
 * @param model    the trained model, ready for export
 * @param training the training record (its validation columns are the held-out set's, for monitoring only)
 * @param heldOut  the held-out evaluation of the final network, or null without a held-out set
 */
public record FinalResult(TrainedModel model, FoldResult training, EvaluationResult heldOut) {
}
