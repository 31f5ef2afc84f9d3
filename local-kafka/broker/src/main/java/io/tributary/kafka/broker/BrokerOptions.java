package io.tributary.kafka.broker;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Command-line flags of {@link KafkaBroker}, all in {@code --name=value} form.
 *
 * <p>Parsing is strict on purpose: a typo such as {@code --datadir} silently falling back to the
 * default directory would make a run look like it lost its data.
 */
record BrokerOptions(
    int port, Path dataDir, String host, boolean stopWhenStdinCloses, boolean help) {

  static final int DEFAULT_PORT = 9092;
  static final Path DEFAULT_DATA_DIR = Path.of(".tributary", "kafka");
  static final String DEFAULT_HOST = "127.0.0.1";

  static final String USAGE =
      String.join(
          System.lineSeparator(),
          "Usage: KafkaBroker [--port=9092] [--dataDir=.tributary/kafka] [--host=127.0.0.1]"
              + " [--stopWhenStdinCloses] [--help]",
          "  --port=N      PLAINTEXT port for clients; 0 picks a free port (default 9092)",
          "  --dataDir=DIR where topics and the cluster id are kept across restarts"
              + " (default .tributary/kafka)",
          "  --host=HOST   address to listen on and to advertise to clients (default 127.0.0.1)",
          "  --stopWhenStdinCloses  stop when standard input reaches its end: a parent process"
              + " that dies, even by SIGKILL, takes its broker with it",
          "  --help        print this text and exit");

  static BrokerOptions parse(String... args) throws UsageException {
    int port = DEFAULT_PORT;
    Path dataDir = DEFAULT_DATA_DIR;
    String host = DEFAULT_HOST;
    boolean help = false;
    boolean stopWhenStdinCloses = false;
    for (String arg : args) {
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg : arg.substring(0, eq);
      if (name.equals("--help")) {
        if (eq >= 0) {
          throw new UsageException("--help takes no value");
        }
        help = true;
        continue;
      }
      if (name.equals("--stopWhenStdinCloses")) {
        if (eq >= 0) {
          throw new UsageException("--stopWhenStdinCloses takes no value");
        }
        stopWhenStdinCloses = true;
        continue;
      }
      if (eq < 0 && isKnown(name)) {
        throw new UsageException(name + " needs a value, e.g. " + name + "=VALUE");
      }
      String value = eq < 0 ? null : arg.substring(eq + 1);
      switch (name) {
        case "--port" -> port = parsePort(value);
        case "--dataDir" -> dataDir = parseDataDir(value);
        case "--host" -> host = parseHost(value);
        default -> throw new UsageException("unknown flag " + name + " (see --help)");
      }
    }
    return new BrokerOptions(port, dataDir, host, stopWhenStdinCloses, help);
  }

  private static boolean isKnown(String name) {
    return name.equals("--port") || name.equals("--dataDir") || name.equals("--host");
  }

  private static int parsePort(String value) throws UsageException {
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // fall through to the one error message below
    }
    throw new UsageException("--port must be a number from 0 to 65535, got '" + value + "'");
  }

  private static Path parseDataDir(String value) throws UsageException {
    if (value.isBlank()) {
      throw new UsageException("--dataDir must not be empty");
    }
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new UsageException("--dataDir is not a valid path: " + e.getMessage());
    }
  }

  private static String parseHost(String value) throws UsageException {
    if (value.isBlank()) {
      throw new UsageException("--host must not be empty");
    }
    // The same host is advertised to clients, and Kafka refuses to advertise a wildcard address.
    if (value.equals("0.0.0.0") || value.equals("::") || value.equals("[::]")) {
      throw new UsageException(
          "--host=" + value + " cannot be advertised to clients; give a concrete address");
    }
    return value;
  }
}
