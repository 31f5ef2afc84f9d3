package io.tributary.pipelines;

import io.tributary.contracts.Contract;
import io.tributary.pipelines.gold.GoldSettings;
import io.tributary.pipelines.gold.GoldViews;
import io.tributary.pipelines.gold.GoldWindows;
import io.tributary.pipelines.gold.SilverHistory;
import io.tributary.pipelines.gold.StampComputedAt;
import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.TimeSpan;
import io.tributary.pipelines.lakehouse.append.WriteSettings;
import io.tributary.pipelines.lakehouse.append.WriteTable;
import io.tributary.pipelines.lakehouse.latest.WriteLatestState;
import io.tributary.pipelines.offsets.OffsetRanges;
import io.tributary.pipelines.silver.DeduplicateEvents;
import io.tributary.pipelines.silver.ParseEvents;
import io.tributary.pipelines.silver.SilverSchema;
import io.tributary.pipelines.source.ReadPartitionRanges;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Duration;

/**
 * Wires the medallion layers for each dataset: Kafka → bronze (raw) → silver (parsed, valid,
 * de-duplicated) and quarantine (everything that failed, with the reason) → gold (windowed views).
 * Every table it writes is created first if missing. Used as is by {@code ./tributary run} and by
 * the tests.
 */
public final class MedallionPipeline {

  /**
   * Settings that shape the pipeline.
   *
   * @param dedupeHorizon how long an event_id is remembered in streaming
   * @param gold gold view settings
   * @param write file writing settings (shards, flush interval)
   */
  public record Settings(Duration dedupeHorizon, GoldSettings gold, WriteSettings write) {}

  private MedallionPipeline() {}

  /**
   * Adds every dataset's layers to {@code pipeline}.
   *
   * @return per dataset whose gold reads silver's history (a drain on Delta), the silver version it
   *     reads: once the cycle completed, record it with {@link #recordGoldFoldedAfterCycle}
   */
  public static Map<String, Long> build(
      Pipeline pipeline, Lakehouse lakehouse, List<DatasetSource> sources, Settings settings) {
    Map<String, GoldViews> goldViews = GoldViews.registered();
    Map<String, Long> silverVersions = new java.util.TreeMap<>();
    for (DatasetSource source : sources) {
      String dataset = source.dataset();
      GoldViews views = goldViews.get(dataset);
      if (views == null) {
        throw new IllegalArgumentException(
            "dataset '" + dataset + "' has no gold views registered");
      }
      Contract contract = Contract.forDataset(dataset);

      String topic = source.topic();
      // Tables first: a conflicting table is reported as such, before its rows are read.
      List<Resume.Table> tables = Resume.tables(lakehouse, dataset, topic, views);
      createTables(lakehouse, tables.stream().map(Resume.Table::spec).toList());
      Resume resume = Resume.of(lakehouse, tables, settings.dedupeHorizon(), views);

      PCollectionTuple read = pipeline.apply(dataset + "/Read", source.read());
      PCollection<Row> bronze = read.get(ReadPartitionRanges.RECORDS);
      // Offsets with no record to read (transaction markers, aborted records, compacted away,
      // lost to retention): every table accounts for them, or their gap would be read forever.
      List<PCollection<OffsetRanges>> withoutRecord =
          read.has(ReadPartitionRanges.OFFSETS_WITHOUT_RECORD)
              ? List.of(read.get(ReadPartitionRanges.OFFSETS_WITHOUT_RECORD))
              : List.of();
      write(
          dataset,
          bronze,
          lakehouse,
          resume.bronze(),
          settings.write().withLineage(Optional.of(WriteSettings.Lineage.of(topic))),
          withoutRecord.isEmpty()
              ? null
              : flatten(dataset + "/BronzeAccounted", withoutRecord, List.of()),
          false);

      PCollectionTuple parsed = bronze.apply(dataset + "/Parse", new ParseEvents(dataset));
      write(
          dataset,
          parsed.get(ParseEvents.QUARANTINED),
          lakehouse,
          resume.quarantine(),
          settings.write().withLineage(Optional.of(WriteSettings.Lineage.of(topic))),
          flatten(
              dataset + "/QuarantineAccounted",
              withoutRecord,
              List.of(parsed.get(ParseEvents.NOT_QUARANTINED))),
          false);

      PCollectionTuple deduplicated =
          parsed
              .get(ParseEvents.VALID)
              .apply(
                  dataset + "/Deduplicate",
                  new DeduplicateEvents(
                      dataset,
                      settings.dedupeHorizon(),
                      resume.knownEvents(),
                      resume.silver().accounted()));
      PCollection<Row> unique = deduplicated.get(DeduplicateEvents.UNIQUE);
      PCollection<OffsetRanges> silverWithoutRows =
          flatten(
              dataset + "/SilverAccounted",
              withoutRecord,
              List.of(
                  parsed.get(ParseEvents.NOT_VALID),
                  deduplicated.get(DeduplicateEvents.DUPLICATE_OFFSETS)));
      WriteSettings.Lineage silverLineage =
          new WriteSettings.Lineage(topic, SilverSchema.KAFKA_PARTITION, SilverSchema.KAFKA_OFFSET);
      // New to silver: de-duplication leaves out what a restart reads again although silver holds
      // it, for silver and for gold alike.
      PCollection<Row> silver = unique;
      write(
          dataset,
          silver,
          lakehouse,
          new Resume.Table(resume.silver().spec(), null),
          settings.write().withLineage(Optional.of(silverLineage)),
          silverWithoutRows,
          true);

      for (Resume.Latest latest : resume.latest()) {
        writeLatestState(
            dataset,
            unique,
            silverWithoutRows,
            latest,
            resume.silver().spec(),
            lakehouse,
            silverLineage,
            settings);
      }

      GoldInput goldInput =
          goldInput(dataset, silver, lakehouse, resume, views, pipeline, settings);
      goldInput.silverVersion().ifPresent(version -> silverVersions.put(dataset, version));
      Map<String, PCollection<Row>> gold = views.expand(goldInput.rows(), settings.gold());
      gold.forEach(
          (view, rows) -> writeGold(dataset, view, rows, views, lakehouse, settings.write()));
    }
    return silverVersions;
  }

