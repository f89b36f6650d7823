package dev.cnnlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnlab.bench.TimeToAccuracy.Epoch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The {@code time-to-accuracy} suite: trains each recipe once per seed with {@code dev.cnnlab.training.Train
 * --recipe R --folds 0 --export ...} (the recipe's 45,000/5,000 split of the CIFAR-10 training set), in a child
 * JVM, and reports from each run's epoch records the training minutes to 93% and 94% held-out accuracy, the
 * accuracy at 30 minutes and the final accuracy; mean ± std over seeds.
 *
 * <p>Hours long, so it runs only with {@code run.sh --only time-to-accuracy}. It resumes: each run lives in
 * {@code <state>/<recipe>-seed<S>/}; a finished run ({@code summary.json}) is not trained again, an unfinished
 * one continues from its checkpoints. Environment: {@code TTA_RECIPES} (default airbench94,resnet20-long),
 * {@code TTA_SEEDS} (default 1,2), {@code TTA_SUBSET} and {@code TTA_EPOCHS} (overrides for a smoke test; they
 * also name the state folder, so a smoke run never mixes with a full one), {@code TTA_STATE} (default
 * src/bench/results/raw/time-to-accuracy), {@code TTA_JAVA_OPTS} (the child JVM's, default -Xmx8g).
 */
public final class TimeToAccuracyBench {
    static final String SUITE = "time-to-accuracy";
    private static final String SYSTEM = "cnnlab-dl4j";
    private static final double[] TARGETS = {0.93, 0.94};
    private static final double AT_SECONDS = 30 * 60;

    private TimeToAccuracyBench() {
    }

    /**
     * Trains what is not finished yet, then writes one rows file per seed and prints mean ± std on stderr.
     *
     * @param args ignored; settings are system properties ({@link BenchConfig}, {@code bench.dataset}) and the
     *             environment variables above
     * @throws Exception if a training run fails or the rows cannot be written
     */
    public static void main(String[] args) throws Exception {
        BenchConfig config = BenchConfig.fromSystemProperties();
        String data = System.getProperty("bench.dataset", "cifar10");
        List<String> recipes = list(env("TTA_RECIPES", "airbench94,resnet20-long"));
        List<Long> seeds = list(env("TTA_SEEDS", "1,2")).stream().map(Long::parseLong).toList();
        List<String> overrides = new ArrayList<>();
        String subset = env("TTA_SUBSET", "");
        String epochs = env("TTA_EPOCHS", "");
        if (!subset.isEmpty()) {
            overrides.addAll(List.of("--subset", subset));
        }
        if (!epochs.isEmpty()) {
            overrides.addAll(List.of("--epochs", epochs));
        }
        String tag = (subset.isEmpty() ? "" : "-subset" + subset) + (epochs.isEmpty() ? "" : "-epochs" + epochs);
        if (!tag.isEmpty()) { // the rows' command reproduces the smoke test, not the real suite
            String prefix = (subset.isEmpty() ? "" : "TTA_SUBSET=" + subset + " ")
                    + (epochs.isEmpty() ? "" : "TTA_EPOCHS=" + epochs + " ");
            config = new BenchConfig(config.out(), config.repetition(), config.seconds(), config.maxPhaseSeconds(),
                    config.maxOthersCores(), config.quick(), prefix + config.command());
        }
        Path state = Path.of(env("TTA_STATE", "src/bench/results/raw/time-to-accuracy") + tag);
        List<Row> all = new ArrayList<>();
        for (long seed : seeds) {
            List<Row> rows = new ArrayList<>();
            for (String recipe : recipes) {
                Path summary = train(state.resolve(recipe + "-seed" + seed), data, recipe, seed, overrides);
                rows.addAll(rows(config, recipe, Row.JSON.readTree(summary.toFile())));
            }
            System.err.println("wrote " + Row.write(config.out(), SUITE, (int) seed, rows));
            all.addAll(rows);
        }
        Aggregate.of(all).forEach(a -> System.err.printf(Locale.ROOT, "%s %s: %.4g ± %.2g %s (n = %d)%n",
                a.caseName(), a.metric(), a.mean(), a.std(), a.unit(), a.n()));
    }

    /** Runs (or resumes) one training run unless it finished before; returns its summary file. */
    private static Path train(Path dir, String data, String recipe, long seed, List<String> overrides)
            throws IOException, InterruptedException {
        Path summary = dir.resolve("summary.json");
        if (Files.exists(summary)) {
            System.err.println(SUITE + ": " + dir + " finished before, not trained again");
            return summary;
        }
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(list(env("TTA_JAVA_OPTS", "-Xmx8g").replace(' ', ',')));
        cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                "dev.cnnlab.training.Train", "--data", data, "--recipe", recipe, "--folds", "0",
                "--seed", String.valueOf(seed), "--checkpoints", dir.resolve("checkpoints").toString(),
                "--export", dir.resolve("model.cnnlab").toString()));
        cmd.addAll(overrides);
        System.err.println(SUITE + ": " + String.join(" ", cmd.subList(cmd.indexOf("dev.cnnlab.training.Train"),
                cmd.size())));
        Path partial = dir.resolve("summary.json.part");
        int rc = new ProcessBuilder(cmd).redirectOutput(partial.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start().waitFor();
        if (rc != 0) {
            throw new IOException("training " + recipe + " seed " + seed + " exited with " + rc
                    + "; rerun to resume from " + dir.resolve("checkpoints"));
        }
        return Files.move(partial, summary, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Returns the rows of one run from Train's JSON summary (its final model's epoch records). */
    static List<Row> rows(BenchConfig config, String recipe, JsonNode summary) {
        JsonNode fin = summary.path("final");
        List<Epoch> epochs = new ArrayList<>();
        for (JsonNode e : fin.path("training").path("epochs")) {
            epochs.add(new Epoch(e.path("seconds").asDouble(), e.path("valAccuracy").asDouble(Double.NaN)));
        }
        if (epochs.isEmpty()) {
            throw new IllegalArgumentException("the summary of " + recipe + " has no epoch records (final.training)");
        }
        List<Row> rows = new ArrayList<>();
        for (double target : TARGETS) {
            String name = String.format(Locale.ROOT, "%.0f", target * 100);
            OptionalDouble s = TimeToAccuracy.secondsTo(epochs, target);
            // "not reached" has no time: the run counts in reached_N only
            rows.add(config.row(SUITE, recipe, SYSTEM, "reached_" + name, "runs", true, s.isPresent() ? 1 : 0, null));
            s.ifPresent(v -> rows.add(config.row(SUITE, recipe, SYSTEM, "minutes_to_" + name, "min", false, v / 60,
                    null)));
        }
        TimeToAccuracy.accuracyAt(epochs, AT_SECONDS).ifPresent(a -> rows.add(
                config.row(SUITE, recipe, SYSTEM, "accuracy_at_30min", "%", true, 100 * a, null)));
        double last = epochs.get(epochs.size() - 1).accuracy();
        double accuracy = fin.path("heldOut").path("accuracy").asDouble(last);
        rows.add(config.row(SUITE, recipe, SYSTEM, "final_accuracy", "%", true, 100 * accuracy, null));
        rows.add(config.row(SUITE, recipe, SYSTEM, "training_minutes", "min", false,
                TimeToAccuracy.totalSeconds(epochs) / 60, null));
        return rows;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
