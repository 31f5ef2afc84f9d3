package io.tributary.pipelines.silver;

import io.tributary.pipelines.combine.CombinePerKey;
import io.tributary.pipelines.lakehouse.append.WriteTable;
import io.tributary.pipelines.offsets.OffsetRanges;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
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
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
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
public final class DeduplicateEvents extends PTransform<PCollection<Row>, PCollectionTuple> {
  /** The first row of each event id. */
  public static final TupleTag<Row> UNIQUE = new TupleTag<>() {};

  /** Kafka offsets of the rows dropped as duplicates (silver accounts for them without a row). */
  public static final TupleTag<OffsetRanges> ACCOUNTED_WITHOUT_ROWS = new TupleTag<>() {};

  /** Hash buckets of the streaming path's state. */
  static final int STREAM_BUCKETS = 256;

  /** A bucket's state is pruned of ids older than the horizon each time it grows by this many. */
  static final int PRUNE_EVERY = 1024;

  /** Hash buckets of the bounded path. */
  static final int BUCKETS = 64;

  private final String dataset;
  private final Duration horizon;
  private final KnownEvents known;
  private final OffsetRanges inSilver;

  public DeduplicateEvents(String dataset, Duration horizon) {
    this(dataset, horizon, KnownEvents.none(), OffsetRanges.empty());
  }

  /**
   * @param known event ids already in silver: their occurrences in the input are duplicates too
   *     (re-sends, or records a restart reads again)
   * @param inSilver Kafka offsets silver has accounted for: rows from them (read again by a
   *     restart) are left out without being counted as duplicates, whatever their id
   */
  public DeduplicateEvents(
      String dataset, Duration horizon, KnownEvents known, OffsetRanges inSilver) {
    this.dataset = dataset;
    this.horizon = horizon;
    this.known = known;
    this.inSilver = inSilver.copy();
  }

  @Override
  public PCollectionTuple expand(PCollection<Row> events) {
    PCollectionTuple outputs =
        events.isBounded() == PCollection.IsBounded.BOUNDED
            ? deduplicateBatch(events)
            : deduplicateStream(events);
    outputs.get(UNIQUE).setRowSchema(events.getSchema());
    outputs.get(ACCOUNTED_WITHOUT_ROWS).setCoder(SerializableCoder.of(OffsetRanges.class));
    return outputs;
  }

  private PCollectionTuple deduplicateBatch(PCollection<Row> events) {
    Schema schema = events.getSchema();
    // The combine emits each result at its earliest event time (EARLIEST) and holds the watermark
    // there, so restoring every row's own (later) event time below never makes it late for the gold
    // windows downstream. Input already in the global window (a drain's parsed rows) is not
    // re-windowed: on the DirectRunner every step costs per element.
    PCollection<Row> whole =
        WriteTable.inGlobalWindow(events)
            ? events
            : events.apply(
                "WholeInput",
                Window.<Row>into(new GlobalWindows())
                    .withTimestampCombiner(TimestampCombiner.EARLIEST));
    return keyByIdHash(whole, BUCKETS)
        // Partial de-duplication happens within bundles, before the shuffle (see CombinePerKey).
        .apply("FirstPerEventId", CombinePerKey.of(new FirstPerEventId()))
        .apply(
            "EmitFirsts",
            ParDo.of(new EmitFirstsFn(dataset, known, inSilver))
                .withOutputTags(UNIQUE, TupleTagList.of(ACCOUNTED_WITHOUT_ROWS)));
  }

  private PCollectionTuple deduplicateStream(PCollection<Row> events) {
    Schema schema = events.getSchema();
    // The global window: windowed state holds the watermark downstream until its window expires,
    // so gold would accept events far beyond its allowed lateness. Memory is bounded by pruning.
    PCollection<Row> whole = events.apply("WholeStream", Window.<Row>into(new GlobalWindows()));
    return keyByIdHash(whole, STREAM_BUCKETS)
        .apply(
            "KeepFirst",
            ParDo.of(new KeepFirstFn(dataset, horizon, known, inSilver))
                .withOutputTags(UNIQUE, TupleTagList.of(ACCOUNTED_WITHOUT_ROWS)));
  }

  private static int bucket(String eventId, int buckets) {
    return Math.floorMod(eventId.hashCode(), buckets);
  }

  /** Keys each row by a hash bucket of its event id. */
  private static PCollection<KV<Integer, Row>> keyByIdHash(PCollection<Row> events, int buckets) {
    return events
        .apply(
            "KeyByIdHash",
            WithKeys.<Integer, Row>of(row -> bucket(row.getString("event_id"), buckets))
                .withKeyType(TypeDescriptors.integers()))
        .setCoder(KvCoder.of(VarIntCoder.of(), events.getCoder()));
  }

