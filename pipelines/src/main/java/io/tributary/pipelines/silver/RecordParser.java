package io.tributary.pipelines.silver;

import io.tributary.contracts.Contract;
import io.tributary.contracts.EventParser;
import io.tributary.contracts.ParseOutcome;
import io.tributary.contracts.ParseOutcome.Rejected;
import io.tributary.contracts.ParseOutcome.Stage;
import io.tributary.contracts.ParseOutcome.Valid;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Parses one Kafka record as silver sees it: the value against the dataset's contract, then the
 * event's {@code event_time} against the record's Kafka timestamp. {@link ParseEvents} (silver and
 * quarantine) and the unbounded read's {@code EventTimePolicy} (element timestamps and watermarks)
 * both use it, so a streaming element is always timestamped with the {@code event_time} silver
 * holds, whatever the JSON looks like.
 *
 * <p>An {@code event_time} more than {@link #MAX_AHEAD} after the Kafka timestamp, or more than
 * {@link #MAX_BEHIND} before it, is taken for a wrong clock and quarantined (rule {@code
 * clock-skew}): one such event would otherwise carry silver's newest event time (from which the
 * de-duplication horizon and a streaming restart's gold are measured) or a partition's watermark
 * far away. The Kafka timestamp is part of the record, so the outcome is the same on every read of
 * it. A record without one (timestamp -1, from very old producers) is only held to the contract.
 * Not thread-safe: one per thread.
 */
public final class RecordParser {
  /**
   * How far an event may be ahead of its Kafka timestamp: the tolerance Kafka 4 brokers give
   * producer timestamps by default ({@code log.message.timestamp.after.max.ms}).
   */
  public static final Duration MAX_AHEAD = Duration.ofHours(1);

  /**
   * How far an event may be behind its Kafka timestamp: late data and replays of history are
   * events; a device clock reset to 1970 or 2000 is not.
   */
  public static final Duration MAX_BEHIND = Duration.ofDays(3650);

  static final String EVENT_TIME = "event_time";

  private final EventParser parser;
  private final int eventTimeIndex;

  public RecordParser(String dataset) {
    Contract contract = Contract.forDataset(dataset);
    this.parser = contract.parser();
    this.eventTimeIndex = contract.indexOf(EVENT_TIME);
    if (eventTimeIndex < 0) {
      throw new IllegalArgumentException(
          "the contract of " + dataset + " has no " + EVENT_TIME + " field");
    }
  }

  /**
   * The outcome for one record; never throws for bad input.
   *
   * @param value the record's value, possibly null (a tombstone)
   * @param kafkaTimestampMillis the record's Kafka timestamp, negative when it has none
   */
  public ParseOutcome parse(byte[] value, long kafkaTimestampMillis) {
    ParseOutcome outcome = parser.parse(value);
    if (!(outcome instanceof Valid valid) || kafkaTimestampMillis < 0) {
      return outcome;
    }
    Instant eventTime = (Instant) valid.values()[eventTimeIndex];
    return clockSkew(eventTime, Instant.ofEpochMilli(kafkaTimestampMillis)).orElse(outcome);
  }

  /** The event time of a valid outcome of {@link #parse}, in milliseconds since the epoch. */
  public long eventTimeMillis(Valid valid) {
    return ((Instant) valid.values()[eventTimeIndex]).toEpochMilli();
  }

  /** The rejection of an event time too far ahead of or behind its Kafka timestamp, if it is. */
  private static Optional<ParseOutcome> clockSkew(Instant eventTime, Instant kafkaTime) {
    boolean ahead = eventTime.isAfter(kafkaTime.plus(MAX_AHEAD));
    if (!ahead && !eventTime.isBefore(kafkaTime.minus(MAX_BEHIND))) {
      return Optional.empty();
    }
    String limit =
        ahead
            ? "more than " + MAX_AHEAD.toHours() + " h ahead"
            : "more than " + MAX_BEHIND.toDays() + " days behind";
    return Optional.of(
        new Rejected(
            Stage.VALIDATE,
            "clock-skew",
            EVENT_TIME,
            "field '"
                + EVENT_TIME
                + "' = "
                + eventTime
                + " is "
                + describe(Duration.between(kafkaTime, eventTime).abs())
                + (ahead ? " after" : " before")
                + " the record's Kafka timestamp "
                + kafkaTime
                + " ("
                + limit
                + " is taken for a wrong clock)"));
  }

  private static String describe(Duration gap) {
    if (gap.toDays() >= 2) {
      return gap.toDays() + " days";
    }
    if (gap.toHours() >= 2) {
      return gap.toHours() + " h";
    }
    return gap.toMinutes() + " min";
  }
}
