package io.tributary.pipelines.source;

import io.tributary.kafka.connection.KafkaConnection;
import io.tributary.pipelines.bronze.BronzeSchema;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The unbounded read of streaming mode: KafkaIO's default (legacy unbounded-source) read, which the
 * Spark streaming runner also supports, timestamped with each payload's event time ({@link
 * EventTimePolicy}). Offsets are committed to the dataset's consumer group after each checkpoint,
 * for lag monitoring and as the restart position.
 *
 * <p>KafkaIO puts its consumer configuration into display data and the serialized pipeline, so that
 * configuration holds only the connection's public settings; the secret is added by {@link
 * ConsumerFactory} when each consumer is created, on whichever worker creates it.
 */
public final class ReadKafkaStream extends PTransform<PBegin, PCollection<Row>> {
  private final String dataset;
  private final KafkaConnection connection;
  private final String topic;

  public ReadKafkaStream(String dataset, KafkaConnection connection, String topic) {
    this.dataset = dataset;
    this.connection = connection;
    this.topic = topic;
  }

  @Override
  public PCollection<Row> expand(PBegin input) {
    Map<String, Object> config =
        new HashMap<>(connection.publicSettings(KafkaConnection.Role.CONSUMER));
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, KafkaSettings.READ_COMMITTED);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, KafkaSettings.groupId(dataset, topic));
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
    return input
        .apply(
            "ReadKafka",
            KafkaIO.<byte[], byte[]>read()
                .withBootstrapServers(connection.bootstrapServers())
                .withTopic(topic)
                .withKeyDeserializer(ByteArrayDeserializer.class)
                .withValueDeserializer(ByteArrayDeserializer.class)
                .withConsumerConfigUpdates(config)
                .withConsumerFactoryFn(new ConsumerFactory(connection))
                .withTimestampPolicyFactory(EventTimePolicy.factory(dataset))
                .commitOffsetsInFinalize())
        .apply("ToBronzeRows", ParDo.of(new ToBronzeRowFn(dataset)))
        .setRowSchema(BronzeSchema.SCHEMA);
  }

  /** Creates KafkaIO's consumers with the connection's secret, resolved where they run. */
  static final class ConsumerFactory
      implements SerializableFunction<Map<String, Object>, Consumer<byte[], byte[]>> {
    private static final long serialVersionUID = 1L;
    private final KafkaConnection connection;

    ConsumerFactory(KafkaConnection connection) {
      this.connection = connection;
    }

    @Override
    public Consumer<byte[], byte[]> apply(Map<String, Object> config) {
      Map<String, Object> withSecret = new HashMap<>(config);
      withSecret.putAll(connection.clientSettings(KafkaConnection.Role.CONSUMER));
      return new KafkaConsumer<>(withSecret);
    }
  }

  static final class ToBronzeRowFn extends DoFn<KafkaRecord<byte[], byte[]>, Row> {
    private final Counter read;

    ToBronzeRowFn(String dataset) {
      this.read = Metrics.counter("tributary." + dataset, "read");
    }

    @ProcessElement
    public void process(@Element KafkaRecord<byte[], byte[]> record, OutputReceiver<Row> out) {
      read.inc();
      out.output(
          BronzeSchema.row(
              record.getKV().getKey(),
              record.getKV().getValue(),
              record.getTopic(),
              record.getPartition(),
              record.getOffset(),
              record.getTimestamp(),
              System.currentTimeMillis()));
    }
  }
}
