package io.tributary.pipelines.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.kafka.connection.KafkaConnection;
import io.tributary.pipelines.offsets.OffsetRanges;
import io.tributary.pipelines.testing.Broker;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What each cycle reads, against a real broker: uneven partitions, caps, drains, a recreated topic.
 */
class CyclePlannerIT {
  @RegisterExtension static final Broker broker = Broker.plaintext();

  @Test
  void eachCycleReadsWhatArrivedSinceThePreviousOne() throws Exception {
    broker.kafka().createTopic("cycles", 4);
    produce("cycles", Map.of(0, 10, 2, 5));
    try (CyclePlanner planner = new CyclePlanner(connection())) {
      planner.start("cycles", List.of());

      Map<String, List<PartitionRange>> first = planner.plan(Long.MAX_VALUE, null);
      assertThat(first.get("cycles"))
          .containsExactly(
              new PartitionRange("cycles", 0, 0, 10), new PartitionRange("cycles", 2, 0, 5));
      planner.advance(first);
      assertThat(planner.plan(Long.MAX_VALUE, null).get("cycles")).isEmpty();
      assertThat(planner.lag()).containsEntry("cycles", 0L);

      produce("cycles", Map.of(1, 3, 2, 2));
      Map<String, List<PartitionRange>> second = planner.plan(Long.MAX_VALUE, null);
      assertThat(second.get("cycles"))
          .containsExactly(
              new PartitionRange("cycles", 1, 0, 3), new PartitionRange("cycles", 2, 5, 7));
    }
  }

  @Test
  void aCapSharesTheCycleOverThePartitionsAndADrainStopsAtItsEndOffsets() throws Exception {
    broker.kafka().createTopic("capped", 4);
    produce("capped", Map.of(0, 300, 1, 100, 3, 1));
    try (CyclePlanner planner = new CyclePlanner(connection())) {
      planner.start("capped", List.of());
      Map<String, Map<Integer, Long>> upTo = planner.endOffsets();

      Map<String, List<PartitionRange>> capped = planner.plan(40, upTo);
      assertThat(capped.get("capped"))
          .as("in proportion to each partition's backlog, at least one record, 40 in all")
          .containsExactly(
              new PartitionRange("capped", 0, 0, 30),
              new PartitionRange("capped", 1, 0, 9),
              new PartitionRange("capped", 3, 0, 1));
      planner.advance(capped);
      assertThat(planner.reached(upTo)).isFalse();

      produce("capped", Map.of(0, 50));
      long cycles = 1;
      while (!planner.reached(upTo)) {
        Map<String, List<PartitionRange>> next = planner.plan(100, upTo);
        next.get("capped")
            .forEach(range -> assertThat(range.toOffset()).isLessThanOrEqualTo(end(upTo, range)));
        planner.advance(next);
        cycles++;
      }
      assertThat(cycles).isBetween(4L, 6L);
      assertThat(planner.plan(Long.MAX_VALUE, upTo).get("capped"))
          .as("records produced after the drain's start are left for later")
          .isEmpty();
      assertThat(planner.plan(Long.MAX_VALUE, null).get("capped"))
          .containsExactly(new PartitionRange("capped", 0, 300, 350));
    }
  }

  @Test
  void startsWhereTheLeastAdvancedTableStands() throws Exception {
    broker.kafka().createTopic("resumed", 2);
    produce("resumed", Map.of(0, 20, 1, 20));
    OffsetRanges bronze = OffsetRanges.empty();
    OffsetRanges silver = OffsetRanges.empty();
    for (long offset = 0; offset < 15; offset++) {
      bronze.add(0, offset);
      bronze.add(1, offset);
      silver.add(0, offset);
    }
    silver.add(1, 0);
    try (CyclePlanner planner = new CyclePlanner(connection())) {
      planner.start("resumed", List.of(bronze, silver));
      assertThat(planner.plan(Long.MAX_VALUE, null).get("resumed"))
          .containsExactly(
              new PartitionRange("resumed", 0, 15, 20), new PartitionRange("resumed", 1, 1, 20));
    }
  }

  @Test
  void aTopicThatWentBackBelowWhatWasReadStopsTheRun() throws Exception {
    broker.kafka().createTopic("recreated", 1);
    produce("recreated", Map.of(0, 30));
    try (CyclePlanner planner = new CyclePlanner(connection())) {
      planner.start("recreated", List.of());
      planner.advance(planner.plan(Long.MAX_VALUE, null));

      broker.recreateTopic("recreated", 1);
      produce("recreated", Map.of(0, 5));

      assertThatThrownBy(() -> planner.plan(Long.MAX_VALUE, null))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("partition 0 of topic 'recreated' ends at offset 5, below the 30")
          .hasMessageContaining("deleted and created again");
    }
  }

  private static long end(Map<String, Map<Integer, Long>> upTo, PartitionRange range) {
    return upTo.get(range.topic()).get(range.partition());
  }

  private static KafkaConnection connection() {
    return KafkaConnection.builder().bootstrapServers(broker.bootstrapServers()).build();
  }

  private static void produce(String topic, Map<Integer, Integer> recordsByPartition)
      throws Exception {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      for (Map.Entry<Integer, Integer> partition : recordsByPartition.entrySet()) {
        for (int i = 0; i < partition.getValue(); i++) {
          producer.send(
              new ProducerRecord<>(topic, partition.getKey(), null, new byte[] {(byte) i}));
        }
      }
      producer.flush();
    }
  }
}
