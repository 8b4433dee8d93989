package coffee.acupof.datamover.testkit.sandbox;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the sandbox prints: headings, indented lines and aligned tables on standard output. Plain ASCII,
 * no colours, so the output reads the same in a terminal, a CI log or a file.
 */
final class Console {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.S");
  static final String INDENT = "  ";

  private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

  synchronized void title(String text) {
    out.println(text);
    out.println("=".repeat(text.length()));
  }

  synchronized void section(String text) {
    out.println();
    out.println(text);
    out.println("-".repeat(text.length()));
  }

  synchronized void line(String text) {
    out.println(text);
  }

  synchronized void blank() {
    out.println();
  }

  /** Prints without a line break (for a line that grows as work finishes). */
  synchronized void append(String text) {
    out.print(text);
    out.flush();
  }

  /** Every line of {@code text} indented by {@code level} steps; trailing blank lines dropped. */
  synchronized void block(String text, int level) {
    String prefix = INDENT.repeat(level);
    text.stripTrailing().lines().forEach(l -> out.println(l.isBlank() ? "" : prefix + l));
  }

  /** A two-column line: a label padded to {@code width}, then the value. */
  synchronized void field(String label, String value, int width) {
    out.println(INDENT + pad(label, width) + value);
  }

  /** A table under a header line; the columns whose index is in {@code right} are right-aligned. */
  synchronized void table(List<String> header, List<List<String>> rows, int level, int... right) {
    block(Table.render(header, rows, right), level);
  }

  static String pad(String text, int width) {
    return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
  }

  static String time(LocalTime time) {
    return TIME.format(time);
  }

  /** "0.4 s", "12.3 s", "2 min 5 s". */
  static String duration(Duration duration) {
    long millis = duration.toMillis();
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    return (millis / 60_000) + " min " + (millis % 60_000) / 1000 + " s";
  }

  /** "512 B", "6.3 KiB", "1.2 MiB". */
  static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
  }

  /** Text columns aligned by padding with spaces. */
  static final class Table {
    private Table() {}

    static String render(List<String> header, List<List<String>> rows, int... right) {
      List<List<String>> all = new ArrayList<>();
      all.add(header);
      all.addAll(rows);
      int[] widths = new int[header.size()];
      for (List<String> row : all) {
        for (int i = 0; i < row.size() && i < widths.length; i++) {
          widths[i] = Math.max(widths[i], row.get(i).length());
        }
      }
      StringBuilder text = new StringBuilder();
      for (List<String> row : all) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.size(); i++) {
          String cell = row.get(i);
          boolean last = i == row.size() - 1;
          if (isRight(i, right)) {
            line.append(" ".repeat(widths[i] - cell.length())).append(cell);
          } else {
            line.append(cell).append(last ? "" : " ".repeat(widths[i] - cell.length()));
          }
          if (!last) {
            line.append("  ");
          }
        }
        text.append(line.toString().stripTrailing()).append('\n');
      }
      return text.toString();
    }

    private static boolean isRight(int column, int[] right) {
      for (int r : right) {
        if (r == column) {
          return true;
        }
      }
      return false;
    }
  }
}
