package coffee.acupof.datamover.rclonemover;

import java.io.PrintStream;

/**
 * Everything the mover prints, with secrets masked: human-readable lines ({@code datamover: …}) on stderr, and on
 * stdout the listing lines of {@code list}/{@code prune}, the progress lines and, last, the result JSON.
 */
public final class Output {

  private final PrintStream stdout;
  private final PrintStream stderr;
  private final Masker masker;

  public Output(PrintStream stdout, PrintStream stderr, Masker masker) {
    this.stdout = stdout;
    this.stderr = stderr;
    this.masker = masker;
  }

  /** A {@code datamover: …} line on stderr. */
  public void log(String message) {
    stderr.println("datamover: " + masker.mask(message));
  }

  /** A line on stdout (never the last one: the result follows). */
  public synchronized void line(String text) {
    stdout.println(masker.mask(text));
    stdout.flush();
  }
}
