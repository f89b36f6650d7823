/**
 * Named training recipes: a complete training configuration plus how its model is served, as Java
 * values that the command line, experiment specs and the bench can all name.
 */
package dev.cnnlab.training.recipe;
