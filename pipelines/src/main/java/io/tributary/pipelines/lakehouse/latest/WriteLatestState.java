package io.tributary.pipelines.lakehouse.latest;

import io.delta.kernel.engine.Engine;
import io.tributary.pipelines.combine.CombinePerKey;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.append.CommitDataFiles;
import io.tributary.pipelines.lakehouse.append.WriteSettings;
import io.tributary.pipelines.lakehouse.append.WriteTable;
import io.tributary.pipelines.lakehouse.delta.MergeCommit;
import io.tributary.pipelines.lakehouse.storage.LakeFiles;
import io.tributary.pipelines.offsets.OffsetRanges;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.AfterFirst;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Duration;

/**
 * Keeps a Delta table holding exactly one row per key: the row with the greatest ordering columns
 * of all rows ever written (ties broken by the whole row), e.g. students by {@code student_id},
 * latest by ({@code event_time}, {@code kafka_offset}). Any Delta reader reads the table as it is;
 * there is no "pick the latest" view to apply. The table (created beforehand with {@code
 * lakehouse.create(table, true)}, Delta only) has the input rows' columns.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>Bounded input: one commit at the end. Unbounded input: one commit per pane, a pane closing
 *       {@code flushInterval} after its first row or at {@code maxRowsPerFile} rows (as {@link
 *       WriteTable}'s); a pane that changes nothing commits nothing.
 *   <li>Rows are reduced to the latest per key before the shuffle (a combine), and each pane is
 *       merged into the table by a single committer in one Delta commit ({@link MergeCommit}):
 *       readers see the pane's updates all or none. Concurrent writers of the table (another
 *       pipeline) are merged with, never overwritten.
 *   <li>Idempotent: writing rows again leaves the table's rows as they are. With lineage in the
 *       write settings, each commit also records the Kafka offsets of all the pane's rows (and
 *       those of {@link #accountingFor}) like {@link WriteTable}, so a restart knows what the table
 *       has.
 *   <li>The table is spread over {@link #withBuckets buckets} by key hash, one Parquet file per
 *       bucket; a commit rewrites the buckets whose rows change. The layout is recorded in the
 *       table and cannot change afterwards.
 *   <li>Change data feed: a commit's removes and adds carry {@code dataChange} and no {@code
 *       _change_data} files, so a rewritten bucket reads as all its old rows deleted and all its
 *       new rows inserted, unchanged keys of the bucket included.
 *   <li>Input windowing is discarded. Output: per commit, the number of keys whose row was inserted
 *       or replaced; also counted in {@code tributary.lakehouse/latest_rows_changed.<table>}.
 * </ul>
 *
 * <p>Uses only Combine and stateless DoFns (no state, timers, GroupIntoBatches or splittable
 * DoFns), so it runs on the Spark streaming runner too. A pane holds the latest row of each key it
 * saw, so the number of keys (not rows) per pane bounds the committer's memory.
 */
public final class WriteLatestState extends PTransform<PCollection<Row>, PCollection<Long>> {
  /** Buckets of a table unless {@link #withBuckets} says otherwise. */
  public static final int DEFAULT_BUCKETS = 16;

  private final TableSpec table;
  private final LatestStateLayout layout;
  private final WriteSettings settings;
  private final PCollection<OffsetRanges> accountedWithoutRows;

  private WriteLatestState(
      TableSpec table,
      LatestStateLayout layout,
      WriteSettings settings,
      PCollection<OffsetRanges> accountedWithoutRows) {
    super("WriteLatestState(" + table.name() + ")");
    this.table = table;
    this.layout = layout;
    this.settings = settings;
    this.accountedWithoutRows = accountedWithoutRows;
  }

  /**
   * Writes the latest row per {@code keyColumns} to {@code table}, latest by {@code
   * orderingColumns} compared in order (nulls lowest).
   *
   * @throws IllegalArgumentException naming the column when a key or ordering column is not one of
   *     the table's
   */
  public static WriteLatestState to(
      TableSpec table,
      List<String> keyColumns,
      List<String> orderingColumns,
      WriteSettings settings) {
    return new WriteLatestState(
        table,
        new LatestStateLayout(
            table.name(), table.schema(), keyColumns, orderingColumns, DEFAULT_BUCKETS),
        settings,
        null);
  }

  /**
   * Spreads the table over {@code buckets} files (default {@value #DEFAULT_BUCKETS}): more for
   * tables with many keys, since a changed key rewrites its whole bucket. Fixed when the table is
   * first written.
   */
  public WriteLatestState withBuckets(int buckets) {
    return new WriteLatestState(
        table,
        new LatestStateLayout(
            table.name(), table.schema(), layout.keys(), layout.ordering(), buckets),
        settings,
        accountedWithoutRows);
  }

  /**
   * Also commits these Kafka offsets as accounted for without rows (records that do not belong in
   * the table), with the rows of the same pane.
   */
  public WriteLatestState accountingFor(PCollection<OffsetRanges> offsets) {
    return new WriteLatestState(table, layout, settings, offsets);
  }

