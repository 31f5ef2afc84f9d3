package io.tributary.pipelines.source;

import io.tributary.contracts.FieldType;
import io.tributary.contracts.ParseOutcome;
import io.tributary.pipelines.silver.RecordParser;
import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Streaming timestamps from the payload's {@code event_time}, so that gold windows are event-time
 * windows. The payload is parsed by {@link RecordParser}, exactly as the silver stage parses it: an
 * element's timestamp is the {@code event_time} silver holds, however the producer wrote the JSON
 * (Python's {@code json.dumps} puts a space after each colon; a nested or escaped {@code
 * event_time} is no event time).
 *
 * <p>The watermark of a partition is the greatest event time seen in it, less {@link #SLACK}: the
 * generators and most producers emit each partition roughly in event-time order, and events behind
 * the watermark are handled by allowed lateness. Records silver will not hold (they end up in
 * quarantine) take the partition's current greatest event time, so they never move the watermark. A
 * partition that has never had a record holds the watermark back, as with any per-partition
 * watermark. Parsing here and again in the silver stage costs a second parse per record on this
 * path.
 */
public final class EventTimePolicy extends TimestampPolicy<byte[], byte[]> {
  /** How far behind the newest event the watermark stays. */
  static final Duration SLACK = Duration.standardSeconds(5);

  private static final Instant EARLIEST = new Instant(FieldType.EARLIEST_TIMESTAMP.toEpochMilli());
  private static final Instant LATEST = new Instant(FieldType.END_OF_TIMESTAMPS.toEpochMilli() - 1);

  private final RecordParser parser;
  private Instant maxEventTime = BoundedWindow.TIMESTAMP_MIN_VALUE;

  EventTimePolicy(String dataset, Optional<Instant> previousWatermark) {
    this.parser = new RecordParser(dataset);
    previousWatermark.ifPresent(watermark -> maxEventTime = watermark.plus(SLACK));
  }

  /** The factory KafkaIO uses, one policy per partition. */
  public static TimestampPolicyFactory<byte[], byte[]> factory(String dataset) {
    return (TopicPartition partition, Optional<Instant> previousWatermark) ->
        new EventTimePolicy(dataset, previousWatermark);
  }

  @Override
  public Instant getTimestampForRecord(
      PartitionContext context, KafkaRecord<byte[], byte[]> record) {
    Instant eventTime = eventTime(record.getKV().getValue(), record.getTimestamp());
    if (eventTime == null) {
      if (maxEventTime.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE)) {
        return maxEventTime;
      }
      // Any Kafka timestamp, even a wild one, stays within what Beam can hold.
      Instant kafkaTime = new Instant(record.getTimestamp());
      return kafkaTime.isBefore(EARLIEST)
          ? EARLIEST
          : kafkaTime.isAfter(LATEST) ? LATEST : kafkaTime;
    }
    if (eventTime.isAfter(maxEventTime)) {
      maxEventTime = eventTime;
    }
    return eventTime;
  }

  @Override
  public Instant getWatermark(PartitionContext context) {
    return maxEventTime.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE.plus(SLACK))
        ? maxEventTime.minus(SLACK)
        : BoundedWindow.TIMESTAMP_MIN_VALUE;
  }

  /** The event time silver will hold for this record, or null when it goes to quarantine. */
  Instant eventTime(byte[] payload, long kafkaTimestampMillis) {
    ParseOutcome outcome = parser.parse(payload, kafkaTimestampMillis);
    return outcome instanceof ParseOutcome.Valid valid
        ? new Instant(parser.eventTimeMillis(valid))
        : null;
  }
}
