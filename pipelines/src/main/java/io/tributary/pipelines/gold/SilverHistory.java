package io.tributary.pipelines.gold;

import io.tributary.pipelines.lakehouse.TableReader;
import io.tributary.pipelines.lakehouse.TimeSpan;
import io.tributary.pipelines.lakehouse.storage.LakeStorage;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The silver rows a gold computation needs besides the new ones: every row already committed to
 * silver (at the version read when the pipeline was built) in a window the computation touches.
 * Gold is then computed over whole windows, so each gold row equals the aggregate of silver's rows
 * in its window, whatever earlier runs (killed or not) wrote for it.
 *
 * <p>Touched windows are those holding a new row (bounded input: known once the new rows are read,
 * hence a side input) and those of {@code alsoSpans}, the windows of silver commits that no
 * completed drain has folded into gold yet. Each row is emitted with its {@code event_time} as
 * timestamp, in the global window, like the new rows.
 */
public final class SilverHistory extends PTransform<PBegin, PCollection<Row>> {
  private final String silverPath;
  private final LakeStorage storage;
  private final long version;
  private final Schema schema;
  private final Duration window;
  private final PCollection<Row> fresh;
  private final List<TimeSpan> alsoSpans;

  /**
   * @param silverPath the silver table
   * @param version the silver version to read, the one before this run's commits
   * @param schema the silver rows' schema
   * @param window the windows to recompute whole (the longest window of the dataset's views)
   * @param fresh the new silver rows of this run (bounded)
   * @param alsoSpans spans to recompute whatever the new rows are
   */
  public SilverHistory(
      String silverPath,
      LakeStorage storage,
      long version,
      Schema schema,
      Duration window,
      PCollection<Row> fresh,
      List<TimeSpan> alsoSpans) {
    this.silverPath = silverPath;
    this.storage = storage;
    this.version = version;
    this.schema = schema;
    this.window = window;
    this.fresh = fresh;
    this.alsoSpans = List.copyOf(alsoSpans);
  }

  /**
   * Streaming: the silver rows of {@code spans} only (no new rows are known when a streaming run
   * starts).
   */
  public static SilverHistory ofSpans(
      String silverPath,
      LakeStorage storage,
      long version,
      Schema schema,
      Duration window,
      List<TimeSpan> spans) {
    return new SilverHistory(silverPath, storage, version, schema, window, null, spans);
  }

  @Override
  public PCollection<Row> expand(PBegin begin) {
    long size = window.getMillis();
    if (fresh == null) {
      return begin
          .apply("SilverVersion", Create.of(version).withCoder(VarLongCoder.of()))
          .apply(
              "ReadWindows",
              ParDo.of(new ReadWindowsFn(silverPath, storage, schema, size, alsoSpans, null)))
          .setRowSchema(schema);
    }
    PCollectionView<List<Long>> touched =
        fresh
            .apply(
                "TouchedWindows",
                MapElements.into(TypeDescriptors.longs())
                    .via(row -> Math.floorDiv(row.getDateTime("event_time").getMillis(), size)))
            .apply("Distinct", Distinct.create())
            .apply("AsList", View.asList());
    return begin
        .apply("SilverVersion", Create.of(version).withCoder(VarLongCoder.of()))
        .apply(
            "ReadWindows",
            ParDo.of(new ReadWindowsFn(silverPath, storage, schema, size, alsoSpans, touched))
                .withSideInputs(touched))
        .setRowSchema(schema);
  }

  private static final class ReadWindowsFn extends DoFn<Long, Row> {
    private final String silverPath;
    private final LakeStorage storage;
    private final Schema schema;
    private final long size;
    private final List<TimeSpan> spans;
    private final PCollectionView<List<Long>> touched;

    ReadWindowsFn(
        String silverPath,
        LakeStorage storage,
        Schema schema,
        long size,
        List<TimeSpan> spans,
        PCollectionView<List<Long>> touched) {
      this.silverPath = silverPath;
      this.storage = storage;
      this.schema = schema;
      this.size = size;
      this.spans = spans;
      this.touched = touched;
    }

    @ProcessElement
    public void process(@Element Long version, ProcessContext context) {
      Set<Long> windows =
          touched == null ? new HashSet<>() : new HashSet<>(context.sideInput(touched));
      long from = Long.MAX_VALUE;
      for (long index : windows) {
        from = Math.min(from, index * size);
      }
      for (TimeSpan span : spans) {
        from = Math.min(from, span.startMillis());
      }
      if (from == Long.MAX_VALUE) {
        return;
      }
      TableReader.register(storage);
      TableReader.readSince(
          silverPath,
          version,
          "event_time",
          java.time.Instant.ofEpochMilli(from),
          schema,
          row -> {
            long time = row.getDateTime("event_time").getMillis();
            if (windows.contains(Math.floorDiv(time, size))
                || spans.stream().anyMatch(span -> span.contains(time))) {
              context.outputWithTimestamp(row, new Instant(time));
            }
          });
    }
  }
}
