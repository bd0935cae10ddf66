package org.boml.nas;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.boml.plugins.nascells.Genotype;

/**
 * The pictures of a run, drawn with Java2D in headless mode: the derived cell as a graph (inputs
 * {@code c_{k-2}, c_{k-1}} on the left, intermediate nodes, the concatenated output on the right,
 * every edge labelled with its operation) and the search's accuracy curves.
 */
final class Pictures {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 480;
  private static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  private static final Color INPUT = new Color(0x9ECAE1);
  private static final Color NODE = new Color(0xFDD0A2);
  private static final Color OUTPUT = new Color(0xC7E9C0);

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private Pictures() {}

  /**
   * The cell as a graph.
   *
   * @param genotype the cell
   * @return a PNG image
   */
  static byte[] cell(Genotype genotype) {
    int nodes = genotype.nodes().size();
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = start(image);
    int[][] centers = new int[nodes + 3][];
    centers[0] = new int[] {80, HEIGHT / 3};
    centers[1] = new int[] {80, 2 * HEIGHT / 3};
    for (int i = 0; i < nodes; i++) {
      int x = 220 + i * (WIDTH - 440) / Math.max(1, nodes - 1);
      int y = i % 2 == 0 ? HEIGHT / 4 : 3 * HEIGHT / 4;
      centers[i + 2] = new int[] {nodes == 1 ? WIDTH / 2 : x, y};
    }
    centers[nodes + 2] = new int[] {WIDTH - 80, HEIGHT / 2};
    g.setStroke(new BasicStroke(1.5f));
    for (int i = 0; i < nodes; i++) {
      int[] to = centers[i + 2];
      for (Genotype.Edge edge : genotype.nodes().get(i)) {
        int[] from = centers[edge.input()];
        g.setColor(Color.DARK_GRAY);
        g.drawLine(from[0], from[1], to[0], to[1]);
        int labelX = (2 * from[0] + 3 * to[0]) / 5;
        int labelY = (2 * from[1] + 3 * to[1]) / 5;
        g.setColor(new Color(0x08519C));
        g.drawString(edge.operation().label(), labelX - 30, labelY - 4);
      }
      g.setColor(Color.GRAY);
      g.drawLine(to[0], to[1], centers[nodes + 2][0], centers[nodes + 2][1]);
    }
    box(g, centers[0], "c_{k-2}", INPUT);
    box(g, centers[1], "c_{k-1}", INPUT);
    for (int i = 0; i < nodes; i++) {
      box(g, centers[i + 2], Integer.toString(i), NODE);
    }
    box(g, centers[nodes + 2], "c_{k}", OUTPUT);
    g.setColor(Color.BLACK);
    g.drawString(
        "derived cell (top-2 inputs per node, no zero op); output = concat of nodes", 20, 20);
    g.dispose();
    return png(image);
  }

  /**
   * The search's curves: training accuracy (mean over the epoch's batches) and validation accuracy
   * (all validation images at the epoch's end) per epoch.
   *
   * @param reports the search's reports, in order
   * @return a PNG image
   */
  static byte[] curves(List<ArchitectureSearch.Report> reports) {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = start(image);
    int left = 70;
    int top = 40;
    int right = WIDTH - 30;
    int bottom = HEIGHT - 50;
    g.setColor(Color.BLACK);
    g.drawRect(left, top, right - left, bottom - top);
    g.drawString("DARTS search: accuracy per epoch", left, 25);
    g.drawString("epoch", (left + right) / 2, HEIGHT - 15);
    for (int tick = 0; tick <= 10; tick += 2) {
      int y = bottom - tick * (bottom - top) / 10;
      g.setColor(new Color(0xE0E0E0));
      g.drawLine(left + 1, y, right - 1, y);
      g.setColor(Color.BLACK);
      g.drawString(String.format(Locale.ROOT, "%.1f", tick / 10.0), left - 30, y + 4);
    }
    int n = reports.size();
    for (int i = 0; i < n; i++) {
      int x = left + (n == 1 ? (right - left) / 2 : i * (right - left) / (n - 1));
      g.drawString(Integer.toString(reports.get(i).epoch()), x - 4, bottom + 16);
    }
    line(g, reports, true, new Color(0x08519C), left, top, right, bottom);
    line(g, reports, false, new Color(0xE6550D), left, top, right, bottom);
    g.setColor(new Color(0x08519C));
    g.drawString("train (batches)", right - 200, top + 20);
    g.setColor(new Color(0xE6550D));
    g.drawString("validation", right - 200, top + 36);
    g.dispose();
    return png(image);
  }

  private static void line(
      Graphics2D g,
      List<ArchitectureSearch.Report> reports,
      boolean train,
      Color color,
      int left,
      int top,
      int right,
      int bottom) {
    g.setColor(color);
    g.setStroke(new BasicStroke(2f));
    int n = reports.size();
    int[] xs = new int[n];
    int[] ys = new int[n];
    for (int i = 0; i < n; i++) {
      ArchitectureSearch.Report r = reports.get(i);
      double value = train ? r.trainAccuracy() : r.validationAccuracy();
      xs[i] = left + (n == 1 ? (right - left) / 2 : i * (right - left) / (n - 1));
      ys[i] = (int) Math.round(bottom - value * (bottom - top));
      g.fillOval(xs[i] - 3, ys[i] - 3, 6, 6);
    }
    g.drawPolyline(xs, ys, n);
  }

  private static Graphics2D start(BufferedImage image) {
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.setFont(TEXT);
    return g;
  }

  private static void box(Graphics2D g, int[] center, String label, Color fill) {
    int w = 70;
    int h = 30;
    g.setColor(fill);
    g.fillRoundRect(center[0] - w / 2, center[1] - h / 2, w, h, 10, 10);
    g.setColor(Color.BLACK);
    g.drawRoundRect(center[0] - w / 2, center[1] - h / 2, w, h, 10, 10);
    g.drawString(label, center[0] - 4 * label.length(), center[1] + 5);
  }

  private static byte[] png(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a PNG: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }
}
