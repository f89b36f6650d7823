package dev.cnnlab.inference;

/**
 * One class of a prediction and its probability.
 *
 * @param label the class label
 * @param probability the model's probability for it, 0..1
 */
public record Prediction(String label, float probability) {
}
