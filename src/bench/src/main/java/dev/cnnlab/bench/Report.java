package dev.cnnlab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Aggregates the rows of a run into {@code results.json}, {@code results.md} and {@code results.png}, and
 * prints the Markdown. Cells are median (min-max, n); ratios of cnnlab against each peer are oriented so
 * that > 1 means cnnlab is better.
 */
public final class Report {
    /** Suites in the order the Markdown shows them; others follow in order of appearance. */
    static final List<String> SUITES = List.of("training", "pipeline", "inference", "http", "coldstart", "tracker");

    private Report() {
    }

    /**
     * Where and how the numbers were measured.
     *
     * @param cpu        CPU model
     * @param cores      available processors
     * @param memoryGiB  total memory
     * @param jdk        the Java runtime
     * @param os         operating system and kernel
     * @param date       when the report was made (UTC)
     * @param commit     the git commit measured
     * @param mode       quick or full
     * @param loadAverage the 1-minute load average at the start and at the end of the run
     */
    public record Machine(String cpu, int cores, double memoryGiB, String jdk, String os, String date,
            String commit, String mode, String loadAverage) {
        /** Describes this machine; commit, mode and the starting load come from bench.* system properties. */
        static Machine current() {
            return new Machine(procField("/proc/cpuinfo", "model name", System.getProperty("os.arch")),
                    Runtime.getRuntime().availableProcessors(),
                    Double.parseDouble(procField("/proc/meminfo", "MemTotal", "0 kB").split("\\s+")[0]) / 1048576,
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                    System.getProperty("os.name") + " " + System.getProperty("os.version"),
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                    System.getProperty("bench.commit", "unknown"), System.getProperty("bench.mode", "full"),
                    System.getProperty("bench.loadStart", "?") + " -> " + procField("/proc/loadavg", "", "?")
                            .split("\\s+")[0]);
        }

        private static String procField(String file, String key, String fallback) {
            try {
                for (String line : Files.readAllLines(Path.of(file))) {
                    if (key.isEmpty()) {
                        return line.trim();
                    }
                    if (line.startsWith(key)) {
                        return line.substring(line.indexOf(':') + 1).trim();
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux
            }
            return fallback;
        }
    }

    /**
     * Writes the three result files.
     *
     * @param args the folder of row files and the results folder
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: Report <rows folder> <results folder>, got " + args.length
                    + " arguments");
        }
        List<Row> rows = Row.readAll(Path.of(args[0]));
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no rows in " + args[0]);
        }
        String markdown = write(rows, Machine.current(), Path.of(args[1]));
        System.out.print(markdown);
    }

    /** Writes results.json, results.md and results.png into {@code dir} and returns the Markdown. */
    static String write(List<Row> rows, Machine machine, Path dir) throws IOException {
        List<Aggregate> aggregates = Aggregate.of(rows);
        List<Aggregate.Ratio> ratios = Aggregate.ratios(aggregates);
        Files.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("machine", machine);
        json.put("aggregates", aggregates);
        json.put("ratios", ratios.stream().map(Report::ratioJson).toList());
        Row.JSON.writeValue(dir.resolve("results.json").toFile(), json);
        String markdown = markdown(aggregates, ratios, machine);
        Files.writeString(dir.resolve("results.md"), markdown);
        RatioPlot.write(ratios, machine, dir.resolve("results.png"));
        return markdown;
    }

    private static Map<String, Object> ratioJson(Aggregate.Ratio r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("suite", r.ours().suite());
        m.put("case", r.ours().caseName());
        m.put("metric", r.ours().metric());
        m.put("ours", r.ours().system());
        m.put("peer", r.peer().system());
        m.put("value", r.value());
        m.put("low", r.low());
        m.put("high", r.high());
        return m;
    }

    /** Returns one Markdown table per suite, with the machine and how to read the cells on top. */
    static String markdown(List<Aggregate> aggregates, List<Aggregate.Ratio> ratios, Machine m) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Measured on %s (%d cores, %.1f GiB), %s, %s; %s mode, %s, commit %s,"
                + " load average %s.%n%n", m.cpu(), m.cores(), m.memoryGiB(), m.jdk(), m.os(), m.mode(), m.date(),
                m.commit(), m.loadAverage()));
        md.append("Cells: median (min-max, n repetitions). † = at least one repetition had no clean window (other"
                + " processes were busy), so it counts disturbed windows too. Ratios compare medians; > 1 means cnnlab"
                + " is better (more per second, or less time or memory). The time-to-accuracy suite's cells are"
                + " mean ± std over seeds; reached_N is the fraction of seeds that reached N%.\n");
        Set<String> suites = new LinkedHashSet<>(SUITES);
        aggregates.forEach(a -> suites.add(a.suite()));
        for (String suite : suites) {
            List<Aggregate> inSuite = aggregates.stream().filter(a -> a.suite().equals(suite)).toList();
            if (!inSuite.isEmpty()) {
                table(md, suite, inSuite, ratios.stream().filter(r -> r.ours().suite().equals(suite)).toList());
            }
            if (suite.equals("pipeline")) {
                pipelineNote(md, aggregates);
            }
        }
        return md.toString();
    }

    private static void table(StringBuilder md, String suite, List<Aggregate> inSuite, List<Aggregate.Ratio> ratios) {
        Set<String> systems = new LinkedHashSet<>();
        inSuite.stream().filter(Aggregate::ours).forEach(a -> systems.add(a.system()));
        inSuite.stream().filter(a -> !a.ours()).forEach(a -> systems.add(a.system()));
        Set<String> pairs = new LinkedHashSet<>();
        ratios.forEach(r -> pairs.add(r.ours().system() + " vs " + r.peer().system()));
        md.append("\n### ").append(suite).append("\n\n| case | metric |");
        systems.forEach(s -> md.append(' ').append(s).append(" |"));
        pairs.forEach(p -> md.append(' ').append(p).append(" |"));
        md.append(" reproduce |\n|---|---|");
        md.append("---:|".repeat(systems.size() + pairs.size())).append("---|\n");
        Map<List<String>, List<Aggregate>> lines = new LinkedHashMap<>();
        inSuite.forEach(a -> lines.computeIfAbsent(List.of(a.caseName(), a.metric()), k -> new ArrayList<>()).add(a));
        for (Map.Entry<List<String>, List<Aggregate>> line : lines.entrySet()) {
            List<Aggregate> cells = line.getValue();
            md.append("| ").append(line.getKey().get(0)).append(" | ").append(line.getKey().get(1)).append(" (")
                    .append(cells.get(0).unit()).append(") |");
            for (String s : systems) {
                md.append(' ').append(cells.stream().filter(a -> a.system().equals(s)).findFirst()
                        .map(Report::cell).orElse("")).append(" |");
            }
            for (String p : pairs) {
                md.append(' ').append(ratios.stream().filter(r -> r.ours().caseName().equals(line.getKey().get(0))
                                && r.ours().metric().equals(line.getKey().get(1))
                                && (r.ours().system() + " vs " + r.peer().system()).equals(p))
                        .findFirst().map(Report::ratioCell).orElse("")).append(" |");
            }
            Set<String> commands = new LinkedHashSet<>();
            cells.forEach(a -> commands.add(a.command()));
            md.append(" `").append(String.join("`; `", commands)).append("` |\n");
        }
    }

    /**
     * Says how much the per-epoch pipeline (which runs on the training thread) adds to a training step at the
     * fastest DL4J training speed measured: the proof that it is not the bottleneck.
     */
    private static void pipelineNote(StringBuilder md, List<Aggregate> aggregates) {
        Aggregate batches = aggregates.stream().filter(a -> a.suite().equals("pipeline")
                && a.caseName().equals(PipelineBench.BATCH_CASE) && a.metric().equals("images_per_sec"))
                .findFirst().orElse(null);
        Aggregate fastest = aggregates.stream().filter(a -> a.suite().equals("training")
                && a.system().equals("cnnlab-dl4j") && a.metric().equals("images_per_sec"))
                .max((x, y) -> Double.compare(x.median(), y.median())).orElse(null);
        if (batches != null && fastest != null) {
            md.append(String.format(Locale.ROOT, "%nAt the fastest training speed measured here (%s, %s img/s),"
                    + " preparing its batches (%s img/s, on the training thread) adds %.1f%% to each step's time.%n",
                    fastest.caseName(), format(fastest.median()), format(batches.median()),
                    100 * fastest.median() / batches.median()));
        }
    }

    static String cell(Aggregate a) {
        if (a.suite().equals(TimeToAccuracyBench.SUITE)) { // repetitions are seeds: mean ± std
            return format(a.mean()) + " ± " + format(a.std()) + " (n " + a.n() + ")";
        }
        String mark = a.disturbed() > 0 ? "†" : "";
        return a.n() == 1 ? format(a.median()) + mark
                : format(a.median()) + mark + " (" + format(a.min()) + "-" + format(a.max()) + ", " + a.n() + ")";
    }

    static String ratioCell(Aggregate.Ratio r) {
        String v = String.format(Locale.ROOT, "%.2f×", r.value());
        return r.ours().n() > 1 || r.peer().n() > 1
                ? v + String.format(Locale.ROOT, " (%.2f-%.2f)", r.low(), r.high()) : v;
    }

    /** Formats a value to about three significant digits. */
    static String format(double v) {
        double a = Math.abs(v);
        String f = a >= 1000 ? "%,.0f" : a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, f, v);
    }
}