  private static boolean isInSilver(OffsetRanges inSilver, Row row) {
    return !inSilver.isEmpty()
        && inSilver.contains(
            row.getInt32(SilverSchema.KAFKA_PARTITION), row.getInt64(SilverSchema.KAFKA_OFFSET));
  }

  /** The event time of a silver row (the combining step emits rows at their group's earliest). */
  private static org.joda.time.Instant eventTime(Row row) {
    return row.getDateTime("event_time").toInstant();
  }

  static final class EmitFirstsFn extends DoFn<KV<Integer, FirstPerEventId.Firsts>, Row> {
    private final Counter duplicates;
    private final Counter replayed;
    private final KnownEvents knownEvents;
    private final OffsetRanges inSilver;
    private transient KnownEvents.Lookup known;

    EmitFirstsFn(String dataset, KnownEvents known, OffsetRanges inSilver) {
      this.duplicates = Metrics.counter("tributary." + dataset, "duplicates_dropped");
      this.replayed = Metrics.counter("tributary." + dataset, "already_in_silver");
      this.knownEvents = known;
      this.inSilver = inSilver;
    }

    @Setup
    public void setup() {
      known = knownEvents.ids();
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, FirstPerEventId.Firsts> bucket, MultiOutputReceiver out) {
      FirstPerEventId.Firsts firsts = bucket.getValue();
      OffsetRanges dropped = firsts.dropped.copy();
      long count = firsts.duplicates();
      for (Row row : firsts.byId.values()) {
        if (isInSilver(inSilver, row)) {
          replayed.inc();
          continue;
        }
        if (known.contains(row.getString("event_id"))) {
          dropped.add(
              row.getInt32(SilverSchema.KAFKA_PARTITION), row.getInt64(SilverSchema.KAFKA_OFFSET));
          count++;
          continue;
        }
        out.get(UNIQUE).outputWithTimestamp(row, eventTime(row));
      }
      duplicates.inc(count);
      if (!dropped.isEmpty()) {
        out.get(ACCOUNTED_WITHOUT_ROWS).output(dropped);
      }
    }
  }

  /**
   * Remembers, per hash bucket, the event ids seen with their event times, and forgets ids whose
   * event time is more than the horizon behind the newest event of the bucket (state only: no
   * timers, which Spark streaming rejects). Ids silver held when the run started are looked up in
   * {@link KnownEvents}.
   */
  static final class KeepFirstFn extends DoFn<KV<Integer, Row>, Row> {
    @StateId("seen")
    private final StateSpec<ValueState<Map<String, Long>>> seenSpec =
        StateSpecs.value(MapCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));

    private final Counter duplicates;
    private final long horizonMillis;
    private final KnownEvents knownEvents;
    private final OffsetRanges inSilver;
    private final Counter replayed;
    private transient KnownEvents.Lookup known;

    KeepFirstFn(String dataset, Duration horizon, KnownEvents known, OffsetRanges inSilver) {
      this.duplicates = Metrics.counter("tributary." + dataset, "duplicates_dropped");
      this.replayed = Metrics.counter("tributary." + dataset, "already_in_silver");
      this.horizonMillis = horizon.getMillis();
      this.knownEvents = known;
      this.inSilver = inSilver;
    }

    @Setup
    public void setup() {
      known = knownEvents.ids();
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Row> event,
        @StateId("seen") ValueState<Map<String, Long>> seenState,
        MultiOutputReceiver out) {
      Map<String, Long> seen = seenState.read();
      if (seen == null) {
        seen = new HashMap<>();
      }
      Row row = event.getValue();
      if (isInSilver(inSilver, row)) {
        replayed.inc();
        return;
      }
      String id = row.getString("event_id");
      // Ids silver already held when the run started are looked up there, not copied per bucket.
      if (seen.containsKey(id) || known.contains(id)) {
        duplicates.inc();
        out.get(ACCOUNTED_WITHOUT_ROWS)
            .output(
                OffsetRanges.empty()
                    .add(
                        row.getInt32(SilverSchema.KAFKA_PARTITION),
                        row.getInt64(SilverSchema.KAFKA_OFFSET)));
        return;
      }
      long eventTime = eventTime(row).getMillis();
      seen.put(id, eventTime);
      if (seen.size() % PRUNE_EVERY == 0) {
        long newest = seen.values().stream().mapToLong(Long::longValue).max().orElse(eventTime);
        seen.values().removeIf(time -> time < newest - horizonMillis);
      }
      seenState.write(seen);
      out.get(UNIQUE).output(row);
    }
  }
}
