package dev.cnnlab.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The settings run.sh passes to every part as system properties.
 *
 * @param out             where rows go ({@code bench.out}, default {@code src/bench/results/raw})
 * @param repetition      the repetition number, from 1 ({@code bench.rep})
 * @param seconds         clean seconds to measure per phase ({@code bench.seconds}, default 10)
 * @param maxPhaseSeconds the most one phase may take ({@code bench.maxPhaseSeconds}, default 40)
 * @param maxOthersCores  other processes' CPU use below which a window is clean ({@code bench.maxOthersCores},
 *                        default 0.05 cores, as in the peer harness)
 * @param quick           whether this is a quick run ({@code bench.quick})
 * @param command         the command that reproduces these rows ({@code bench.command})
 */
public record BenchConfig(Path out, int repetition, double seconds, double maxPhaseSeconds, double maxOthersCores,
        boolean quick, String command) {
    /** Reads the settings from system properties. */
    public static BenchConfig fromSystemProperties() {
        return new BenchConfig(Path.of(System.getProperty("bench.out", "src/bench/results/raw")),
                Integer.getInteger("bench.rep", 1),
                Double.parseDouble(System.getProperty("bench.seconds", "10")),
                Double.parseDouble(System.getProperty("bench.maxPhaseSeconds", "40")),
                Double.parseDouble(System.getProperty("bench.maxOthersCores", "0.05")),
                Boolean.getBoolean("bench.quick"),
                System.getProperty("bench.command", "src/bench/run.sh"));
    }

    /** The architectures to measure: {@code bench.archs}, else the suite's default (comma-separated). */
    public static List<String> architectures(String suiteDefault) {
        return Arrays.stream(System.getProperty("bench.archs", suiteDefault).split(","))
                .map(String::trim).toList();
    }

    /**
     * The training batch sizes of an architecture: {@code bench.batches} for all of them when set, else 512 and
     * 1024 for airbench94 (its recipe trains at 1024) and 32, 64, 128 for the others.
     */
    public static List<Integer> trainingBatches(String architecture) {
        String fallback = architecture.equals("airbench94") ? "512,1024" : "32,64,128";
        return Arrays.stream(System.getProperty("bench.batches", fallback).split(","))
                .map(b -> Integer.parseInt(b.trim())).toList();
    }

    /** Returns a row of this run's command. */
    public Row row(String suite, String caseName, String system, String metric, String unit, boolean higherIsBetter,
            double value, Boolean clean) {
        return new Row(suite, caseName, system, metric, unit, higherIsBetter, value, command, clean);
    }
}
