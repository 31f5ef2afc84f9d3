package io.tributary.generators;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Beam-style command-line flags ({@code --name=value}), checked against the flags a command knows,
 * with typed getters whose errors name the flag and the bad value.
 */
public final class Flags {
  private final Map<String, String> values;

  private Flags(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Parses arguments.
   *
   * @param known flag names the command accepts (without dashes); {@code help} is always accepted
   * @throws UsageException for positional arguments, unknown flags, repeated flags or missing
   *     values
   */
  public static Flags parse(String[] args, Set<String> known) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--")) {
        throw new UsageException("unexpected argument '" + arg + "': flags look like --name=value");
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      if (!known.contains(name) && !"help".equals(name)) {
        throw new UsageException(
            "unknown flag --"
                + name
                + " (known flags: --"
                + String.join(", --", new java.util.TreeSet<>(known))
                + ")");
      }
      if (eq < 0 && !"help".equals(name)) {
        throw new UsageException("flag --" + name + " needs a value: --" + name + "=...");
      }
      if (values.put(name, eq < 0 ? "true" : arg.substring(eq + 1)) != null) {
        throw new UsageException("flag --" + name + " is given more than once");
      }
    }
    return new Flags(values);
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  public Optional<String> string(String name) {
    return Optional.ofNullable(values.get(name));
  }

  public String required(String name, String example) {
    String value = values.get(name);
    if (value == null || value.isBlank()) {
      throw new UsageException(
          "missing required flag --" + name + ", e.g. --" + name + "=" + example);
    }
    return value;
  }

  public Optional<Long> positiveLong(String name) {
    return string(name)
        .map(
            text -> {
              try {
                long value = Long.parseLong(text.replace("_", ""));
                if (value > 0) {
                  return value;
                }
              } catch (NumberFormatException e) {
                // fall through to the message below
              }
              throw bad(name, text, "a whole number greater than 0");
            });
  }

  public Optional<Long> anyLong(String name) {
    return string(name)
        .map(
            text -> {
              try {
                return Long.parseLong(text);
              } catch (NumberFormatException e) {
                throw bad(name, text, "a whole number");
              }
            });
  }

  public Optional<Double> positiveDouble(String name) {
    return string(name)
        .map(
            text -> {
              double value = parseDouble(name, text);
              if (!(value > 0) || Double.isInfinite(value)) {
                throw bad(name, text, "a number greater than 0");
              }
              return value;
            });
  }

  /** A ratio in [0, 1]; 0 when absent. */
  public double ratio(String name) {
    return string(name)
        .map(
            text -> {
              double value = parseDouble(name, text);
              if (!(value >= 0 && value <= 1)) {
                throw bad(name, text, "a ratio between 0 and 1, e.g. 0.01 for 1%");
              }
              return value;
            })
        .orElse(0.0);
  }

  public Optional<Duration> duration(String name) {
    return string(name)
        .map(
            text -> {
              try {
                Duration value = Duration.parse(text);
                if (value.isNegative() || value.isZero()) {
                  throw bad(name, text, "a positive ISO-8601 duration such as PT30S or PT5M");
                }
                return value;
              } catch (DateTimeParseException e) {
                throw bad(name, text, "an ISO-8601 duration such as PT30S or PT5M");
              }
            });
  }

  /** An ISO-8601 instant, or {@code now}. */
  public Optional<Instant> instant(String name) {
    return string(name)
        .map(
            text -> {
              if ("now".equals(text)) {
                return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
              }
              try {
                return Instant.parse(text);
              } catch (DateTimeParseException e) {
                throw bad(name, text, "an ISO-8601 instant such as 2026-01-01T00:00:00Z, or now");
              }
            });
  }

  /** A {@code host:port} address list, checked for shape only. */
  public String hostPorts(String name, String example) {
    String text = required(name, example);
    for (String address : text.split(",")) {
      int colon = address.lastIndexOf(':');
      boolean ok = colon > 0;
      if (ok) {
        try {
          int port = Integer.parseInt(address.substring(colon + 1));
          ok = port > 0 && port < 65536;
        } catch (NumberFormatException e) {
          ok = false;
        }
      }
      if (!ok) {
        throw bad(name, text, "HOST:PORT[,HOST:PORT...], e.g. " + example);
      }
    }
    return text;
  }

  private static double parseDouble(String name, String text) {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw bad(name, text, "a number");
    }
  }

  private static UsageException bad(String name, String text, String expected) {
    return new UsageException("bad value for --" + name + ": '" + text + "' is not " + expected);
  }
}
