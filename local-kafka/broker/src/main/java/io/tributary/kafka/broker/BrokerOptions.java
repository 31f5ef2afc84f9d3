package io.tributary.kafka.broker;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Command-line flags of {@link KafkaBroker}, all in {@code --name=value} form.
 *
 * <p>Parsing is strict on purpose: a typo such as {@code --datadir} silently falling back to the
 * default directory would make a run look like it lost its data.
 */
record BrokerOptions(
    int port,
    Path dataDir,
    String host,
    boolean stopWhenStdinCloses,
    boolean help,
    EventHubsOptions eventHubs) {

  static final int DEFAULT_PORT = 9092;
  static final Path DEFAULT_DATA_DIR = Path.of(".tributary", "kafka");
  static final String DEFAULT_HOST = "127.0.0.1";

  /** Longer than any real SharedAccessKey (44 base64 characters); a guard against pasted junk. */
  static final int MAX_KEY_LENGTH = 256;

  static final String USAGE =
      String.join(
          System.lineSeparator(),
          "Usage: KafkaBroker [--port=9092] [--dataDir=.tributary/kafka] [--host=127.0.0.1]"
              + " [--eventHubsMode [--eventHubsPort=N] [--eventHubsKey=KEY]]"
              + " [--stopWhenStdinCloses] [--help]",
          "  --port=N      PLAINTEXT port for clients; 0 picks a free port (default 9092)",
          "  --dataDir=DIR where topics and the cluster id are kept across restarts"
              + " (default .tributary/kafka)",
          "  --host=HOST   address to listen on and to advertise to clients (default 127.0.0.1)",
          "  --eventHubsMode  also act as a local stand-in for Azure Event Hubs' Kafka endpoint: a",
          "                second, SASL_SSL listener (TLS from a local CA made at first start; SASL",
          "                PLAIN, user $ConnectionString, password the connection string). The",
          "                PLAINTEXT listener stays; topics are no longer auto-created. Prints the",
          "                connection string, and keeps it and the CA certificate clients must trust",
          "                in DIR/eventhubs/connection-string and DIR/eventhubs/ca.pem",
          "  --eventHubsPort=N  port of the SASL_SSL listener (default --port + 1; a free one with"
              + " --port=0)",
          "  --eventHubsKey=KEY  the SharedAccessKey clients must present, for this run (default: a",
          "                random key made at first start and kept in"
              + " DIR/eventhubs/shared-access-key)",
          "  --stopWhenStdinCloses  stop when standard input reaches its end: a parent process"
              + " that dies, even by SIGKILL, takes its broker with it; INT is then ignored",
          "                (the parent stops its broker last, with TERM)",
          "  --help        print this text and exit");

  static BrokerOptions parse(String... args) throws UsageException {
    int port = DEFAULT_PORT;
    Path dataDir = DEFAULT_DATA_DIR;
    String host = DEFAULT_HOST;
    boolean help = false;
    boolean stopWhenStdinCloses = false;
    boolean eventHubsMode = false;
    OptionalInt eventHubsPort = OptionalInt.empty();
    Optional<String> eventHubsKey = Optional.empty();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg : arg.substring(0, eq);
      if (isSwitch(name)) {
        if (eq >= 0) {
          throw new UsageException(name + " takes no value");
        }
        switch (name) {
          case "--help" -> help = true;
          case "--stopWhenStdinCloses" -> stopWhenStdinCloses = true;
          default -> eventHubsMode = true;
        }
        continue;
      }
      if (eq < 0 && isKnown(name)) {
        throw new UsageException(name + " needs a value, e.g. " + name + "=VALUE");
      }
      String value = eq < 0 ? null : arg.substring(eq + 1);
      switch (name) {
        case "--port" -> port = parsePort(name, value);
        case "--dataDir" -> dataDir = parseDataDir(value);
        case "--host" -> host = parseHost(value);
        case "--eventHubsPort" -> eventHubsPort = OptionalInt.of(parsePort(name, value));
        case "--eventHubsKey" -> eventHubsKey = Optional.of(parseKey(value));
        default -> throw new UsageException("unknown flag " + name + " (see --help)");
      }
    }
    if (!eventHubsMode && (eventHubsPort.isPresent() || eventHubsKey.isPresent())) {
      throw new UsageException(
          (eventHubsPort.isPresent() ? "--eventHubsPort" : "--eventHubsKey")
              + " only applies with --eventHubsMode");
    }
    if (eventHubsPort.isPresent() && eventHubsPort.getAsInt() != 0) {
      int ehPort = eventHubsPort.getAsInt();
      if (ehPort == port) {
        throw new UsageException(
            "--eventHubsPort="
                + ehPort
                + " is also --port; give the two listeners different ports");
      }
    }
    return new BrokerOptions(
        port,
        dataDir,
        host,
        stopWhenStdinCloses,
        help,
        eventHubsMode
            ? new EventHubsOptions(true, eventHubsPort, eventHubsKey)
            : EventHubsOptions.OFF);
  }

  private static boolean isSwitch(String name) {
    return name.equals("--help")
        || name.equals("--stopWhenStdinCloses")
        || name.equals("--eventHubsMode");
  }

  private static boolean isKnown(String name) {
    return name.equals("--port")
        || name.equals("--dataDir")
        || name.equals("--host")
        || name.equals("--eventHubsPort")
        || name.equals("--eventHubsKey");
  }

  private static int parsePort(String flag, String value) throws UsageException {
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // fall through to the one error message below
    }
    throw new UsageException(flag + " must be a number from 0 to 65535, got '" + value + "'");
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

  /**
   * The key goes inside a quoted JAAS option and into a {@code ;}-separated connection string, so
   * it must not contain quotes, backslashes, semicolons or white space. The message never repeats
   * the value: it is a secret.
   */
  private static String parseKey(String value) throws UsageException {
    if (value.isEmpty()) {
      throw new UsageException("--eventHubsKey must not be empty");
    }
    if (value.length() > MAX_KEY_LENGTH) {
      throw new UsageException("--eventHubsKey is longer than " + MAX_KEY_LENGTH + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c > '~' || c == '"' || c == '\\' || c == ';') {
        throw new UsageException(
            "--eventHubsKey may only hold printable ASCII without spaces, quotes, backslashes or"
                + " ';' (a real SharedAccessKey is base64); the value is not repeated here");
      }
    }
    return value;
  }
}
