package io.tributary.pipelines.testing;

import io.tributary.kafka.connection.KafkaConnection;
import io.tributary.pipelines.failover.OffsetSyncs;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code ./tributary replicate} (MirrorMaker 2) from one test broker to another, in a JVM of its
 * own started from the replication module's build (its Kafka Connect jars never join the test's
 * classpath). Closing it kills that JVM.
 */
public final class Replication implements AutoCloseable {
  private static final String MAIN = "io.tributary.replication.Replicate";
  private final Process process;
  private final String from;
  private final String to;
  private final String fromAlias;

  private Replication(Process process, String from, String to, String fromAlias) {
    this.process = process;
    this.from = from;
    this.to = to;
    this.fromAlias = fromAlias;
  }

  /** Replicates {@code topics} of {@code from} (alias {@code fromAlias}) to {@code to}. */
  public static Replication start(
      String from, String fromAlias, String to, List<String> topics, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(classpath());
    command.add(MAIN);
    command.add("--from=" + from);
    command.add("--to=" + to);
    command.add("--fromAlias=" + fromAlias);
    command.add("--topics=" + String.join(",", topics));
    command.add("--reportSeconds=2");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new Replication(process, from, to, fromAlias);
  }

  /**
   * Waits until the replica of {@code topic} holds as many records as the source, per partition.
   *
   * @throws AssertionError if it does not within {@code seconds}
   */
  public void awaitCaughtUp(String topic, long seconds) throws Exception {
    List<Map<Integer, Long>> seen = new ArrayList<>(List.of(Map.of(), Map.of()));
    Poll.upTo(Duration.ofSeconds(seconds))
        .every(Duration.ofMillis(200))
        .unlessEnded(
            () ->
                process.isAlive()
                    ? Optional.empty()
                    : Optional.of("MirrorMaker exited with status " + process.exitValue()))
        .until(
            () ->
                "the replica of "
                    + topic
                    + " to catch up: it is at "
                    + seen.get(1)
                    + ", the source at "
                    + seen.get(0),
            () -> {
              seen.set(0, endOffsets(from, topic));
              seen.set(1, endOffsets(to, fromAlias + "." + topic));
              return !seen.get(0).isEmpty() && seen.get(0).equals(seen.get(1));
            });
  }

  /**
   * Waits until MirrorMaker wrote the offset sync of every partition's last replicated record (it
   * writes the latest at each offset flush), so that translations up to the end are exact.
   */
  public void awaitOffsetSyncs(String topic, long seconds) throws Exception {
    Map<Integer, Long> source = endOffsets(from, topic);
    Map<Integer, Long> replica = endOffsets(to, fromAlias + "." + topic);
    Poll.upTo(Duration.ofSeconds(seconds))
        .until(
            "offset syncs up to the replica's end " + replica,
            () -> {
              OffsetSyncs syncs = OffsetSyncs.read(KafkaConnection.plaintext(to), fromAlias, topic);
              return replica.entrySet().stream()
                  .allMatch(
                      end ->
                          syncs.upstreamOf(end.getKey(), end.getValue())
                              == source.get(end.getKey()));
            });
  }

  /** Partition → end offset; empty if the topic does not exist (yet). */
  public static Map<Integer, Long> endOffsets(String bootstrapServers, String topic)
      throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                10_000))) {
      if (!admin.listTopics().names().get().contains(topic)) {
        return Map.of();
      }
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get()
          .get(topic)
          .partitions()
          .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      Map<Integer, Long> ends = new HashMap<>();
      admin
          .listOffsets(latest)
          .all()
          .get()
          .forEach((partition, info) -> ends.put(partition.partition(), info.offset()));
      return ends;
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** The replication module's runtime classpath, found walking up from the working directory. */
  private static String classpath() throws IOException {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path module = dir.resolve("replication");
      Path jars = module.resolve("target/classpath.txt");
      if (Files.isRegularFile(jars) && Files.isDirectory(module.resolve("target/classes"))) {
        return Files.readString(jars, StandardCharsets.UTF_8).strip()
            + File.pathSeparator
            + module.resolve("target/classes");
      }
    }
    throw new IllegalStateException(
        "no replication/target/classpath.txt above "
            + Path.of("").toAbsolutePath()
            + ": build it first (mvn -pl replication -am install -DskipTests)");
  }
}
