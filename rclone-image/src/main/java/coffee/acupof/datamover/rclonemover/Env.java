package coffee.acupof.datamover.rclonemover;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mover's environment with typed getters: each one fails with a configuration error that names the variable,
 * the value (masked) and what is expected.
 */
public final class Env {

  private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(w|d|h|m|s)");
  private static final Pattern DURATION = Pattern.compile("(\\d+(w|d|h|m|s))+");

  private final Map<String, String> values;
  private final Masker masker;

  public Env(Map<String, String> values, Masker masker) {
    this.values = Map.copyOf(values);
    this.masker = masker;
  }

  /** The value, empty when unset or empty. */
  public Optional<String> get(String name) {
    String value = values.get(name);
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  public String get(String name, String fallback) {
    return get(name).orElse(fallback);
  }

  public boolean isSet(String name) {
    return get(name).isPresent();
  }

  /** The variables whose names start with {@code prefix}, sorted by name. */
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> found = new TreeMap<>();
    values.forEach((name, value) -> {
      if (name.startsWith(prefix)) {
        found.put(name, value);
      }
    });
    return found;
  }

  /** {@code true}/{@code false} in any case; empty or unset gives {@code fallback}. */
  public boolean bool(String name, boolean fallback) {
    Optional<String> raw = get(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    return switch (raw.get().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw MoverFailure.configuration(
          name + " must be true or false, got '" + masker.mask(raw.get()) + "'");
    };
  }

  /** A whole number in [min, max]; empty or unset gives {@code fallback}. */
  public int integer(String name, int fallback, int min, int max) {
    Optional<String> raw = get(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.get().strip());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw MoverFailure.configuration(name + " must be a whole number from " + min + " to " + max + ", got '"
        + masker.mask(raw.get()) + "'");
  }

  /** A duration such as {@code 36h}, {@code 14d}, {@code 1h30m}, {@code 2w} or {@code 90s}. */
  public Optional<Duration> duration(String name) {
    return get(name).map(raw -> parseDuration(raw).orElseThrow(() -> MoverFailure.configuration(
        name + " must be a duration such as 36h, 14d, 1h30m or 2w, got '" + masker.mask(raw) + "'")));
  }

  /** Parses {@code 36h}, {@code 14d}, {@code 1h30m}, {@code 2w}, {@code 90s}; empty for anything else. */
  public static Optional<Duration> parseDuration(String raw) {
    String text = raw.strip().toLowerCase(Locale.ROOT);
    if (!DURATION.matcher(text).matches()) {
      return Optional.empty();
    }
    Duration total = Duration.ZERO;
    Matcher part = DURATION_PART.matcher(text);
    while (part.find()) {
      long n = Long.parseLong(part.group(1));
      total = total.plus(switch (part.group(2)) {
        case "w" -> Duration.ofDays(7 * n);
        case "d" -> Duration.ofDays(n);
        case "h" -> Duration.ofHours(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofSeconds(n);
      });
    }
    return Optional.of(total);
  }
}
