package io.tributary.replication;

import io.tributary.kafka.connection.KafkaConnection;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.connect.mirror.MirrorMaker;

/**
 * {@code ./tributary replicate}: runs Kafka's MirrorMaker 2 from one cluster to another in this
 * JVM, and reports its lag every {@code --reportSeconds} on stderr. With {@code --untilCaughtUp} it
 * stops once the replicas hold everything the source held at start, and prints one JSON line
 * (records, seconds, records/s) on stdout: the replication figure of the README.
 */
public final class Replicate {
  static final String USAGE =
      "usage: replicate --from=HOST:PORT --to=HOST:PORT --topics=T[,T...]"
          + " [--fromAlias=primary] [--toAlias=secondary] [--reportSeconds=5]"
          + " [--replicationFactor=-1] [--untilCaughtUp]\n"
          + "  an Event Hubs side: --fromEventHubsNamespace=NS"
          + " --fromEventHubsConnectionString=env:VAR|file:PATH (or the Entra ID flags"
          + " --fromEventHubsTenantId, --fromEventHubsClientId, --fromEventHubsClientSecret),"
          + " [--fromSslTrustStore=PATH]; the same with --to...";

  private Replicate() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, String> flags;
    Settings settings;
    try {
      flags = parse(args);
      if (flags.containsKey("help")) {
        out.println(USAGE);
        return 0;
      }
      settings = Settings.of(flags);
    } catch (IllegalArgumentException e) {
      err.println("replicate: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    Map<String, String> props =
        MirrorSettings.of(
            settings.fromAlias,
            settings.from,
            settings.toAlias,
            settings.to,
            settings.topics,
            settings.replicationFactor);
    MirrorMaker mirror = new MirrorMaker(props, List.of(settings.toAlias));
    Runtime.getRuntime().addShutdownHook(new Thread(mirror::stop, "replicate-stop"));
    try (Admin source = settings.from.newAdmin(10);
        Admin target = settings.to.newAdmin(10)) {
      mirror.start();
      err.printf(
          "replicate: MirrorMaker 2 %s -> %s, topics %s (on %s as %s.<topic>)%n",
          settings.fromAlias,
          settings.toAlias,
          settings.topics,
          settings.toAlias,
          settings.fromAlias);
      return report(settings, new ReplicationLag(source, target, settings.fromAlias), out, err);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    } finally {
      mirror.stop();
    }
  }

  private static int report(Settings settings, ReplicationLag lag, PrintStream out, PrintStream err)
      throws InterruptedException {
    long started = System.nanoTime();
    long startReplica = -1;
    long target = -1;
    long lastReplica = -1;
    long lastNanos = started;
    while (true) {
      Map<String, ReplicationLag.Progress> now;
      try {
        now = lag.measure(settings.topics);
      } catch (KafkaException e) {
        // A lost source is what replication is for: keep MirrorMaker up and say so.
        err.printf("replicate: cannot measure the lag: %s%n", e.getMessage());
        Thread.sleep(settings.reportMillis);
        continue;
      }
      long replica = now.values().stream().mapToLong(ReplicationLag.Progress::replicaEnd).sum();
      long behind = now.values().stream().mapToLong(ReplicationLag.Progress::lag).sum();
      long nanos = System.nanoTime();
      if (startReplica < 0) {
        startReplica = replica;
        target = now.values().stream().mapToLong(ReplicationLag.Progress::sourceEnd).sum();
      }
      double rate =
          lastReplica < 0 ? 0 : (replica - lastReplica) / Math.max(1e-9, (nanos - lastNanos) / 1e9);
      Map<String, Long> perTopic = new LinkedHashMap<>();
      now.forEach((topic, progress) -> perTopic.put(topic, progress.lag()));
      err.printf(
          Locale.ROOT,
          "replicate: lag %,d records %s, %,d replicated, %,.0f records/s%n",
          behind,
          perTopic,
          replica,
          rate);
      lastReplica = replica;
      lastNanos = nanos;
      if (settings.untilCaughtUp && replica >= target && behind == 0) {
        double seconds = (nanos - started) / 1e9;
        long records = replica - startReplica;
        out.printf(
            Locale.ROOT,
            "{\"replicated\":%d,\"seconds\":%.1f,\"recordsPerSecond\":%.0f}%n",
            records,
            seconds,
            records / Math.max(1e-9, seconds));
        out.flush();
        return 0;
      }
      Thread.sleep(settings.reportMillis);
    }
  }

  static Map<String, String> parse(String[] args) {
    Map<String, String> flags = new LinkedHashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
      }
      int eq = arg.indexOf('=');
      flags.put(
          eq < 0 ? arg.substring(2) : arg.substring(2, eq),
          eq < 0 ? "true" : arg.substring(eq + 1));
    }
    return flags;
  }

  /** The flags of a replication flow, checked. */
  static final class Settings {
    KafkaConnection from;
    KafkaConnection to;
    String fromAlias;
    String toAlias;
    List<String> topics;
    int replicationFactor;
    long reportMillis;
    boolean untilCaughtUp;

    static Settings of(Map<String, String> flags) {
      Map<String, String> left = new LinkedHashMap<>(flags);
      Settings settings = new Settings();
      settings.from = side("from", left);
      settings.to = side("to", left);
      settings.fromAlias = left.getOrDefault("fromAlias", "primary");
      settings.toAlias = left.getOrDefault("toAlias", "secondary");
      left.remove("fromAlias");
      left.remove("toAlias");
      if (settings.fromAlias.equals(settings.toAlias)) {
        throw new IllegalArgumentException(
            "--fromAlias and --toAlias must differ (both are " + settings.fromAlias + ")");
      }
      for (String alias : List.of(settings.fromAlias, settings.toAlias)) {
        if (!alias.matches("[A-Za-z0-9_-]+")) {
          throw new IllegalArgumentException(
              "cluster alias '" + alias + "' may hold letters, digits, '_' and '-' only");
        }
      }
      String topics = left.remove("topics");
      if (topics == null || topics.isBlank()) {
        throw new IllegalArgumentException("--topics=T[,T...] is required");
      }
      settings.topics = Arrays.stream(topics.split(",")).map(String::strip).toList();
      settings.replicationFactor = Integer.parseInt(left.getOrDefault("replicationFactor", "-1"));
      left.remove("replicationFactor");
      settings.reportMillis =
          Duration.ofSeconds(Long.parseLong(left.getOrDefault("reportSeconds", "5"))).toMillis();
      left.remove("reportSeconds");
      settings.untilCaughtUp = Boolean.parseBoolean(left.getOrDefault("untilCaughtUp", "false"));
      left.remove("untilCaughtUp");
      if (!left.isEmpty()) {
        throw new IllegalArgumentException("unknown flags " + left.keySet());
      }
      return settings;
    }

    /** {@code --from=HOST:PORT} or {@code --fromEventHubs...}: one side's connection. */
    private static KafkaConnection side(String prefix, Map<String, String> left) {
      KafkaConnection.Builder builder =
          KafkaConnection.builder()
              .bootstrapServers(left.remove(prefix))
              .eventHubsNamespace(left.remove(prefix + "EventHubsNamespace"))
              .eventHubsConnectionString(left.remove(prefix + "EventHubsConnectionString"))
              .eventHubsTenantId(left.remove(prefix + "EventHubsTenantId"))
              .eventHubsClientId(left.remove(prefix + "EventHubsClientId"))
              .eventHubsClientSecret(left.remove(prefix + "EventHubsClientSecret"))
              .sslTrustStore(left.remove(prefix + "SslTrustStore"));
      try {
        return builder.build();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--" + prefix + ": " + e.getMessage(), e);
      }
    }
  }
}