  private static PCollection<OffsetRanges> flatten(
      String name, List<PCollection<OffsetRanges>> first, List<PCollection<OffsetRanges>> more) {
    List<PCollection<OffsetRanges>> both = new java.util.ArrayList<>(first);
    both.addAll(more);
    return PCollectionList.of(both)
        .apply(name, Flatten.pCollections())
        .setCoder(SerializableCoder.of(OffsetRanges.class));
  }

  /**
   * Creates the tables that are missing (bronze, quarantine, silver, latest-state), silver and
   * latest-state with the change data feed on.
   */
  static void createTables(Lakehouse lakehouse, List<TableSpec> tables) {
    tables.forEach(
        table ->
            lakehouse.create(
                table,
                !table.name().startsWith("bronze/") && !table.name().startsWith("quarantine/")));
  }

  /**
   * What gold is computed from: the new silver rows and, on a Delta lakehouse in a drain, the rows
   * silver already holds in every window those touch or that no completed drain has folded into
   * gold yet, so that gold rows are aggregates of whole windows of silver (see {@link
   * SilverHistory}).
   */
  private record GoldInput(PCollection<Row> rows, Optional<Long> silverVersion) {}

  private static GoldInput goldInput(
      String dataset,
      PCollection<Row> fresh,
      Lakehouse lakehouse,
      Resume resume,
      GoldViews views,
      Pipeline pipeline,
      Settings settings) {
    TableSpec silver = resume.silver().spec();
    Optional<Long> version = lakehouse.version(silver);
    if (version.isEmpty()) {
      return new GoldInput(fresh, Optional.empty());
    }
    if (version.get() == 0) {
      // Version 0 created the table empty: there is no history, and the fold point is 0.
      return new GoldInput(fresh, Optional.of(0L));
    }
    if (fresh.isBounded() != PCollection.IsBounded.BOUNDED) {
      return streamingGoldInput(
          dataset, fresh, resume.newestEventMillis(), silver, version.get(), views, settings);
    }
    long folded =
        lakehouse.domainMetadata(silver, GOLD_FOLDED_DOMAIN).map(Long::parseLong).orElse(0L);
    List<TimeSpan> unfolded =
        lakehouse
            .addedSpans(silver, "event_time", folded, version.get(), views.windowSize())
            .orElse(List.of(new TimeSpan(Long.MIN_VALUE / 4, Long.MAX_VALUE / 4)));
    PCollection<Row> history =
        pipeline.apply(
            dataset + "/SilverHistory",
            new SilverHistory(
                silver.path(),
                silver.storage(),
                version.get(),
                silver.schema(),
                views.windowSize(),
                fresh,
                unfolded));
    return new GoldInput(
        PCollectionList.of(fresh)
            .and(history)
            .apply(dataset + "/WithHistory", Flatten.pCollections())
            .setRowSchema(fresh.getSchema()),
        version);
  }

