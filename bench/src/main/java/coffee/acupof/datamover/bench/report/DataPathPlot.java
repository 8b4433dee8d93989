package coffee.acupof.datamover.bench.report;

import coffee.acupof.datamover.bench.data.DataRecord;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The data-path results as one PNG (JFreeChart, drawn headless): per S3 server, a bar per contender for each
 * tree and scenario, its median wall time as a ratio to rclone sync's, with lines at 1 and at the 1.05 target.
 */
public final class DataPathPlot {
  private static final int WIDTH = 1400;
  private static final int HEIGHT_PER_SERVER = 520;

  private DataPathPlot() {}

  /** Draws {@code records} (without the baseline, which is 1 by definition) into {@code file}. */
  public static void write(List<DataRecord> records, Path file) {
    System.setProperty("java.awt.headless", "true");
    List<String> servers = records.stream().map(DataRecord::server).distinct().toList();
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT_PER_SERVER * servers.size(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    for (int i = 0; i < servers.size(); i++) {
      String server = servers.get(i);
      chart(server, records.stream().filter(r -> r.server().equals(server)).toList())
          .draw(g, new Rectangle2D.Double(0, i * HEIGHT_PER_SERVER, WIDTH, HEIGHT_PER_SERVER));
    }
    g.dispose();
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      ImageIO.write(image, "png", file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static JFreeChart chart(String server, List<DataRecord> records) {
    DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    for (DataRecord r : records) {
      if (!r.contender().equals("rclone-defaults")) {
        dataset.addValue(r.ratioToBaseline(), r.contender(), r.tree() + " · " + r.scenario());
      }
    }
    CategoryAxis categories = new CategoryAxis();
    categories.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    NumberAxis ratio = new NumberAxis("median wall time ÷ rclone sync (defaults)");
    BarRenderer bars = new BarRenderer();
    bars.setBarPainter(new StandardBarPainter());
    bars.setShadowVisible(false);
    CategoryPlot plot = new CategoryPlot(dataset, categories, ratio, bars);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.addRangeMarker(new ValueMarker(1.0, Color.BLACK, new BasicStroke(1.5f)));
    plot.addRangeMarker(new ValueMarker(1.05, Color.RED, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
        new float[] {6f, 4f}, 0f)));
    JFreeChart chart = new JFreeChart("Data path on " + server + ": ratio to rclone sync (1 = as fast; red line: 1.05 target)",
        JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }
}
