package org.boml.runtime.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A line chart drawn with Java2D in headless mode: title, axis labels, ticks with grid lines, a
 * legend, and any number of series (lines, optionally with markers; non-finite values break the
 * line). Where the system has no fonts the chart is drawn without text and a warning is logged.
 */
final class LineChart {
  /** The plot area's margins in pixels: left, top, right, bottom. */
  static final int LEFT = 84;

  static final int TOP = 40;
  static final int RIGHT = 24;
  static final int BOTTOM = 56;

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private static final Logger LOG = LogManager.getLogger(LineChart.class);
  private static final Color GRID = new Color(0xE0E0E0);
  private static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final List<Series> series = new ArrayList<>();

  /**
   * An empty chart.
   *
   * @param title drawn above the plot
   * @param xLabel the horizontal axis' label
   * @param yLabel the vertical axis' label
   */
  LineChart(String title, String xLabel, String yLabel) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  /** One line of the chart. */
  record Series(String name, double[] xs, double[] ys, Color color, float width, boolean markers) {
    Series {
      Objects.requireNonNull(name, "name");
      if (xs.length != ys.length) {
        throw new IllegalArgumentException(
            "series " + name + " has " + xs.length + " x values but " + ys.length + " y values");
      }
    }
  }

  /**
   * Adds a series, drawn in the order added and listed in the legend.
   *
   * @param line the series
   * @return this chart
   */
  LineChart add(Series line) {
    series.add(line);
    return this;
  }

