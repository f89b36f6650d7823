package dev.cnnlab.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * Draws the headline ratios of cnnlab against the peers as horizontal bars on a log scale around 1.0, each
 * labelled with the ratio and the two medians (Java2D, headless).
 */
final class RatioPlot {
    /** The metrics plotted; the others (p90, p99, memory) are in the tables only. */
    static final Set<String> HEADLINE = Set.of("images_per_sec", "latency_median", "requests_per_sec",
            "ms_to_first_prediction");

    private static final int WIDTH = 1200;
    private static final int LABEL_WIDTH = 510;
    private static final int VALUE_WIDTH = 220;
    private static final int BAR_HEIGHT = 26;
    private static final int TOP = 78;
    private static final Color BETTER = new Color(0x2e7d32);
    private static final Color WORSE = new Color(0xc62828);

    private RatioPlot() {
    }

    /** Writes the plot as a PNG. */
    static void write(List<Aggregate.Ratio> ratios, Report.Machine machine, Path png) throws IOException {
        List<Aggregate.Ratio> bars = ratios.stream().filter(r -> HEADLINE.contains(r.ours().metric())).toList();
        int height = TOP + Math.max(1, bars.size()) * BAR_HEIGHT + 40;
        BufferedImage img = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString("cnnlab vs peers: ratio of medians (> 1 = cnnlab better, log scale)", 12, 24);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(String.format(Locale.ROOT, "%s, %d cores; %s mode; %s; commit %s", machine.cpu(),
                    machine.cores(), machine.mode(), machine.date(), machine.commit()), 12, 44);
            if (bars.isEmpty()) {
                g.drawString("No peer was measured in this run: see results.md for the numbers.", 12, TOP + 18);
            } else {
                drawBars(g, bars);
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(img, "png", png.toFile());
    }

    private static void drawBars(Graphics2D g, List<Aggregate.Ratio> bars) {
        double lo = 0.5;
        double hi = 2;
        for (Aggregate.Ratio r : bars) {
            lo = Math.min(lo, Math.min(r.value(), r.low()));
            hi = Math.max(hi, Math.max(r.value(), r.high()));
        }
        int minExp = (int) Math.floor(log2(lo));
        int maxExp = (int) Math.ceil(log2(hi));
        int x0 = LABEL_WIDTH;
        int plotWidth = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
        int bottom = TOP + bars.size() * BAR_HEIGHT;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int e = minExp; e <= maxExp; e++) {
            int x = x0 + (int) ((e - minExp) * plotWidth / (double) (maxExp - minExp));
            g.setColor(e == 0 ? Color.BLACK : new Color(0xdddddd));
            g.setStroke(new BasicStroke(e == 0 ? 2f : 1f));
            g.drawLine(x, TOP - 6, x, bottom);
            g.setColor(Color.DARK_GRAY);
            String tick = e >= 0 ? String.valueOf(1 << e) : "1/" + (1 << -e);
            g.drawString(tick, x - g.getFontMetrics().stringWidth(tick) / 2, bottom + 16);
        }
        g.setStroke(new BasicStroke(1f));
        int y = TOP;
        for (Aggregate.Ratio r : bars) {
            int xOne = xOf(1, minExp, maxExp, x0, plotWidth);
            int xValue = xOf(r.value(), minExp, maxExp, x0, plotWidth);
            g.setColor(r.value() >= 1 ? BETTER : WORSE);
            g.fillRect(Math.min(xOne, xValue), y + 5, Math.max(2, Math.abs(xValue - xOne)), BAR_HEIGHT - 10);
            g.setColor(Color.BLACK);
            int yMid = y + BAR_HEIGHT / 2;
            g.drawLine(xOf(r.low(), minExp, maxExp, x0, plotWidth), yMid, xOf(r.high(), minExp, maxExp, x0, plotWidth),
                    yMid);
            Aggregate ours = r.ours();
            String label = ours.suite() + " · " + ours.caseName() + " · " + ours.metric() + " · " + ours.system()
                    + " vs " + r.peer().system();
            g.drawString(fit(g, label, LABEL_WIDTH - 16), 12, yMid + 4);
            String mark = ours.disturbed() + r.peer().disturbed() > 0 ? " †" : "";
            g.drawString(String.format(Locale.ROOT, "%.2f×  (%s vs %s %s)%s", r.value(), Report.format(ours.median()),
                    Report.format(r.peer().median()), ours.unit(), mark), x0 + plotWidth + 10, yMid + 4);
            y += BAR_HEIGHT;
        }
        g.setColor(Color.DARK_GRAY);
        g.drawString("whiskers: least to most favourable ratio of the repetitions; † = some had no clean window",
                12, bottom + 32);
    }

    private static int xOf(double ratio, int minExp, int maxExp, int x0, int plotWidth) {
        return x0 + (int) Math.round((log2(ratio) - minExp) * plotWidth / (maxExp - minExp));
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }

    private static String fit(Graphics2D g, String text, int width) {
        String t = text;
        while (g.getFontMetrics().stringWidth(t) > width && t.length() > 4) {
            t = t.substring(0, t.length() - 2);
        }
        return t.equals(text) ? t : t + "…";
    }
}
