package io.tributary.kafka.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a single-node KRaft Kafka (broker and controller in one JVM) in the foreground until SIGTERM
 * or Ctrl-C.
 *
 * <p>Exit status: 0 after a clean stop, 1 if the broker could not start or stopped on its own, 2
 * for a bad command line. Stdout carries one line, {@value #READY_PREFIX}HOST:PORT (data in DIR),
 * once clients can connect; with {@code --eventHubsMode} it is followed by the Event Hubs
 * stand-in's lines (address, connection string, files). Everything else goes to stderr.
 */
public final class KafkaBroker {

  /** Launchers wait for a stdout line starting with this. */
  public static final String READY_PREFIX = "Kafka broker ready at ";

  private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
  private static final String PROGRAM = "KafkaBroker";
  private static final Duration ACCEPT_TIMEOUT = Duration.ofSeconds(60);

  private KafkaBroker() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    BrokerOptions options;
    try {
      options = BrokerOptions.parse(args);
    } catch (UsageException e) {
      System.err.println(PROGRAM + ": " + e.getMessage());
      return 2;
    }
    if (options.help()) {
      System.out.println(BrokerOptions.USAGE);
      return 0;
    }
    try {
      return serve(options);
    } catch (StartupException e) {
      LOG.debug("startup failed", e);
      System.err.println(PROGRAM + ": " + e.getMessage());
      return 1;
    }
  }

  private static int serve(BrokerOptions options) {
    String host = options.host();
    Path dataDir = options.dataDir().toAbsolutePath().normalize();
    // Checked before anything touches the data dir, so a second broker on the same port fails fast.
    if (options.port() != 0) {
      Ports.requireFree(host, options.port());
    }
    // Kafka could bind port 0 itself, but the advertised listener must name the real port before
    // startup; the tiny window between probing and binding is acceptable for a local broker.
    int port = options.port() != 0 ? options.port() : Ports.findFree(host);
    int controllerPort = Ports.findFree(BrokerProperties.CONTROLLER_HOST);
    EventHubsOptions eventHubs = options.eventHubs();
    int eventHubsPort =
        eventHubs.enabled() ? eventHubsPort(eventHubs, host, options.port(), port) : -1;
    Path logDir = dataDir.resolve("data");
    String clusterId = ClusterStorage.prepare(dataDir, logDir);
    EventHubsStandIn standIn =
        eventHubs.enabled()
            ? EventHubsStandIn.prepare(dataDir, host, eventHubsPort, eventHubs.key())
            : null;
    LOG.info(
        "starting cluster {} on {}:{} (controller port {}, data in {})",
        clusterId,
        host,
        port,
        controllerPort,
        dataDir);

    KafkaRaftServer server =
        createServer(
            BrokerProperties.create(
                host, port, controllerPort, logDir, standIn == null ? null : standIn.listener()),
            logDir);
    ServerStopper stopper = new ServerStopper(server);
    Runtime.getRuntime().addShutdownHook(new Thread(stopper::stopAndAwait, "kafka-broker-hook"));
    if (options.stopWhenStdinCloses()) {
      StopSignals.installForChild(stopper::onSignal);
    } else {
      StopSignals.install(stopper::onSignal);
    }
    if (options.stopWhenStdinCloses()) {
      watchStdin(stopper);
    }

    try {
      server.startup();
    } catch (RuntimeException e) {
      boolean stopping = stopper.requested();
      stopper.stopAndAwait();
      if (stopping) {
        return 0; // interrupted by Ctrl-C / SIGTERM while starting: not a failure
      }
      throw new StartupException(
          "Kafka failed to start on " + host + ":" + port + ": " + rootMessage(e), e);
    }
    if (!stopper.requested()) {
      Ports.awaitAccepting(host, port, ACCEPT_TIMEOUT);
      if (standIn != null) {
        Ports.awaitAccepting(host, standIn.port(), ACCEPT_TIMEOUT);
      }
      // The ready line stays first and unchanged: launchers parse it.
      System.out.println(READY_PREFIX + host + ":" + port + " (data in " + dataDir + ")");
      if (standIn != null) {
        standIn.readyLines().forEach(System.out::println);
      }
      System.out.flush();
    }

    server.awaitShutdown();
    if (!stopper.requested()) {
      System.err.println(PROGRAM + ": the broker stopped on its own; see the log above");
      return 1;
    }
    return 0;
  }

  /**
   * A child broker's stdin is a pipe from its parent; the pipe closes when the parent dies for any
   * reason, so reaching its end is the one signal that also covers a parent killed with SIGKILL.
   */
  private static void watchStdin(ServerStopper stopper) {
    Thread watcher =
        new Thread(
            () -> {
              try {
                while (System.in.read() != -1) {
                  // Discard anything the parent writes; only the end of the stream matters.
                }
              } catch (java.io.IOException e) {
                LOG.debug("stdin closed with an error", e);
              }
              stopper.onParentGone();
            },
            "kafka-broker-stdin-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  /**
   * The Event Hubs listener's port: the one given, else the broker port + 1 as the docs promise
   * (port 9092 gives 9093, the real endpoint's port), else a free one when the broker port was
   * picked freely too.
   */
  private static int eventHubsPort(
      EventHubsOptions eventHubs, String host, int requestedPort, int brokerPort) {
    int given = eventHubs.port().orElse(-1);
    if (given > 0) {
      Ports.requireFree(host, given, "--eventHubsPort");
      return given;
    }
    if (given < 0 && requestedPort != 0) {
      if (brokerPort == 65535) {
        throw new StartupException(
            "--port=65535 leaves no port + 1 for the Event Hubs listener; give --eventHubsPort=N");
      }
      Ports.requireFree(host, brokerPort + 1, "--eventHubsPort");
      return brokerPort + 1;
    }
    int free = Ports.findFree(host);
    while (free == brokerPort) {
      free = Ports.findFree(host);
    }
    return free;
  }

  private static KafkaRaftServer createServer(Properties properties, Path logDir) {
    try {
      KafkaConfig config = KafkaConfig.fromProps(properties, false);
      return new KafkaRaftServer(config, Time.SYSTEM);
    } catch (RuntimeException e) {
      throw new StartupException("cannot set up Kafka in " + logDir + ": " + rootMessage(e), e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
  }
}
