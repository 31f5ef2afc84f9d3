package io.tributary.pipelines.gold;

import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.TimeSpan;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;

/**
 * What a dataset's gold is computed from, so that gold rows are aggregates of whole windows of
 * silver: the new silver rows and, on a Delta lakehouse,
 *
 * <ul>
 *   <li>bounded input (drains and cycles): the rows silver already holds in every window the new
 *       rows touch or that no completed cycle has folded into gold yet ({@link SilverHistory});
 *   <li>unbounded input ({@code --unboundedRead}) on the DirectRunner: the windows that may still
 *       have been open when the last run stopped, recomputed from silver ({@link #REOPEN_MARGIN}
 *       plus the allowed lateness and two windows before silver's newest event on); new rows older
 *       than that are left out of gold (a later drain folds them in). On the Spark runner the
 *       window state lives in the checkpoint instead.
 * </ul>
 *
 * <p>{@link #plan} reads silver's log on the driver before the pipeline is built; {@link #expand}
 * only wires. After a cycle completed, {@link #recordFoldedAfterCycle} moves the fold point on.
 */
public final class GoldInput {

  /** How much event time before silver's newest event a streaming restart recomputes gold for. */
  public static final Duration REOPEN_MARGIN = Duration.standardMinutes(5);

  /**
   * The silver domain recording the silver version up to which a completed cycle folded every
   * silver row into gold.
   */
  public static final String FOLDED_DOMAIN = "tributary.gold.folded";

  private enum Kind {
    /** No history: a Parquet lakehouse, a new silver table, or a checkpointed runner. */
    NEW_ROWS_ONLY,
    /** Bounded: the windows the new rows touch plus the spans not folded yet. */
    TOUCHED_WINDOWS,
    /** Unbounded: the windows from the reopened span's start on. */
    REOPENED_WINDOWS
  }

  private final Kind kind;
  private final TableSpec silver;
  private final long version;
  private final Duration window;
  private final List<TimeSpan> spans;

  private GoldInput(
      Kind kind, TableSpec silver, long version, Duration window, List<TimeSpan> spans) {
    this.kind = kind;
    this.silver = silver;
    this.version = version;
    this.window = window;
    this.spans = spans;
  }

  /**
   * Plans the gold input of a pipeline that reads new rows of {@code silver}'s dataset.
   *
   * @param version silver's latest version (empty: no Delta table)
   * @param bounded whether the new rows are bounded (a drain or a cycle)
   * @param windowStateCheckpointed whether the runner keeps window state across restarts (Spark
   *     streaming)
   * @param newestEventMillis the event time of silver's newest row, if it has rows
   */
  public static GoldInput plan(
      Lakehouse lakehouse,
      TableSpec silver,
      Optional<Long> version,
      GoldViews views,
      GoldSettings settings,
      boolean bounded,
      boolean windowStateCheckpointed,
      Optional<Long> newestEventMillis) {
    Duration window = views.windowSize();
    if (version.isEmpty()) {
      return new GoldInput(Kind.NEW_ROWS_ONLY, silver, -1, window, List.of());
    }
    if (!bounded) {
      if (windowStateCheckpointed || newestEventMillis.isEmpty()) {
        return new GoldInput(Kind.NEW_ROWS_ONLY, silver, -1, window, List.of());
      }
      long size = window.getMillis();
      long reopen =
          Math.floorDiv(
                  newestEventMillis.get()
                      - settings.allowedLateness().getMillis()
                      - 2 * size
                      - REOPEN_MARGIN.getMillis(),
                  size)
              * size;
      return new GoldInput(
          Kind.REOPENED_WINDOWS,
          silver,
          version.get(),
          window,
          List.of(new TimeSpan(reopen, Long.MAX_VALUE / 4)));
    }
    long folded = lakehouse.domainMetadata(silver, FOLDED_DOMAIN).map(Long::parseLong).orElse(0L);
    Optional<List<TimeSpan>> added =
        lakehouse.addedSpans(silver, "event_time", folded, version.get(), window);
    if (folded == 0 && added.isPresent() && added.get().isEmpty()) {
      // Version 0 created the table empty, and no commit since added a row (at most metadata,
      // such as the topic identity a run records first): silver has no history, and the fold
      // point is its version. Reading it anyway costs a drain of a million events half its time
      // (the touched windows of every new row, on the DirectRunner a group-by-key with timers).
      return new GoldInput(Kind.NEW_ROWS_ONLY, silver, version.get(), window, List.of());
    }
    List<TimeSpan> unfolded =
        added.orElse(List.of(new TimeSpan(Long.MIN_VALUE / 4, Long.MAX_VALUE / 4)));
    return new GoldInput(Kind.TOUCHED_WINDOWS, silver, version.get(), window, unfolded);
  }

  /**
   * The silver version this input reads, to record with {@link #recordFoldedAfterCycle} once the
   * cycle completed; empty when the pipeline moves no fold point (streaming, Parquet).
   */
  public Optional<Long> silverVersion() {
    return kind == Kind.REOPENED_WINDOWS || version < 0 ? Optional.empty() : Optional.of(version);
  }

  /**
   * The rows gold is computed from, given the new silver rows; step names start with {@code
   * prefix}.
   */
  public PCollection<Row> expand(String prefix, PCollection<Row> fresh) {
    return switch (kind) {
      case NEW_ROWS_ONLY -> fresh;
      case TOUCHED_WINDOWS ->
          withHistory(
              prefix,
              fresh,
              fresh
                  .getPipeline()
                  .apply(
                      prefix + "/SilverHistory",
                      new SilverHistory(
                          silver.path(),
                          silver.storage(),
                          version,
                          silver.schema(),
                          window,
                          fresh,
                          spans)));
      case REOPENED_WINDOWS -> {
        long reopen = spans.get(0).startMillis();
        PCollection<Row> history =
            fresh
                .getPipeline()
                .apply(
                    prefix + "/SilverHistory",
                    SilverHistory.ofSpans(
                        silver.path(), silver.storage(), version, silver.schema(), window, spans));
        PCollection<Row> recent =
            fresh
                .apply(
                    prefix + "/OnlyReopenedWindows",
                    Filter.by(row -> row.getDateTime("event_time").getMillis() >= reopen))
                .setRowSchema(fresh.getSchema());
        yield withHistory(prefix, recent, history);
      }
    };
  }

  private static PCollection<Row> withHistory(
      String prefix, PCollection<Row> fresh, PCollection<Row> history) {
    return PCollectionList.of(fresh)
        .and(history)
        .apply(prefix + "/WithHistory", Flatten.pCollections())
        .setRowSchema(fresh.getSchema());
  }

  /**
   * After a cycle completed: gold holds whole windows of silver as of the version the cycle read
   * plus the cycle's own silver commit. When that commit is the only one since ({@code versionRead}
   * + 1), that is the fold point, and the next cycle recomputes only the windows its own rows
   * touch; otherwise (another writer committed too) the version read is.
   */
  public static void recordFoldedAfterCycle(
      Lakehouse lakehouse, TableSpec silver, long versionRead) {
    long latest = lakehouse.version(silver).orElse(versionRead);
    long folded = latest == versionRead + 1 ? latest : versionRead;
    lakehouse.recordDomainMetadata(silver, FOLDED_DOMAIN, Long.toString(folded));
  }
}
