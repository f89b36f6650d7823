package dev.cnnlab.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The shell parts' row writer (parts-common.sh's {@code write_rows}): reads their measurements as
 * tab-separated lines {@code suite case system metric unit higherIsBetter value} on stdin, writes them
 * with {@link Row#write} and prints each measurement's median and range over its lines with
 * {@link Aggregate}, so the shell scripts neither format JSON nor compute statistics themselves.
 *
 * <p>Usage: {@code ShellRows DIR PART REPETITION COMMAND < rows.tsv}
 */
public final class ShellRows {
    private ShellRows() {
    }

    /** Writes the rows and prints the summary; a malformed line exits with 2, naming it. */
    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: ShellRows DIR PART REPETITION COMMAND < rows.tsv");
            System.exit(2);
        }
        List<Row> rows;
        try {
            rows = parse(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).lines().toList(),
                    args[3]);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path file = Row.write(Path.of(args[0]), args[1], Integer.parseInt(args[2]), rows);
        System.out.println("wrote " + rows.size() + " rows to " + file);
        System.out.print(summary(rows));
    }

    /** The rows of tab-separated lines (blank lines skipped), each reproduced by {@code command}. */
    static List<Row> parse(List<String> lines, String command) {
        List<Row> rows = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 7 || !f[5].matches("true|false")) {
                throw new IllegalArgumentException("expected suite, case, system, metric, unit, true|false, value "
                        + "separated by tabs, got '" + line + "'");
            }
            double value;
            try {
                value = Double.parseDouble(f[6]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number for " + f[1] + " " + f[3] + ": '" + f[6] + "'");
            }
            rows.add(new Row(f[0], f[1], f[2], f[3], f[4], Boolean.parseBoolean(f[5]), value, command, null));
        }
        return rows;
    }

    /** One line per measurement: median and min..max over its rows. */
    static String summary(List<Row> rows) {
        StringBuilder s = new StringBuilder();
        for (Aggregate a : Aggregate.of(rows)) {
            s.append(String.format(Locale.ROOT, "%s, %s: median %s %s (%s..%s, n=%d)%n", a.caseName(), a.metric(),
                    number(a.median()), a.unit(), number(a.min()), number(a.max()), a.n()));
        }
        return s.toString();
    }

    private static String number(double v) {
        String t = String.format(Locale.ROOT, "%.4g", v); // 4 significant digits, trailing decimal zeros dropped
        return t.contains(".") && !t.contains("e") ? t.replaceAll("0+$", "").replaceAll("\\.$", "") : t;
    }
}