  @Override
  public PCollection<Long> expand(PCollection<Row> input) {
    table.checkRows(input, settings.lineage());
    if (accountedWithoutRows != null && settings.lineage().isEmpty()) {
      throw new IllegalArgumentException(
          "table " + table.name() + " accounts for Kafka offsets: its write settings need lineage");
    }
    boolean bounded =
        input.isBounded() == PCollection.IsBounded.BOUNDED
            && (accountedWithoutRows == null
                || accountedWithoutRows.isBounded() == PCollection.IsBounded.BOUNDED);
    Coder<LatestRows> coder = LatestRows.coder(layout);
    PCollection<LatestRows> updates =
        input
            .apply("ToUpdates", ParDo.of(new ToUpdates(layout, settings.lineage().orElse(null))))
            .setCoder(coder)
            .apply("Batch", batch(bounded));
    if (accountedWithoutRows != null) {
      PCollection<LatestRows> accounted =
          accountedWithoutRows
              .apply(
                  "AccountedToUpdates",
                  MapElements.into(TypeDescriptor.of(LatestRows.class))
                      .via(LatestRows::accountedOnly))
              .setCoder(coder)
              .apply("BatchAccounted", batch(bounded));
      updates =
          PCollectionList.of(updates)
              .and(accounted)
              .apply("WithAccounted", Flatten.pCollections())
              .setCoder(coder);
    }
    return latestPerKey(updates, bounded, coder)
        .apply("Commit", ParDo.of(new Commit(table, layout, settings.accountedTopic())))
        .setCoder(VarLongCoder.of());
  }

  /**
   * Reduces each pane to one {@link LatestRows} for the single committer. Bounded, through {@link
   * CombinePerKey} under one key: it merges within bundles first and buffers each bundle's result
   * as one block of bytes, where a plain global combine on the DirectRunner buffers every row's
   * update and copies them all each time a bundle adds to them.
   */
  private PCollection<LatestRows> latestPerKey(
      PCollection<LatestRows> updates, boolean bounded, Coder<LatestRows> coder) {
    if (!bounded) {
      return updates
          .apply("LatestPerKey", Combine.globally(new LatestRows.Merge(layout)).withoutDefaults())
          .setCoder(coder);
    }
    return updates
        .apply("OneCommitter", WithKeys.of(0))
        .setCoder(KvCoder.of(VarIntCoder.of(), coder))
        .apply("LatestPerKey", CombinePerKey.of(new LatestRows.Merge(layout)))
        .apply("Latest", Values.create())
        .setCoder(coder);
  }

  /**
   * The panes: the whole input when bounded; otherwise one per {@code flushInterval} after a pane's
   * first element, or per {@code maxRowsPerFile} elements, whichever comes first.
   */
  private Window<LatestRows> batch(boolean bounded) {
    Window<LatestRows> global = Window.into(new GlobalWindows());
    return (bounded
            ? global.triggering(DefaultTrigger.of())
            : global.triggering(
                Repeatedly.forever(
                    AfterFirst.of(
                        AfterPane.elementCountAtLeast(settings.maxRowsPerFile()),
                        AfterProcessingTime.pastFirstElementInPane()
                            .plusDelayOf(settings.flushInterval())))))
        .discardingFiredPanes()
        .withAllowedLateness(Duration.ZERO);
  }

  /** Each row as the latest of its key, with its Kafka offset when lineage is tracked. */
  private static final class ToUpdates extends DoFn<Row, LatestRows> {
    private final LatestStateLayout layout;
    private final WriteSettings.Lineage lineage;

    ToUpdates(LatestStateLayout layout, WriteSettings.Lineage lineage) {
      this.layout = layout;
      this.lineage = lineage;
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<LatestRows> out) {
      out.output(LatestRows.of(layout, row, lineage));
    }
  }

  /** Merges each pane into the table (see {@link MergeCommit}). */
  private static final class Commit extends DoFn<LatestRows, Long> {
    private final TableSpec table;
    private final LatestStateLayout layout;
    // Optional is not serializable; null means offsets are not tracked.
    private final String topic;

    private transient Engine engine;
    private transient Counter changed;

    Commit(TableSpec table, LatestStateLayout layout, Optional<String> topic) {
      this.table = table;
      this.layout = layout;
      this.topic = topic.orElse(null);
    }

    @Setup
    public void setup() {
      LakeFiles.register(table.storage());
      engine = LakeFiles.engine();
      changed =
          Metrics.counter(CommitDataFiles.METRICS_NAMESPACE, "latest_rows_changed." + table.name());
    }

    @ProcessElement
    public void process(@Element LatestRows pane, OutputReceiver<Long> out) {
      long keys = MergeCommit.commit(engine, table, layout, pane, Optional.ofNullable(topic));
      changed.inc(keys);
      out.output(keys);
    }
  }
}
