/**
 * cnnlab training: command-line entry point and run environment; the engine lives in the
 * {@code arch}, {@code data} and {@code loop} packages.
 */
package dev.cnnlab.training;
