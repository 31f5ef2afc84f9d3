package io.tributary.pipelines.silver;

import io.tributary.pipelines.gold.CombinePerKey;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
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
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
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
 * <p>Unbounded input (streaming): a state-only DoFn keyed by event id (the Spark streaming runner
 * rejects timers, and so Beam's {@code Deduplicate}). The "seen" flag lives in {@link
 * #STREAM_BUCKET}-wide event-time windows, which the runner garbage-collects once older than the
 * horizon; a duplicate is recognised while its original's window is alive, which covers re-sends
 * (byte-identical, so with the same event time) within the horizon.
 */
public final class DeduplicateEvents extends PTransform<PCollection<Row>, PCollection<Row>> {
  /** Width of the event-time windows holding the streaming "seen" flags. */
  public static final Duration STREAM_BUCKET = Duration.standardMinutes(10);

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
    return events
        // EARLIEST: each result is emitted at its earliest event time and holds the watermark
        // there, so restoring
        // every row's own (later) event time below never makes it late for the gold windows
        // downstream.
        .apply(
            "WholeInput",
            Window.<Row>into(new GlobalWindows()).withTimestampCombiner(TimestampCombiner.EARLIEST))
        .apply(
            "KeyByIdHash",
            WithKeys.<Integer, Row>of(
                    row -> Math.floorMod(row.getString("event_id").hashCode(), BUCKETS))
                .withKeyType(TypeDescriptors.integers()))
        .setCoder(KvCoder.of(VarIntCoder.of(), events.getCoder()))
        // Partial de-duplication happens within bundles, before the shuffle (see CombinePerKey).
        .apply("FirstPerEventId", CombinePerKey.of(new FirstPerEventId()))
        .apply("EmitFirsts", ParDo.of(new EmitFirstsFn(dataset)))
        .setRowSchema(schema);
  }

  private PCollection<Row> deduplicateStream(PCollection<Row> events) {
    Schema schema = events.getSchema();
    return events
        .apply(
            "BucketByEventTime",
            Window.<Row>into(FixedWindows.of(STREAM_BUCKET))
                .withAllowedLateness(horizon)
                .discardingFiredPanes())
        .apply(
            "KeyByEventId",
            WithKeys.<String, Row>of(row -> row.getString("event_id"))
                .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), events.getCoder()))
        .apply("KeepFirst", ParDo.of(new KeepFirstFn(dataset)))
        .setRowSchema(schema);
  }

  /**
   * The event time of a silver row, which the group-by step replaced with the end of the global
   * window.
   */
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

  static final class KeepFirstFn extends DoFn<KV<String, Row>, Row> {
    @StateId("seen")
    private final StateSpec<ValueState<Boolean>> seenSpec = StateSpecs.value(BooleanCoder.of());

    private final Counter duplicates;

    KeepFirstFn(String dataset) {
      this.duplicates = Metrics.counter("tributary." + dataset, "duplicates_dropped");
    }

    @ProcessElement
    public void process(
        @Element KV<String, Row> event,
        @StateId("seen") ValueState<Boolean> seen,
        OutputReceiver<Row> out) {
      if (Boolean.TRUE.equals(seen.read())) {
        duplicates.inc();
        return;
      }
      seen.write(true);
      out.output(event.getValue());
    }
  }
}
