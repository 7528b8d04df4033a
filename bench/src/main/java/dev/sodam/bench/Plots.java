package dev.sodam.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * The bench command's plots: one PNG per scenario of a run ({@code plot-<scenario>.png}), a panel per
 * metric that has figures, a bar per server at the median over rounds with a min–max whisker, and the
 * ratio of the first server to the second written above. Drawn with Java2D (headless), so nothing is
 * downloaded and the pictures come from the same JSON lines as {@link Summary}'s table.
 *
 * <p>{@code java -cp sodam-bench.jar dev.sodam.bench.Plots results.jsonl out-dir [server …]}
 */
public final class Plots {
    private static final int PANEL_W = 300;
    private static final int PANEL_H = 220;
    private static final int COLUMNS = 4;
    /** One colour per server of a run (Sodam, the reference and six more: peers, or scenario e's JVM variants). */
    static final Color[] BARS = {new Color(0x0f766e), new Color(0x94a3b8), new Color(0xd97706), new Color(0x7c3aed),
        new Color(0x2563eb), new Color(0xdc2626), new Color(0x65a30d), new Color(0x0891b2)};

    private Plots() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String> servers = args.length > 2 ? List.of(args).subList(2, args.length) : List.of();
        for (Path written : write(Files.readAllLines(Path.of(args[0])), Path.of(args[1]), servers)) {
            System.out.println("plot: " + written);
        }
    }

    /** Writes a PNG per scenario into {@code dir}; {@code servers} orders the bars (empty: as they come). */
    static List<Path> write(List<String> jsonLines, Path dir, List<String> servers) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, Map<Integer, Map<String, JsonNode>>> scenario : Summary.runs(jsonLines).entrySet()) {
            Set<String> names = new LinkedHashSet<>(servers);
            scenario.getValue().values().forEach(round -> names.addAll(round.keySet()));
            List<String> present = names.stream()
                    .filter(n -> scenario.getValue().values().stream().anyMatch(r -> r.containsKey(n))).toList();
            List<String> metrics = new ArrayList<>();
            for (String metric : Summary.METRICS) {
                if (!metric.equals("loadavg") && !metric.equals("steal_pct")
                        && present.stream().anyMatch(n -> !Summary.values(scenario.getValue(), n, metric).isEmpty())) {
                    metrics.add(metric);
                }
            }
            if (metrics.isEmpty()) {
                continue;
            }
            Path file = dir.resolve("plot-" + scenario.getKey() + ".png");
            ImageIO.write(draw(scenario.getKey(), scenario.getValue(), present, metrics), "png", file.toFile());
            written.add(file);
        }
        return written;
    }

    private static BufferedImage draw(String scenario, Map<Integer, Map<String, JsonNode>> rounds, List<String> servers,
                                      List<String> metrics) {
        int columns = Math.min(COLUMNS, metrics.size());
        int rows = (metrics.size() + columns - 1) / columns;
        // Wide enough for every server's bar and label (scenario e has eight: plain, AppCDS, JDK 25, AOT).
        int panelWidth = Math.max(PANEL_W, 24 + 48 * servers.size());
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 16);
        String title = String.format(Locale.ROOT, "scenario %s — median of %d rounds, whiskers min–max", scenario,
                rounds.size());
        int width = Math.max(columns * panelWidth, 24 + textWidth(title, titleFont));
        Font legendFont = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        List<int[]> legend = legend(servers, legendFont, width);
        int header = legend.isEmpty() ? 44 : legend.get(legend.size() - 1)[1] + 14;
        BufferedImage image = new BufferedImage(width, header + rows * PANEL_H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setColor(Color.DARK_GRAY);
            g.setFont(titleFont);
            g.drawString(title, 12, 24);
            g.setFont(legendFont);
            for (int s = 0; s < servers.size(); s++) {
                int x = legend.get(s)[0];
                int y = legend.get(s)[1];
                g.setColor(BARS[s % BARS.length]);
                g.fillRect(x, y - 10, 12, 12);
                g.setColor(Color.DARK_GRAY);
                g.drawString(servers.get(s), x + 16, y);
            }
            for (int i = 0; i < metrics.size(); i++) {
                panel(g, (i % columns) * panelWidth, header + (i / columns) * PANEL_H, panelWidth, rounds, servers,
                        metrics.get(i));
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static int textWidth(String text, Font font) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            return g.getFontMetrics(font).stringWidth(text);
        } finally {
            g.dispose();
        }
    }

    /** Where each server's legend entry goes (x, text baseline), wrapped to lines within {@code width}. */
    private static List<int[]> legend(List<String> servers, Font font, int width) {
        List<int[]> at = new ArrayList<>();
        int x = 12;
        int y = 46;
        for (String server : servers) {
            int entry = 30 + textWidth(server, font);
            if (x > 12 && x + entry > width - 12) {
                x = 12;
                y += 18;
            }
            at.add(new int[] {x, y});
            x += entry;
        }
        return at;
    }

    private static void panel(Graphics2D g, int left, int top, int panelWidth, Map<Integer, Map<String, JsonNode>> rounds,
                              List<String> servers, String metric) {
        int plotTop = top + 40;
        int plotBottom = top + PANEL_H - 30;
        double max = 0;
        List<double[]> stats = new ArrayList<>();
        for (String server : servers) {
            List<Double> values = new ArrayList<>(Summary.values(rounds, server, metric));
            Collections.sort(values);
            if (values.isEmpty()) {
                stats.add(null);
                continue;
            }
            int n = values.size();
            double median = n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
            stats.add(new double[] {values.get(0), median, values.get(n - 1)});
            max = Math.max(max, values.get(n - 1));
        }
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(metric, left + 12, top + 16);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        if (stats.size() >= 2 && stats.get(0) != null && stats.get(1) != null && stats.get(1)[1] != 0) {
            g.drawString(String.format(Locale.ROOT, "median %s / median %s = %.2f×", servers.get(0), servers.get(1),
                    stats.get(0)[1] / stats.get(1)[1]), left + 12, top + 32);
        }
        g.setColor(Color.LIGHT_GRAY);
        g.drawLine(left + 12, plotBottom, left + panelWidth - 12, plotBottom);
        if (max <= 0) {
            return;
        }
        int slot = (panelWidth - 24) / Math.max(1, servers.size());
        FontMetrics fm = g.getFontMetrics();
        for (int s = 0; s < servers.size(); s++) {
            double[] st = stats.get(s);
            if (st == null) {
                continue;
            }
            int barLeft = left + 12 + s * slot + slot / 4;
            int barWidth = slot / 2;
            int height = (int) Math.round((plotBottom - plotTop) * Math.max(0, st[1]) / max);
            g.setColor(BARS[s % BARS.length]);
            g.fillRect(barLeft, plotBottom - height, barWidth, height);
            int yMin = plotBottom - (int) Math.round((plotBottom - plotTop) * Math.max(0, st[0]) / max);
            int yMax = plotBottom - (int) Math.round((plotBottom - plotTop) * Math.max(0, st[2]) / max);
            int mid = barLeft + barWidth / 2;
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1.2f));
            g.drawLine(mid, yMin, mid, yMax);
            g.drawLine(mid - 5, yMin, mid + 5, yMin);
            g.drawLine(mid - 5, yMax, mid + 5, yMax);
            String label = Math.abs(st[1]) >= 100 ? String.format(Locale.ROOT, "%.0f", st[1])
                    : String.format(Locale.ROOT, "%.3g", st[1]);
            g.setColor(Color.DARK_GRAY);
            g.drawString(label, mid - fm.stringWidth(label) / 2, plotBottom + 14);
        }
    }
}
