package coffee.acupof.datamover.rclonemover;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Replaces every known secret value with {@code ***} in text the mover prints or writes. Values are registered
 * while the configuration is parsed (keys, passwords and their obscured forms, secret-looking options).
 */
public final class Masker {

  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i).*(secret|pass|key|token|credential|auth|sas).*");
  private static final int MIN_LENGTH = 4;

  private final Set<String> secrets = new LinkedHashSet<>();
  private List<String> longestFirst = List.of();

  /** True when an option or variable with this name holds a secret (by the contract's naming rule). */
  public static boolean looksSecret(String name) {
    return SECRET_NAME.matcher(name).matches();
  }

  /** Registers a value to mask; booleans and values under four characters are not masked (they garble text). */
  public synchronized void add(String value) {
    if (value == null || value.length() < MIN_LENGTH) {
      return;
    }
    String lower = value.toLowerCase(Locale.ROOT);
    if (lower.equals("true") || lower.equals("false")) {
      return;
    }
    if (secrets.add(value)) {
      longestFirst = secrets.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }
  }

  /** {@code text} with every registered value replaced by {@code ***}. */
  public String mask(String text) {
    if (text == null) {
      return null;
    }
    String masked = text;
    for (String secret : longestFirst) {
      masked = masked.replace(secret, "***");
    }
    return masked;
  }
}
