package io.tributary.pipelines.gold;

import io.tributary.pipelines.lakehouse.DataFileReads;
import io.tributary.pipelines.lakehouse.TableReader;
import io.tributary.pipelines.lakehouse.TimeSpan;
import io.tributary.pipelines.lakehouse.storage.LakeStorage;
import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.LongStream;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
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
 *
 * <p>A first step lists the files of that silver version whose statistics may hold rows of those
 * windows; each file is then read in an element of its own, so a runner spreads the reads over its
 * workers.
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
    PCollectionView<List<Long>> touched =
        fresh == null
            ? null
            : fresh
                .apply(
                    "TouchedWindows",
                    MapElements.into(TypeDescriptors.longs())
                        .via(row -> Math.floorDiv(row.getDateTime("event_time").getMillis(), size)))
                .apply("Distinct", Distinct.create())
                .apply("AsList", View.asList());
    Wanted wanted = new Wanted(size, alsoSpans, touched);
    ParDo.SingleOutput<Long, String> listFiles =
        ParDo.of(new ListFilesFn(silverPath, storage, wanted));
    ParDo.SingleOutput<String, Row> readFile =
        ParDo.of(new ReadFileFn(silverPath, storage, version, schema, wanted));
    if (touched != null) {
      listFiles = listFiles.withSideInputs(touched);
      readFile = readFile.withSideInputs(touched);
    }
    // The files are listed in the pipeline (the touched windows are known only once the new rows
    // are), then each read in an element of its own, which a runner spreads over its workers.
    return begin
        .apply("SilverVersion", Create.of(version).withCoder(VarLongCoder.of()))
        .apply("ListFiles", listFiles)
        .setCoder(StringUtf8Coder.of())
        .apply("OneFileEach", Reshuffle.viaRandomKey())
        .apply("ReadFiles", readFile)
        .setRowSchema(schema);
  }

  /** The windows to read: those of {@code touched} (when there are new rows) and the spans. */
  private static final class Wanted implements Serializable {
    private final long size;
    private final List<TimeSpan> spans;
    private final PCollectionView<List<Long>> touched;

    Wanted(long size, List<TimeSpan> spans, PCollectionView<List<Long>> touched) {
      this.size = size;
      this.spans = spans;
      this.touched = touched;
    }

    /** The touched windows' indexes, from the side input (none without new rows). */
    Set<Long> windows(DoFn<?, ?>.ProcessContext context) {
      return touched == null ? Set.of() : new HashSet<>(context.sideInput(touched));
    }

    /** The start of the earliest window to read, if any. */
    OptionalLong from(Set<Long> windows) {
      LongStream starts =
          LongStream.concat(
              windows.stream().mapToLong(index -> index * size),
              spans.stream().mapToLong(TimeSpan::startMillis));
      return starts.min();
    }

    boolean contains(Set<Long> windows, long millis) {
      return windows.contains(Math.floorDiv(millis, size))
          || spans.stream().anyMatch(span -> span.contains(millis));
    }
  }

  /** The silver files (at the version) whose statistics say they may hold rows to read. */
  private static final class ListFilesFn extends DoFn<Long, String> {
    private final String silverPath;
    private final LakeStorage storage;
    private final Wanted wanted;

    ListFilesFn(String silverPath, LakeStorage storage, Wanted wanted) {
      this.silverPath = silverPath;
      this.storage = storage;
      this.wanted = wanted;
    }

    @ProcessElement
    public void process(@Element Long version, ProcessContext context) {
      OptionalLong from = wanted.from(wanted.windows(context));
      if (from.isEmpty()) {
        return;
      }
      TableReader.register(storage);
      DataFileReads.filesSince(
              silverPath, version, "event_time", java.time.Instant.ofEpochMilli(from.getAsLong()))
          .forEach(context::output);
    }
  }

  /** The rows of one silver file in the windows to read, each at its event time. */
  private static final class ReadFileFn extends DoFn<String, Row> {
    private final String silverPath;
    private final LakeStorage storage;
    private final long version;
    private final Schema schema;
    private final Wanted wanted;

    ReadFileFn(String silverPath, LakeStorage storage, long version, Schema schema, Wanted wanted) {
      this.silverPath = silverPath;
      this.storage = storage;
      this.version = version;
      this.schema = schema;
      this.wanted = wanted;
    }

    @ProcessElement
    public void process(@Element String file, ProcessContext context) {
      Set<Long> windows = wanted.windows(context);
      TableReader.register(storage);
      DataFileReads.readFile(
          silverPath,
          version,
          file,
          schema,
          row -> {
            long time = row.getDateTime("event_time").getMillis();
            if (wanted.contains(windows, time)) {
              context.outputWithTimestamp(row, new Instant(time));
            }
          });
    }
  }
}
