package dev.cnnlab.training.recipe;

import dev.cnnlab.inference.format.TestTimeAugmentation;
import dev.cnnlab.training.loop.TrainingConfig;

/**
 * A named way to train a model: every hyperparameter, and the test-time augmentation its exported
 * model is served with.
 *
 * @param name                 the name the CLI ({@code --recipe}) and experiment specs use
 * @param description          one line: what it trains and what it reached
 * @param source               where the recipe comes from (paper, repository, or the cnnlab run)
 * @param config               the training configuration
 * @param testTimeAugmentation the exported model's test-time augmentation (models/FORMAT.md)
 */
public record Recipe(String name, String description, String source, TrainingConfig config,
                     TestTimeAugmentation testTimeAugmentation) {
    /** Checks the name and that the config is present. */
    public Recipe {
        if (name == null || !name.matches("[a-z0-9][a-z0-9.-]*")) {
            throw new IllegalArgumentException("bad recipe name '" + name + "'");
        }
        if (config == null) {
            throw new IllegalArgumentException("recipe " + name + " has no config");
        }
    }
}