  /**
   * A streaming run on the DirectRunner starts gold from silver: the windows that may still have
   * been open when the last run stopped (from {@link #REOPEN_MARGIN} plus the allowed lateness and
   * two windows before silver's newest event on) are recomputed from silver's rows plus the new
   * ones; new rows older than that are left out of gold (a later drain folds them in). On the Spark
   * runner the window state lives in the checkpoint instead.
   */
  private static GoldInput streamingGoldInput(
      String dataset,
      PCollection<Row> fresh,
      Optional<Long> newest,
      TableSpec silver,
      long version,
      GoldViews views,
      Settings settings) {
    Pipeline pipeline = fresh.getPipeline();
    if (pipeline.getOptions().getRunner().getSimpleName().contains("Spark")) {
      return new GoldInput(fresh, Optional.empty());
    }
    if (newest.isEmpty()) {
      return new GoldInput(fresh, Optional.empty());
    }
    long size = views.windowSize().getMillis();
    long reopen =
        Math.floorDiv(
                newest.get()
                    - settings.gold().allowedLateness().getMillis()
                    - 2 * size
                    - REOPEN_MARGIN.getMillis(),
                size)
            * size;
    PCollection<Row> history =
        pipeline.apply(
            dataset + "/SilverHistory",
            SilverHistory.ofSpans(
                silver.path(),
                silver.storage(),
                version,
                silver.schema(),
                views.windowSize(),
                List.of(new TimeSpan(reopen, Long.MAX_VALUE / 4))));
    PCollection<Row> recent =
        fresh
            .apply(
                dataset + "/OnlyReopenedWindows",
                org.apache.beam.sdk.transforms.Filter.by(
                    row -> row.getDateTime("event_time").getMillis() >= reopen))
            .setRowSchema(fresh.getSchema());
    return new GoldInput(
        PCollectionList.of(recent)
            .and(history)
            .apply(dataset + "/WithHistory", Flatten.pCollections())
            .setRowSchema(fresh.getSchema()),
        Optional.empty());
  }

  /** How much event time before silver's newest event a streaming restart recomputes gold for. */
  static final Duration REOPEN_MARGIN = Duration.standardMinutes(5);

  /**
   * The silver domain recording the silver version up to which a completed drain folded every
   * silver row into gold ({@link #recordGoldFolded}).
   */
  static final String GOLD_FOLDED_DOMAIN = "tributary.gold.folded";

  /**
   * After a drain completed: gold holds whole-window aggregates of silver as of {@code version}
   * (the silver version the drain started from), so the next drain need not recompute windows of
   * earlier silver commits.
   */
  private static void recordGoldFolded(Lakehouse lakehouse, String dataset, long version) {
    lakehouse.recordDomainMetadata(
        silverTable(lakehouse, dataset), GOLD_FOLDED_DOMAIN, Long.toString(version));
  }

  /**
   * After a cycle completed: gold holds whole windows of silver as of the version the cycle read
   * plus the cycle's own silver commit. When that commit is the only one since ({@code versionRead}
   * + 1), that is the fold point, and the next cycle recomputes only the windows its own rows
   * touch; otherwise (another writer committed too) the version read is.
   */
  static void recordGoldFoldedAfterCycle(Lakehouse lakehouse, String dataset, long versionRead) {
    long latest = lakehouse.version(silverTable(lakehouse, dataset)).orElse(versionRead);
    recordGoldFolded(lakehouse, dataset, latest == versionRead + 1 ? latest : versionRead);
  }

  private static TableSpec silverTable(Lakehouse lakehouse, String dataset) {
    return lakehouse.table("silver/" + dataset, SilverSchema.of(Contract.forDataset(dataset)));
  }

