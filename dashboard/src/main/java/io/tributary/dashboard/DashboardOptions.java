package io.tributary.dashboard;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The flags of {@code ./tributary dashboard}.
 *
 * @param lakehouse the lakehouse root: a directory or {@code abfss://...}
 * @param host the address to bind; 127.0.0.1 unless the user chooses otherwise
 * @param port the HTTP port; 0 picks a free one
 * @param refresh how often pages poll for new table versions
 * @param bootstrapServers Kafka, for lag per partition in {@code /api/health}; empty skips lag
 */
record DashboardOptions(
    String lakehouse, String host, int port, Duration refresh, Optional<String> bootstrapServers) {

  static final String DEFAULT_HOST = "127.0.0.1";
  static final int DEFAULT_PORT = 8080;
  static final int DEFAULT_REFRESH_SECONDS = 5;
  private static final Set<String> FLAGS =
      Set.of("lakehouse", "host", "port", "refreshSeconds", "bootstrapServers", "help");

  static final String USAGE =
      "Usage: ./tributary dashboard --lakehouse=DIR [--port=8080] [--host=127.0.0.1]"
          + " [--refreshSeconds=5] [--bootstrapServers=HOST:PORT]";

  /** True when the flags ask for the usage text. */
  static boolean wantsHelp(String[] args) {
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Parses {@code --name=value} flags.
   *
   * @throws IllegalArgumentException naming the flag that is unknown, missing or has a bad value
   */
  static DashboardOptions parse(String[] args) {
    Map<String, String> flags = new LinkedHashMap<>();
    for (String arg : args) {
      int equals = arg.indexOf('=');
      if (!arg.startsWith("--") || equals < 0) {
        throw new IllegalArgumentException("expected --name=value, got '" + arg + "'");
      }
      String name = arg.substring(2, equals);
      if (!FLAGS.contains(name)) {
        throw new IllegalArgumentException("unknown flag --" + name + "\n" + USAGE);
      }
      flags.put(name, arg.substring(equals + 1));
    }
    String lakehouse = flags.get("lakehouse");
    if (lakehouse == null || lakehouse.isBlank()) {
      throw new IllegalArgumentException("--lakehouse=DIR is required\n" + USAGE);
    }
    String host = flags.getOrDefault("host", DEFAULT_HOST).trim();
    if (host.isEmpty()) {
      throw new IllegalArgumentException("--host must name an address, e.g. 127.0.0.1");
    }
    int port = number(flags, "port", DEFAULT_PORT, 0, 65535);
    int refreshSeconds = number(flags, "refreshSeconds", DEFAULT_REFRESH_SECONDS, 1, 3600);
    Optional<String> bootstrap =
        Optional.ofNullable(flags.get("bootstrapServers"))
            .map(String::trim)
            .filter(s -> !s.isEmpty());
    return new DashboardOptions(
        lakehouse, host, port, Duration.ofSeconds(refreshSeconds), bootstrap);
  }

  /** True when the server answers other machines too. */
  boolean bindsBeyondLoopback() {
    return !(host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1"));
  }

  private static int number(
      Map<String, String> flags, String name, int fallback, int min, int max) {
    String value = flags.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "bad value for --"
            + name
            + ": '"
            + value
            + "' (a whole number from "
            + min
            + " to "
            + max
            + ")");
  }
}
