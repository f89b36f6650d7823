/**
 * Declarative architecture specs (JSON) and their translation into DL4J computation graphs.
 */
package dev.cnnlab.training.arch;