  /**
   * Draws the chart.
   *
   * @param width the image's width in pixels
   * @param height the image's height in pixels
   * @return an RGB image
   */
  BufferedImage render(int width, int height) {
    if (width < LEFT + RIGHT + 50 || height < TOP + BOTTOM + 50) {
      throw new IllegalArgumentException("a chart needs at least 160 x 150 pixels");
    }
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      Frame frame = frame(width, height);
      drawGrid(g, frame);
      g.setClip(frame.left, frame.top, frame.width() + 1, frame.height() + 1);
      for (Series line : series) {
        drawSeries(g, frame, line);
      }
      g.setClip(null);
      g.setColor(Color.BLACK);
      g.setStroke(new BasicStroke(1));
      g.drawRect(frame.left, frame.top, frame.width(), frame.height());
      try {
        drawText(g, frame, width, height);
      } catch (RuntimeException | Error e) {
        // headless JDKs without fonts (no fontconfig) fail here; the curves are still worth having
        LOG.warn("drew the chart '{}' without text: no usable font ({})", title, e.toString());
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  /**
   * Encodes an image as PNG, through a memory cache: {@code ImageIO.write} to a stream would cache
   * the image in a file under {@code java.io.tmpdir}, and fail where that directory is missing or
   * not writable.
   *
   * @param image the image
   * @return the PNG file's bytes
   */
  static byte[] png(BufferedImage image) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      if (!ImageIO.write(image, "png", out)) {
        throw new IllegalStateException("this JDK has no PNG writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The plot area in pixels and the data ranges it shows. */
  private record Frame(int left, int top, int right, int bottom, double[] xTicks, double[] yTicks) {
    int width() {
      return right - left;
    }

    int height() {
      return bottom - top;
    }

    double x(double value) {
      double low = xTicks[0];
      double high = xTicks[xTicks.length - 1];
      return left + (value - low) / (high - low) * width();
    }

    double y(double value) {
      double low = yTicks[0];
      double high = yTicks[yTicks.length - 1];
      return bottom - (value - low) / (high - low) * height();
    }
  }

  private Frame frame(int width, int height) {
    double[] x = range(true);
    double[] y = range(false);
    return new Frame(
        LEFT,
        TOP,
        width - RIGHT,
        height - BOTTOM,
        Ticks.covering(x[0], x[1], Math.max(2, (width - LEFT - RIGHT) / 100)),
        Ticks.covering(y[0], y[1], Math.max(2, (height - TOP - BOTTOM) / 60)));
  }

  /** The smallest and largest finite value over every series, or [0, 1] when there is none. */
  private double[] range(boolean horizontal) {
    double low = Double.POSITIVE_INFINITY;
    double high = Double.NEGATIVE_INFINITY;
    for (Series line : series) {
      for (int i = 0; i < line.xs().length; i++) {
        if (Double.isFinite(line.xs()[i]) && Double.isFinite(line.ys()[i])) {
          double value = horizontal ? line.xs()[i] : line.ys()[i];
          low = Math.min(low, value);
          high = Math.max(high, value);
        }
      }
    }
    return low <= high ? new double[] {low, high} : new double[] {0, 1};
  }

  private static void drawGrid(Graphics2D g, Frame frame) {
    g.setColor(GRID);
    g.setStroke(new BasicStroke(1));
    for (double tick : frame.xTicks()) {
      int x = (int) Math.round(frame.x(tick));
      g.drawLine(x, frame.top(), x, frame.bottom());
    }
    for (double tick : frame.yTicks()) {
      int y = (int) Math.round(frame.y(tick));
      g.drawLine(frame.left(), y, frame.right(), y);
    }
  }

  private static void drawSeries(Graphics2D g, Frame frame, Series line) {
    g.setColor(line.color());
    g.setStroke(new BasicStroke(line.width(), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    Path2D.Double path = new Path2D.Double();
    boolean pen = false;
    for (int i = 0; i < line.xs().length; i++) {
      double x = line.xs()[i];
      double y = line.ys()[i];
      if (!Double.isFinite(x) || !Double.isFinite(y)) {
        pen = false;
        continue;
      }
      if (pen) {
        path.lineTo(frame.x(x), frame.y(y));
      } else {
        path.moveTo(frame.x(x), frame.y(y));
        pen = true;
      }
      if (line.markers()) {
        double r = line.width() + 2;
        g.fill(new Ellipse2D.Double(frame.x(x) - r, frame.y(y) - r, 2 * r, 2 * r));
      }
    }
    g.draw(path);
  }

  private void drawText(Graphics2D g, Frame frame, int width, int height) {
    g.setColor(Color.BLACK);
    g.setFont(TEXT);
    FontMetrics metrics = g.getFontMetrics();
    List<String> xLabels = Ticks.labels(frame.xTicks());
    for (int i = 0; i < xLabels.size(); i++) {
      int x = (int) Math.round(frame.x(frame.xTicks()[i]));
      g.drawLine(x, frame.bottom(), x, frame.bottom() + 4);
      String label = xLabels.get(i);
      g.drawString(
          label, x - metrics.stringWidth(label) / 2, frame.bottom() + 6 + metrics.getAscent());
    }
    List<String> yLabels = Ticks.labels(frame.yTicks());
    for (int i = 0; i < yLabels.size(); i++) {
      int y = (int) Math.round(frame.y(frame.yTicks()[i]));
      g.drawLine(frame.left() - 4, y, frame.left(), y);
      String label = yLabels.get(i);
      g.drawString(
          label, frame.left() - 7 - metrics.stringWidth(label), y + metrics.getAscent() / 2 - 1);
    }
    g.drawString(
        xLabel, (frame.left() + frame.right() - metrics.stringWidth(xLabel)) / 2, height - 12);
    AffineTransform plain = g.getTransform();
    g.rotate(-Math.PI / 2);
    g.drawString(yLabel, -(frame.top() + frame.bottom() + metrics.stringWidth(yLabel)) / 2, 18);
    g.setTransform(plain);
    g.setFont(TITLE);
    g.drawString(title, (width - g.getFontMetrics().stringWidth(title)) / 2, 24);
    g.setFont(TEXT);
    drawLegend(g, frame);
  }

  private void drawLegend(Graphics2D g, Frame frame) {
    if (series.isEmpty()) {
      return;
    }
    FontMetrics metrics = g.getFontMetrics();
    int row = metrics.getHeight() + 2;
    int textWidth = series.stream().mapToInt(s -> metrics.stringWidth(s.name())).max().orElse(0);
    int boxWidth = textWidth + 44;
    int boxHeight = row * series.size() + 8;
    int left = frame.right() - boxWidth - 8;
    int top = frame.top() + 8;
    g.setColor(new Color(255, 255, 255, 220));
    g.fillRect(left, top, boxWidth, boxHeight);
    g.setColor(Color.GRAY);
    g.setStroke(new BasicStroke(1));
    g.drawRect(left, top, boxWidth, boxHeight);
    for (int i = 0; i < series.size(); i++) {
      Series line = series.get(i);
      int y = top + 4 + i * row + row / 2;
      g.setColor(line.color());
      g.setStroke(new BasicStroke(Math.max(2, line.width())));
      g.drawLine(left + 6, y, left + 30, y);
      if (line.markers()) {
        g.fillOval(left + 15, y - 3, 7, 7);
      }
      g.setColor(Color.BLACK);
      g.drawString(line.name(), left + 36, y + metrics.getAscent() / 2 - 1);
    }
  }
}
