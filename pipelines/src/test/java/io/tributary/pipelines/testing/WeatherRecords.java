package io.tributary.pipelines.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Valid weather events written by hand, and producers that send them to a test broker. */
public final class WeatherRecords {
  private WeatherRecords() {}

  /** A valid weather event, station {@code ST-<city>}. */
  public static String json(String eventId, Instant eventTime, String city) {
    return "{\"event_id\":\""
        + eventId
        + "\",\"station_id\":\"ST-"
        + city
        + "\",\"city\":\""
        + city
        + "\",\"event_time\":\""
        + eventTime
        + "\",\"temperature_c\":10,\"humidity_pct\":50,\"pressure_hpa\":1000,"
        + "\"wind_speed_ms\":1,\"precipitation_mm\":0}";
  }

  /**
   * A bronze row of a Madrid reading of {@code eventId} at {@code eventTime}, read from partition 0
   * of topic {@code weather} at {@code offset} (Kafka timestamp = event time).
   */
  public static org.apache.beam.sdk.values.Row bronze(
      String eventId, Instant eventTime, long offset) {
    return io.tributary.pipelines.bronze.BronzeSchema.row(
        "ST-Madrid".getBytes(StandardCharsets.UTF_8),
        json(eventId, eventTime, "Madrid").getBytes(StandardCharsets.UTF_8),
        "weather",
        0,
        offset,
        eventTime.toEpochMilli(),
        eventTime.toEpochMilli());
  }

  /** A UUID-formatted event id made of {@code n} (the contract wants a uuid). */
  public static String id(long n) {
    return String.format("00000000-0000-4000-8000-%012d", n);
  }

  /** Producer settings for {@code bootstrapServers}, raw bytes. */
  public static Map<String, Object> producerSettings(String bootstrapServers) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return config;
  }

  /** Sends {@code events} to one partition of {@code topic}, keyed by nothing, and waits. */
  public static void send(
      String bootstrapServers, String topic, int partition, List<String> events) {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(producerSettings(bootstrapServers))) {
      for (String event : events) {
        producer.send(
            new ProducerRecord<>(topic, partition, null, event.getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
  }
}