  /**
   * A gold view's table: on Delta one row per key (the view's window and group), the latest
   * computed ({@code computed_at}, then {@code pane_index}); on Parquet an append of every pane.
   */
  private static void writeGold(
      String dataset,
      String view,
      PCollection<Row> rows,
      GoldViews views,
      Lakehouse lakehouse,
      WriteSettings write) {
    if (lakehouse.format() != TableFormat.DELTA) {
      TableSpec table = lakehouse.table("gold/" + view, rows.getSchema());
      write(dataset, rows, lakehouse, new Resume.Table(table, null), write, null, false);
      return;
    }
    PCollection<Row> stamped = rows.apply(dataset + "/Stamp gold/" + view, new StampComputedAt());
    TableSpec table = lakehouse.table("gold/" + view, stamped.getSchema());
    lakehouse.create(table);
    stamped.apply(
        dataset + "/Write gold/" + view,
        WriteLatestState.to(
            table,
            views.keyColumns(view, rows.getSchema()),
            List.of(StampComputedAt.COLUMN, GoldWindows.PANE_INDEX),
            write));
  }

  /**
   * A latest-state table (one row per key) kept from silver's rows. Rows silver committed that the
   * table has not accounted for (a run killed between the two commits, or a table added to an
   * existing lakehouse) are read back from silver and applied first, and so are the offsets silver
   * accounted for without a row ({@link ReadCatchUp}).
   */
  private static void writeLatestState(
      String dataset,
      PCollection<Row> unique,
      PCollection<OffsetRanges> silverWithoutRows,
      Resume.Latest latest,
      TableSpec silver,
      Lakehouse lakehouse,
      WriteSettings.Lineage lineage,
      Settings settings) {
    Pipeline pipeline = unique.getPipeline();
    String name = latest.table().spec().name();
    boolean bounded = unique.isBounded() == PCollection.IsBounded.BOUNDED;
    // Built whether or not there is anything to catch up: the pipeline's shape must not depend on
    // what the tables hold.
    PCollectionTuple catchUp =
        pipeline.apply(
            dataset + "/CatchUp " + name,
            new ReadCatchUp(
                silver, lakehouse.version(silver).orElse(-1L), latest.missing(), bounded));
    PCollection<Row> input =
        PCollectionList.of(unique)
            .and(catchUp.get(ReadCatchUp.ROWS))
            .apply(dataset + "/WithCatchUp " + name, Flatten.pCollections())
            .setRowSchema(unique.getSchema());
    PCollection<OffsetRanges> withoutRows;
    if (bounded) {
      // One commit holds the caught-up rows, the offsets silver has without a row, and this run's.
      withoutRows =
          flatten(
              dataset + "/LatestAccounted " + name,
              List.of(silverWithoutRows),
              List.of(catchUp.get(ReadCatchUp.WITHOUT_ROWS)));
    } else {
      // Streaming commits a pane at a time: offsets silver holds rows for must not be accounted
      // without them, so the offsets to catch up are accounted by their rows only.
      OffsetRanges caughtUp = latest.missing();
      withoutRows =
          silverWithoutRows
              .apply(
                  dataset + "/NotCaughtUp " + name,
                  MapElements.into(TypeDescriptor.of(OffsetRanges.class))
                      .via(offsets -> offsets.minus(caughtUp)))
              .setCoder(SerializableCoder.of(OffsetRanges.class));
    }
    input.apply(
        dataset + "/Write " + name,
        WriteLatestState.to(
                latest.table().spec(),
                latest.view().keys(),
                latest.view().ordering(),
                settings.write().withLineage(Optional.of(lineage)))
            .accountingFor(withoutRows));
  }

  /**
   * The bronze table's name: where a drain's resume position is recorded and read back ({@link
   * Lakehouse#positions}).
   */
  public static String bronzeTable(String dataset) {
    return "bronze/" + dataset;
  }

  /**
   * Writes rows to a table (created first if missing); a table with lineage skips what it already
   * holds and also commits the offsets of {@code withoutRows}.
   */
  private static void write(
      String dataset,
      PCollection<Row> rows,
      Lakehouse lakehouse,
      Resume.Table target,
      WriteSettings write,
      PCollection<OffsetRanges> withoutRows,
      boolean changeDataFeed) {
    TableSpec table = target.spec();
    lakehouse.create(table, changeDataFeed);
    WriteTable writeTable = WriteTable.to(table, lakehouse.format(), write);
    if (target.accounted() != null) {
      writeTable = writeTable.skipping(target.accounted());
    }
    if (withoutRows != null) {
      writeTable = writeTable.accountingFor(withoutRows);
    }
    // Step names start with the dataset so that runner metrics (late drops, commits) can be
    // attributed to it.
    rows.apply(dataset + "/Write " + table.name(), writeTable);
  }
}
