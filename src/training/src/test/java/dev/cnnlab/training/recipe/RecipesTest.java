package dev.cnnlab.training.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.training.arch.Architectures;
import dev.cnnlab.training.loop.LearningRateUnit;
import org.junit.jupiter.api.Test;

class RecipesTest {

    @Test
    void everyRecipeNamesABuiltInArchitectureAndHoldsOutTenPercent() {
        for (String name : Recipes.names()) {
            Recipe r = Recipes.get(name);
            assertTrue(Architectures.BUILT_IN.contains(r.config().architecture()), name);
            assertEquals(0.1, r.config().heldOutFraction(), name);
            assertTrue(!r.description().isBlank() && !r.source().isBlank(), name);
        }
    }

    @Test
    void airbench94HasAirbenchsHyperparameters() {
        var c = Recipes.get("airbench94").config();
        assertEquals(1024, c.batchSize());
        assertEquals(11.5, c.learningRate());
        assertEquals(LearningRateUnit.PER_1024, c.learningRateUnit());
        assertEquals(0.0153, c.weightDecay());
        assertEquals(0.85, c.momentum());
        assertEquals(64, c.batchNormLrScale());
        assertEquals(0.2, c.labelSmoothing());
        assertTrue(c.lookahead());
    }

    @Test
    void anUnknownRecipeNamesTheKnownOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Recipes.get("resnet56"));
        assertEquals("unknown recipe 'resnet56', known: " + Recipes.names(), e.getMessage());
    }
}
