package io.tributary.replication;

import io.tributary.kafka.connection.KafkaConnection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The MirrorMaker 2 configuration of one replication flow, {@code fromAlias -> toAlias}: the topics
 * (named {@code <fromAlias>.<topic>} on the target, MM2's default replication policy), the consumer
 * group offsets (checkpoints, translated, and synced to the target), and the offset syncs written
 * on the <em>target</em> cluster, so that a failover can translate offsets after the source is
 * lost.
 *
 * <p>It is a map, never a file: with an Event Hubs side it carries the resolved credential.
 */
final class MirrorSettings {
  private MirrorSettings() {}

  /**
   * @param replicationFactor of the replicated and internal topics; -1 for the target broker's
   *     default
   */
  static Map<String, String> of(
      String fromAlias,
      KafkaConnection from,
      String toAlias,
      KafkaConnection to,
      List<String> topics,
      int replicationFactor) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("clusters", fromAlias + ", " + toAlias);
    cluster(props, fromAlias, from);
    cluster(props, toAlias, to);
    String flow = fromAlias + "->" + toAlias;
    props.put(flow + ".enabled", "true");
    // MM2 takes a list of regular expressions; quoting keeps a topic name with a dot literal.
    props.put(
        flow + ".topics", String.join(",", topics.stream().map(MirrorSettings::literal).toList()));
    props.put(toAlias + "->" + fromAlias + ".enabled", "false");
    // The failover reads the offset syncs to translate the tables' offsets; on the source cluster
    // (MM2's default) they would be lost with it.
    props.put("offset-syncs.topic.location", "target");
    // A sync for every record MM2 can emit one for (it still drops some under load): the closer the
    // last sync to where the tables stand, the fewer records a failover reads twice.
    props.put("offset.lag.max", "0");
    // MM2 writes the sync of a partition's latest record only when Kafka Connect commits its
    // offsets (every minute by default): until then a failover translates the last records through
    // an older sync and reads them again. Every second bounds that window. A worker setting: MM2
    // takes it for the flow's herder from the target cluster's prefix only.
    props.put(toAlias + ".offset.flush.interval.ms", "1000");
    props.put("emit.checkpoints.enabled", "true");
    props.put("emit.checkpoints.interval.seconds", "5");
    props.put("sync.group.offsets.enabled", "true");
    props.put("sync.group.offsets.interval.seconds", "5");
    props.put("emit.heartbeats.enabled", "true");
    props.put("refresh.topics.interval.seconds", "10");
    props.put("refresh.groups.interval.seconds", "10");
    props.put("sync.topic.configs.enabled", "true");
    String factor = Integer.toString(replicationFactor);
    for (String key :
        List.of(
            "replication.factor",
            "checkpoints.topic.replication.factor",
            "heartbeats.topic.replication.factor",
            "offset-syncs.topic.replication.factor",
            "offset.storage.replication.factor",
            "status.storage.replication.factor",
            "config.storage.replication.factor")) {
      props.put(key, factor);
    }
    props.put("tasks.max", "1");
    return props;
  }

  /** The name MM2 gives {@code topic} of cluster {@code fromAlias} on the target. */
  static String replicaTopic(String fromAlias, String topic) {
    return fromAlias + "." + topic;
  }

  private static void cluster(Map<String, String> props, String alias, KafkaConnection connection) {
    connection
        .clientSettings(KafkaConnection.Role.ADMIN)
        .forEach((key, value) -> props.put(alias + "." + key, String.valueOf(value)));
  }

  private static String literal(String topic) {
    return topic.replace(".", "\\.");
  }
}
