package io.tributary.pipelines.silver;

import io.tributary.pipelines.gold.CombinePerKey;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Keeps the first occurrence of each {@code event_id} and drops re-sends. Element timestamps (event
 * times) are kept.
 *
 * <p>Bounded input (drain): events are combined into {@link #BUCKETS} buckets by a hash of the
 * event id, each keeping the first row of each id ({@link FirstPerEventId}); every duplicate in the
 * input is dropped. Partial results are combined within bundles before the shuffle, and grouping by
 * bucket rather than by id keeps the runner's per-key bookkeeping to a few dozen keys instead of
 * one per event.
 *
 * <p>Unbounded input (streaming): a state-only DoFn over {@link #STREAM_BUCKETS} hash buckets in
 * the global window (the Spark streaming runner rejects timers, and so Beam's {@code Deduplicate});
 * each bucket remembers the ids it saw with their event times and forgets those more than the
 * horizon behind its newest event. A duplicate is recognised while its original is remembered,
 * which covers re-sends (byte-identical, so with the same event time) within the horizon.
 */
public final class DeduplicateEvents extends PTransform<PCollection<Row>, PCollection<Row>> {
  /** Hash buckets of the streaming path's state. */
  static final int STREAM_BUCKETS = 256;

  /** A bucket's state is pruned of ids older than the horizon each time it grows by this many. */
  static final int PRUNE_EVERY = 1024;

  /** Hash buckets of the bounded path. */
  static final int BUCKETS = 64;

  private final String dataset;
  private final Duration horizon;

  public DeduplicateEvents(String dataset, Duration horizon) {
    this.dataset = dataset;
    this.horizon = horizon;
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> events) {
    return events.isBounded() == PCollection.IsBounded.BOUNDED
        ? deduplicateBatch(events)
        : deduplicateStream(events);
  }

  private PCollection<Row> deduplicateBatch(PCollection<Row> events) {
    Schema schema = events.getSchema();
    // EARLIEST: each result is emitted at its earliest event time and holds the watermark there,
    // so restoring every row's own (later) event time below never makes it late for the gold
    // windows downstream.
    PCollection<Row> whole =
        events.apply(
            "WholeInput",
            Window.<Row>into(new GlobalWindows())
                .withTimestampCombiner(TimestampCombiner.EARLIEST));
    return keyByIdHash(whole, BUCKETS)
        // Partial de-duplication happens within bundles, before the shuffle (see CombinePerKey).
        .apply("FirstPerEventId", CombinePerKey.of(new FirstPerEventId()))
        .apply("EmitFirsts", ParDo.of(new EmitFirstsFn(dataset)))
        .setRowSchema(schema);
  }

  private PCollection<Row> deduplicateStream(PCollection<Row> events) {
    Schema schema = events.getSchema();
    // The global window: windowed state holds the watermark downstream until its window expires,
    // so gold would accept events far beyond its allowed lateness. Memory is bounded by pruning.
    PCollection<Row> whole = events.apply("WholeStream", Window.<Row>into(new GlobalWindows()));
    return keyByIdHash(whole, STREAM_BUCKETS)
        .apply("KeepFirst", ParDo.of(new KeepFirstFn(dataset, horizon)))
        .setRowSchema(schema);
  }

  /** Keys each row by a hash bucket of its event id. */
  private static PCollection<KV<Integer, Row>> keyByIdHash(PCollection<Row> events, int buckets) {
    return events
        .apply(
            "KeyByIdHash",
            WithKeys.<Integer, Row>of(
                    row -> Math.floorMod(row.getString("event_id").hashCode(), buckets))
                .withKeyType(TypeDescriptors.integers()))
        .setCoder(KvCoder.of(VarIntCoder.of(), events.getCoder()));
  }

  /** The event time of a silver row (the combining step emits rows at their group's earliest). */
  private static org.joda.time.Instant eventTime(Row row) {
    return row.getDateTime("event_time").toInstant();
  }

  static final class EmitFirstsFn extends DoFn<KV<Integer, FirstPerEventId.Firsts>, Row> {
    private final Counter duplicates;

    EmitFirstsFn(String dataset) {
      this.duplicates = Metrics.counter("tributary." + dataset, "duplicates_dropped");
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, FirstPerEventId.Firsts> bucket, OutputReceiver<Row> out) {
      FirstPerEventId.Firsts firsts = bucket.getValue();
      duplicates.inc(firsts.duplicates());
      for (Row row : firsts.byId.values()) {
        out.outputWithTimestamp(row, eventTime(row));
      }
    }
  }

  /**
   * Remembers, per hash bucket, the event ids seen with their event times, and forgets ids whose
   * event time is more than the horizon behind the newest event of the bucket (state only: no
   * timers, which Spark streaming rejects).
   */
  static final class KeepFirstFn extends DoFn<KV<Integer, Row>, Row> {
    @StateId("seen")
    private final StateSpec<ValueState<Map<String, Long>>> seenSpec =
        StateSpecs.value(MapCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));

    private final Counter duplicates;
    private final long horizonMillis;

    KeepFirstFn(String dataset, Duration horizon) {
      this.duplicates = Metrics.counter("tributary." + dataset, "duplicates_dropped");
      this.horizonMillis = horizon.getMillis();
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Row> event,
        @StateId("seen") ValueState<Map<String, Long>> seenState,
        OutputReceiver<Row> out) {
      Map<String, Long> seen = seenState.read();
      if (seen == null) {
        seen = new HashMap<>();
      }
      Row row = event.getValue();
      String id = row.getString("event_id");
      if (seen.containsKey(id)) {
        duplicates.inc();
        return;
      }
      long eventTime = eventTime(row).getMillis();
      seen.put(id, eventTime);
      if (seen.size() % PRUNE_EVERY == 0) {
        long newest = seen.values().stream().mapToLong(Long::longValue).max().orElse(eventTime);
        seen.values().removeIf(time -> time < newest - horizonMillis);
      }
      seenState.write(seen);
      out.output(row);
    }
  }
}
