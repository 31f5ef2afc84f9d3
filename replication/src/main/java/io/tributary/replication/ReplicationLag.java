package io.tributary.replication;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * How far the target's replica topics are behind the source's topics: per topic, the sum over
 * partitions of the source's end offset minus the replica's. Exact while the source topic has no
 * transaction markers and nothing was written to the replica but MirrorMaker (a transactional
 * source leaves markers MM2 does not copy, so a caught-up replica then shows a small positive lag).
 */
final class ReplicationLag {
  private final Admin source;
  private final Admin target;
  private final String fromAlias;

  ReplicationLag(Admin source, Admin target, String fromAlias) {
    this.source = source;
    this.target = target;
    this.fromAlias = fromAlias;
  }

  /** One topic's end offsets on both sides, summed over its partitions. */
  record Progress(long sourceEnd, long replicaEnd) {
    long lag() {
      return Math.max(0, sourceEnd - replicaEnd);
    }
  }

  /** Topic → progress; a replica MirrorMaker has not created yet counts as empty. */
  Map<String, Progress> measure(List<String> topics) throws InterruptedException {
    Map<String, Progress> progress = new LinkedHashMap<>();
    for (String topic : topics) {
      long sourceEnd = endOffsets(source, topic);
      long replicaEnd = endOffsets(target, MirrorSettings.replicaTopic(fromAlias, topic));
      progress.put(topic, new Progress(sourceEnd, replicaEnd));
    }
    return progress;
  }

  private static long endOffsets(Admin admin, String topic) throws InterruptedException {
    try {
      Map<String, TopicDescription> described =
          admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS);
      List<TopicPartition> partitions = new ArrayList<>();
      described
          .get(topic)
          .partitions()
          .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
      long total = 0;
      for (ListOffsetsResult.ListOffsetsResultInfo info :
          admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values()) {
        total += info.offset();
      }
      return total;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
        return 0;
      }
      throw new KafkaException("cannot read the end offsets of " + topic, e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaException("no answer for the end offsets of " + topic + " within 10 s", e);
    }
  }
}
