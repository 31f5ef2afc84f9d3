package io.tributary.pipelines;

import static io.tributary.pipelines.options.OptionChecks.atLeast;

import io.tributary.contracts.Contract;
import io.tributary.kafka.connection.KafkaConnection;
import io.tributary.pipelines.failover.Failover;
import io.tributary.pipelines.gold.GoldSettings;
import io.tributary.pipelines.gold.GoldViews;
import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.append.WriteSettings;
import io.tributary.pipelines.lakehouse.delta.VacuumFiles;
import io.tributary.pipelines.lakehouse.storage.LakeStorage;
import io.tributary.pipelines.options.KafkaSourceOptions;
import io.tributary.pipelines.options.MedallionOptions;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.admin.Admin;
import org.joda.time.Duration;

/**
 * Options of a run, checked before any pipeline is built: every problem is reported as an {@link
 * IllegalArgumentException} whose message names the option and says how to fix it.
 */
record RunConfig(
    MedallionOptions options,
    List<String> datasets,
    List<String> topics,
    KafkaConnection connection,
    Lakehouse lakehouse,
    MedallionPipeline.Settings settings,
    java.time.Duration trigger,
    boolean targetParallelismGiven) {

  /** How long the up-front broker check waits for an answer. */
  static final int BROKER_CHECK_SECONDS = 20;

  static RunConfig from(String[] args) {
    return from(args, true);
  }

  /**
   * @param kafka whether the run reads Kafka: if not ({@code init}), no connection is built or
   *     checked and {@link #connection()} is null
   */
  static RunConfig from(String[] args, boolean kafka) {
    PipelineOptionsFactory.register(MedallionOptions.class);
    MedallionOptions options =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(MedallionOptions.class);
    applyDirectRunnerDefaults(args, options);

    List<String> datasets = datasets(options.getDataset());
    List<String> topics =
        failoverTopics(options.getFailoverFrom(), topics(options.getTopic(), datasets));
    TableFormat format = format(options.getFormat());
    GoldSettings gold =
        new GoldSettings(
            Duration.standardMinutes(
                atLeast("allowedLatenessMinutes", options.getAllowedLatenessMinutes(), 0)));
    datasets.forEach(dataset -> GoldViews.registered().get(dataset).validate(options));
    WriteSettings write =
        WriteSettings.DEFAULTS
            .withShards(atLeast("writeShards", options.getWriteShards(), 1))
            .withFlushInterval(
                Duration.standardSeconds(
                    atLeast("flushIntervalSeconds", options.getFlushIntervalSeconds(), 1)));
    MedallionPipeline.Settings settings =
        new MedallionPipeline.Settings(
            Duration.standardMinutes(
                atLeast("dedupeHorizonMinutes", options.getDedupeHorizonMinutes(), 1)),
            gold,
            write);

    java.time.Duration trigger = trigger(options.getTrigger());
    if (options.getMaxEventsPerCycle() < 1) {
      throw new IllegalArgumentException(
          "bad value for --maxEventsPerCycle: "
              + options.getMaxEventsPerCycle()
              + " is below the minimum 1");
    }
    if (options.getVacuumRetentionMinutes() < VacuumFiles.MIN_RETENTION.toMinutes()) {
      throw new IllegalArgumentException(
          "bad value for --vacuumRetentionMinutes: "
              + options.getVacuumRetentionMinutes()
              + " is below the minimum "
              + VacuumFiles.MIN_RETENTION.toMinutes());
    }
    if (options.getDrain() && options.getUnboundedRead()) {
      throw new IllegalArgumentException(
          "--drain and --unboundedRead do not go together: a drain reads planned offset ranges");
    }
    topicsAfresh(options.getStartTopicAfresh(), topics);
    KafkaConnection connection = kafka ? connection(options) : null;
    if (kafka) {
      topics.forEach(connection::checkTopic);
    }
    Lakehouse lakehouse =
        Lakehouse.at(
            options.getLakehouse(),
            format,
            new LakeStorage.AuthOptions(
                options.getLakehouseAuth(),
                options.getAzureTenantId(),
                options.getAzureClientId(),
                options.getAzureClientSecretEnv()));
    lakehouse.checkWritable();
    if (kafka) {
      checkBroker(connection);
      startFailovers(options.getFailoverFrom(), connection, topics);
      startFailbacks(options.getFailbackFrom(), topics);
    }
    return new RunConfig(
        options,
        datasets,
        topics,
        connection,
        lakehouse,
        settings,
        trigger,
        given(args, "targetParallelism"));
  }

  /** Lists the shared options, then each dataset's own, with their descriptions and defaults. */
  static void printHelp(PrintStream out) {
    PipelineOptionsFactory.printHelp(out, MedallionOptions.class);
    GoldViews.registered()
        .values()
        .forEach(views -> views.options().forEach(o -> PipelineOptionsFactory.printHelp(out, o)));
  }

  /** The topics {@code --startTopicAfresh} names (empty when not given). */
  Set<String> topicsAfresh() {
    return topicsAfresh(options.getStartTopicAfresh(), topics);
  }

  static Set<String> topicsAfresh(String value, List<String> topics) {
    if (value == null || value.isBlank()) {
      return Set.of();
    }
    Set<String> afresh = new java.util.TreeSet<>();
    for (String topic : value.split(",")) {
      String name = topic.trim();
      if (!topics.contains(name)) {
        throw new IllegalArgumentException(
            "bad value for --startTopicAfresh: '"
                + name
                + "' is not a topic of this run (the topics are "
                + String.join(",", topics)
                + ")");
      }
      afresh.add(name);
    }
    return afresh;
  }

  /** With {@code --failoverFrom=ALIAS}, the replicas {@code ALIAS.<topic>} are read instead. */
  static List<String> failoverTopics(String alias, List<String> topics) {
    if (alias == null || alias.isBlank()) {
      return topics;
    }
    if (!alias.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException(
          "bad value for --failoverFrom: '"
              + alias
              + "' is not a cluster alias (letters, digits, '_' and '-', as given to"
              + " ./tributary replicate --fromAlias)");
    }
    return topics.stream().map(topic -> Failover.replicaTopic(alias.strip(), topic)).toList();
  }

  private static void startFailovers(String alias, KafkaConnection connection, List<String> read) {
    if (alias == null || alias.isBlank()) {
      return;
    }
    String prefix = alias.strip() + ".";
    read.forEach(
        replica -> Failover.start(connection, alias.strip(), replica.substring(prefix.length())));
  }

  private static void startFailbacks(String value, List<String> topics) {
    if (value == null || value.isBlank()) {
      return;
    }
    if (topics.stream().anyMatch(topic -> Failover.reading(topic).isPresent())) {
      throw new IllegalArgumentException(
          "--failoverFrom and --failbackFrom do not go together: fail over to the secondary, or"
              + " back to the primary");
    }
    String[] parts = value.strip().split("@", 2);
    if (parts.length != 2 || !parts[0].matches("[A-Za-z0-9_-]+") || parts[1].isBlank()) {
      throw new IllegalArgumentException(
          "bad value for --failbackFrom: '"
              + value
              + "' is not ALIAS@HOST:PORT (the alias the failover read, e.g. primary, and the"
              + " secondary cluster it ran on)");
    }
    KafkaConnection secondary = KafkaConnection.plaintext(parts[1]);
    topics.forEach(topic -> Failover.startBack(secondary, parts[0], topic));
  }

  static java.time.Duration trigger(String value) {
    try {
      java.time.Duration trigger = java.time.Duration.parse(value.trim());
      if (!trigger.isNegative()) {
        return trigger;
      }
    } catch (java.time.format.DateTimeParseException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "bad value for --trigger: '"
            + value
            + "' is not an ISO-8601 duration of zero or more (e.g. PT1S, PT30S, PT0S)");
  }

  /**
   * DirectRunner defaults for production runs; a flag the user passes wins.
   *
   * <ul>
   *   <li>The runner re-encodes and copies every element to catch mutation bugs in tests; a
   *       production run does not need that, and it costs several times the throughput.
   *   <li>Cycles (drain and streaming) run on one thread per core. The runner's default is at least
   *       three, and its driver loop takes one of them and re-submits itself without pause: on two
   *       cores that third thread spins against the two doing the work. The unbounded read keeps
   *       the runner's default (its sources each hold a thread while they read).
   * </ul>
   */
  private static void applyDirectRunnerDefaults(String[] args, MedallionOptions options) {
    DirectOptions direct = options.as(DirectOptions.class);
    if (!given(args, "enforceImmutability")) {
      direct.setEnforceImmutability(false);
    }
    if (!given(args, "enforceEncodability")) {
      direct.setEnforceEncodability(false);
    }
    if (!options.getUnboundedRead() && !given(args, "targetParallelism")) {
      direct.setTargetParallelism(Math.max(2, Runtime.getRuntime().availableProcessors()));
    }
  }

  /** Whether the user passed {@code --name} (with or without a value). */
  private static boolean given(String[] args, String name) {
    return String.join(" ", args).contains("--" + name);
  }

  static List<String> datasets(String value) {
    Set<String> known = GoldViews.registered().keySet();
    if ("all".equals(value.trim())) {
      return List.copyOf(known);
    }
    List<String> datasets = new ArrayList<>();
    for (String name : value.split(",")) {
      String dataset = name.trim();
      if (!known.contains(dataset) || !Contract.exists(dataset)) {
        throw new IllegalArgumentException(
            "unknown dataset '"
                + dataset
                + "' for --dataset: expected one of "
                + String.join(", ", known)
                + ", a comma-separated list of them, or all");
      }
      if (datasets.contains(dataset)) {
        throw new IllegalArgumentException(
            "dataset '" + dataset + "' is listed twice in --dataset");
      }
      datasets.add(dataset);
    }
    return datasets;
  }

  static List<String> topics(String value, List<String> datasets) {
    if (value == null || value.isBlank()) {
      return datasets;
    }
    List<String> topics = List.of(value.split(","));
    if (topics.size() != datasets.size()) {
      throw new IllegalArgumentException(
          "--topic lists "
              + topics.size()
              + " topics for "
              + datasets.size()
              + " datasets: give one topic per dataset, in the same order");
    }
    return topics.stream().map(String::trim).toList();
  }

  static TableFormat format(String value) {
    try {
      return TableFormat.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "bad value for --format: '" + value + "' is not delta or parquet");
    }
  }

  /** The cluster to read from, from the connection options (the same names as generate's). */
  static KafkaConnection connection(KafkaSourceOptions options) {
    return KafkaConnection.builder()
        .bootstrapServers(options.getBootstrapServers())
        .eventHubsNamespace(options.getEventHubsNamespace())
        .eventHubsConnectionString(options.getEventHubsConnectionString())
        .eventHubsTenantId(options.getEventHubsTenantId())
        .eventHubsClientId(options.getEventHubsClientId())
        .eventHubsClientSecret(options.getEventHubsClientSecret())
        .sslTrustStore(options.getSslTrustStore())
        .build();
  }

  /**
   * Fails within {@link #BROKER_CHECK_SECONDS} when no broker answers, naming the address, and at
   * once when the credential or the TLS trust is wrong.
   */
  static void checkBroker(KafkaConnection connection) {
    try (Admin admin = connection.newAdmin(BROKER_CHECK_SECONDS)) {
      connection.awaitCluster(admin, BROKER_CHECK_SECONDS);
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(e.getMessage(), e.getCause());
    }
  }
}
