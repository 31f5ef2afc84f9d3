package io.tributary.dashboard;

import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.lakehouse.TableFormat;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code ./tributary dashboard}: serves pages with charts and a JSON API over a lakehouse, reading
 * the tables the pipelines write, until stopped. Binds to 127.0.0.1 unless told otherwise.
 */
public final class Dashboard implements AutoCloseable {
  /** A table's latest version is looked up at most this often, however many pages poll it. */
  static final Duration RECHECK = Duration.ofSeconds(1);

  private final DashboardServer server;
  private final Optional<KafkaLag> kafka;
  private final String host;

  private Dashboard(DashboardServer server, Optional<KafkaLag> kafka, String host) {
    this.server = server;
    this.kafka = kafka;
    this.host = host;
  }

  public static void main(String[] args) throws Exception {
    int status = run(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Runs the dashboard until the JVM stops; returns non-zero for bad flags. */
  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    if (DashboardOptions.wantsHelp(args)) {
      out.println(DashboardOptions.USAGE);
      return 0;
    }
    DashboardOptions options;
    try {
      options = DashboardOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("dashboard: " + e.getMessage());
      return 2;
    }
    Dashboard dashboard;
    try {
      dashboard =
          start(
              options.lakehouse(),
              options.host(),
              options.port(),
              options.refresh(),
              options.bootstrapServers());
    } catch (IllegalArgumentException e) {
      err.println("dashboard: " + e.getMessage());
      return 2;
    } catch (java.io.IOException e) {
      err.println(
          "dashboard: cannot listen on "
              + options.host()
              + ":"
              + options.port()
              + ": "
              + e.getMessage());
      return 2;
    }
    exposure(options).ifPresent(err::println);
    out.println("Dashboard at " + dashboard.url() + " (lakehouse " + options.lakehouse() + ")");
    Runtime.getRuntime().addShutdownHook(new Thread(dashboard::closeQuietly, "dashboard-stop"));
    dashboard.server.join();
    return 0;
  }

  /** The warning printed when the dashboard answers other machines than this one. */
  static Optional<String> exposure(DashboardOptions options) {
    return options.bindsBeyondLoopback()
        ? Optional.of(
            "dashboard: WARNING: listening on "
                + options.host()
                + ": every machine that reaches it can read every table of the lakehouse (there is"
                + " no login); the default, 127.0.0.1, answers this machine only")
        : Optional.empty();
  }

  /**
   * Starts serving the lakehouse at {@code lakehouse} on {@code host:port} (0: a free port).
   *
   * @param bootstrapServers Kafka, for lag in {@code /api/health}; empty leaves lag out
   * @throws IllegalArgumentException for an unusable lakehouse root
   * @throws java.io.IOException when the address cannot be bound
   */
  public static Dashboard start(
      String lakehouse, String host, int port, Duration refresh, Optional<String> bootstrapServers)
      throws java.io.IOException {
    // Registers an abfss:// store's settings for the reader; the format is decided per table.
    Lakehouse root = Lakehouse.at(lakehouse, TableFormat.DELTA);
    Tables tables = new Tables(root.root(), RECHECK, Clock.systemUTC());
    Optional<KafkaLag> kafka = bootstrapServers.map(KafkaLag::new);
    DashboardServer server =
        new DashboardServer(
            new DashboardApi(tables, refresh, Clock.systemUTC(), kafka), host, port);
    try {
      server.start();
    } catch (java.io.IOException e) {
      kafka.ifPresent(KafkaLag::close);
      throw e;
    } catch (Exception e) {
      kafka.ifPresent(KafkaLag::close);
      throw new java.io.IOException(e.getMessage(), e);
    }
    return new Dashboard(server, kafka, host);
  }

  /** The port listened on. */
  public int port() {
    return server.port();
  }

  /** The dashboard's address, e.g. {@code http://127.0.0.1:8080/}. */
  public String url() {
    return DashboardServer.url(host, port());
  }

  @Override
  public void close() throws Exception {
    try {
      server.close();
    } finally {
      kafka.ifPresent(KafkaLag::close);
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (Exception e) {
      // Stopping anyway.
    }
  }
}
