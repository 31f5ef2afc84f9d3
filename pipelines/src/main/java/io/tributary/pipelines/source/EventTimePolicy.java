package io.tributary.pipelines.source;

import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeParseException;
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
 * windows.
 *
 * <p>The watermark of a partition is the greatest event time seen in it, less {@link #SLACK}: the
 * generators and most producers emit each partition roughly in event-time order, and events behind
 * the watermark are handled by allowed lateness. Records without a readable {@code event_time}
 * (they end up in quarantine) take the partition's current greatest event time, so they never move
 * the watermark. A partition that has never had a record holds the watermark back, as with any
 * per-partition watermark.
 */
public final class EventTimePolicy extends TimestampPolicy<byte[], byte[]> {
  /** How far behind the newest event the watermark stays. */
  static final Duration SLACK = Duration.standardSeconds(5);

  private static final byte[] FIELD = "\"event_time\":\"".getBytes(StandardCharsets.UTF_8);

  private Instant maxEventTime = BoundedWindow.TIMESTAMP_MIN_VALUE;

  EventTimePolicy(Optional<Instant> previousWatermark) {
    previousWatermark.ifPresent(watermark -> maxEventTime = watermark.plus(SLACK));
  }

  /** The factory KafkaIO uses, one policy per partition. */
  public static TimestampPolicyFactory<byte[], byte[]> factory() {
    return (TopicPartition partition, Optional<Instant> previousWatermark) ->
        new EventTimePolicy(previousWatermark);
  }

  @Override
  public Instant getTimestampForRecord(
      PartitionContext context, KafkaRecord<byte[], byte[]> record) {
    Instant eventTime = extractEventTime(record.getKV().getValue());
    if (eventTime == null) {
      return maxEventTime.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE)
          ? maxEventTime
          : new Instant(record.getTimestamp());
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

  /**
   * Finds {@code "event_time":"<instant>"} in a JSON payload without parsing the whole document;
   * null when absent or unreadable. The full parse happens once, in the silver stage.
   */
  static Instant extractEventTime(byte[] payload) {
    if (payload == null) {
      return null;
    }
    int at = indexOf(payload, FIELD);
    if (at < 0) {
      return null;
    }
    int start = at + FIELD.length;
    int end = start;
    while (end < payload.length && payload[end] != '"') {
      end++;
    }
    if (end >= payload.length || end - start > 40) {
      return null;
    }
    try {
      return new Instant(
          java.time.Instant.parse(
                  new String(payload, start, end - start, StandardCharsets.US_ASCII))
              .toEpochMilli());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
