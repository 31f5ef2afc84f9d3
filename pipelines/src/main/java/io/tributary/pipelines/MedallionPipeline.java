package io.tributary.pipelines;

import io.tributary.pipelines.gold.GoldSettings;
import io.tributary.pipelines.gold.GoldViews;
import io.tributary.pipelines.gold.GoldWindows;
import io.tributary.pipelines.gold.StampComputedAt;
import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.append.WriteSettings;
import io.tributary.pipelines.lakehouse.append.WriteTable;
import io.tributary.pipelines.lakehouse.latest.WriteLatestState;
import io.tributary.pipelines.offsets.OffsetRanges;
import io.tributary.pipelines.runner.RunnerProfile;
import io.tributary.pipelines.silver.DeduplicateEvents;
import io.tributary.pipelines.silver.ParseEvents;
import io.tributary.pipelines.silver.SilverSchema;
import io.tributary.pipelines.source.ReadPartitionRanges;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Duration;

/**
 * The medallion pipeline of each dataset: Kafka → bronze (raw) → silver (parsed, valid,
 * de-duplicated) and quarantine (everything that failed, with the reason) → gold (windowed views
 * and latest-state tables). Used as is by {@code ./tributary run} (each cycle, or the unbounded
 * stream) and by the tests.
 *
 * <p>Two steps: {@link #prepare} reads where each dataset's tables stand (their accounted offsets,
 * silver's known event ids, what gold recomputes), on the driver; {@link #build} only wires
 * transforms. The tables must exist before ({@link DatasetTables#createAll}, which {@code run} and
 * {@code init} call).
 *
 * <p>Every table accounts for every offset of the topic it was fed: a record is a row in it, or its
 * offset is accounted for without one (an invalid record in silver, a valid one in quarantine, a
 * duplicate, an offset with no record), in the same commit as the rows.
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

  /**
   * One dataset ready to be wired: where its rows come from, its tables and where they stand.
   *
   * @param silverVersionRead the silver version gold recomputed windows from: once the pipeline
   *     completed, record it with {@link
   *     io.tributary.pipelines.gold.GoldInput#recordFoldedAfterCycle}
   */
  public record Prepared(DatasetSource source, DatasetTables tables, Resume resume) {
    public Optional<Long> silverVersionRead() {
      return resume.gold().silverVersion();
    }
  }

  private MedallionPipeline() {}

  /** Reads where each source's dataset tables stand, for a pipeline run with {@code options}. */
  public static List<Prepared> prepare(
      Lakehouse lakehouse,
      List<DatasetSource> sources,
      Settings settings,
      PipelineOptions options) {
    List<Prepared> prepared = new ArrayList<>();
    for (DatasetSource source : sources) {
      prepared.add(
          prepare(
              lakehouse, source, DatasetTables.of(lakehouse, source.dataset()), settings, options));
    }
    return prepared;
  }

  /** Reads where {@code tables} stand in {@code source}'s topic. */
  public static Prepared prepare(
      Lakehouse lakehouse,
      DatasetSource source,
      DatasetTables tables,
      Settings settings,
      PipelineOptions options) {
    // Spark streaming keeps gold's window state in its checkpoint across restarts.
    boolean checkpointed = RunnerProfile.isSparkRunner(options.getRunner().getName());
    return new Prepared(
        source,
        tables,
        Resume.read(lakehouse, tables, source.topic(), settings, source.bounded(), checkpointed));
  }

  /** Adds every prepared dataset's layers to {@code pipeline}. Reads and writes nothing. */
  public static void build(
      Pipeline pipeline, Lakehouse lakehouse, List<Prepared> datasets, Settings settings) {
    for (Prepared dataset : datasets) {
      new Wiring(pipeline, lakehouse, dataset, settings).wire();
    }
  }

  /** The wiring of one dataset. Step names start with the dataset, so metrics name it. */
  private static final class Wiring {
    private final Pipeline pipeline;
    private final Lakehouse lakehouse;
    private final DatasetTables tables;
    private final Resume resume;
    private final DatasetSource source;
    private final Settings settings;
    private final String dataset;

    Wiring(Pipeline pipeline, Lakehouse lakehouse, Prepared prepared, Settings settings) {
      this.pipeline = pipeline;
      this.lakehouse = lakehouse;
      this.tables = prepared.tables();
      this.resume = prepared.resume();
      this.source = prepared.source();
      this.settings = settings;
      this.dataset = source.dataset();
    }

    void wire() {
      PCollectionTuple read = pipeline.apply(dataset + "/Read", source.read());
      PCollection<Row> bronze = read.get(ReadPartitionRanges.RECORDS);
      // Offsets with no record to read (transaction markers, aborted records, compacted away,
      // lost to retention): every table accounts for them, or their gap would be read forever.
      List<PCollection<OffsetRanges>> withoutRecord =
          read.has(ReadPartitionRanges.ACCOUNTED_WITHOUT_RECORD)
              ? List.of(read.get(ReadPartitionRanges.ACCOUNTED_WITHOUT_RECORD))
              : List.of();
      WriteTable bronzeWrite = appendTo(tables.bronze(), bronzeLineage());
      if (!withoutRecord.isEmpty()) {
        bronzeWrite =
            bronzeWrite.accountingFor(accounted("BronzeAccounted", withoutRecord, List.of()));
      }
      write(bronze, tables.bronze(), bronzeWrite);

      PCollectionTuple parsed = bronze.apply(dataset + "/Parse", new ParseEvents(dataset));
      write(
          parsed.get(ParseEvents.QUARANTINED),
          tables.quarantine(),
          appendTo(tables.quarantine(), bronzeLineage())
              .accountingFor(
                  accounted(
                      "QuarantineAccounted",
                      withoutRecord,
                      List.of(parsed.get(ParseEvents.QUARANTINE_ACCOUNTED_WITHOUT_ROWS)))));

      PCollectionTuple deduplicated =
          parsed
              .get(ParseEvents.VALID)
              .apply(
                  dataset + "/Deduplicate",
                  new DeduplicateEvents(
                      dataset,
                      settings.dedupeHorizon(),
                      resume.knownEvents(),
                      resume.accounted(tables.silver())));
      // New to silver: de-duplication leaves out what a restart reads again although silver holds
      // it, for silver and for gold alike (so silver skips nothing by offsets).
      PCollection<Row> silver = deduplicated.get(DeduplicateEvents.UNIQUE);
      PCollection<OffsetRanges> silverWithoutRows =
          accounted(
              "SilverAccounted",
              withoutRecord,
              List.of(
                  parsed.get(ParseEvents.SILVER_ACCOUNTED_WITHOUT_ROWS),
                  deduplicated.get(DeduplicateEvents.ACCOUNTED_WITHOUT_ROWS)));
      write(
          silver,
          tables.silver(),
          WriteTable.to(
                  tables.silver(),
                  lakehouse.format(),
                  settings.write().withLineage(Optional.of(silverLineage())))
              .accountingFor(silverWithoutRows));

      for (DatasetTables.LatestTable latest : tables.latest()) {
        writeLatestState(silver, silverWithoutRows, latest);
      }
      writeGold(resume.gold().expand(dataset, silver));
    }

    /** An append table fed by the topic: skips what it accounted for, commits with its offsets. */
    private WriteTable appendTo(TableSpec table, WriteSettings.Lineage lineage) {
      return WriteTable.to(
              table, lakehouse.format(), settings.write().withLineage(Optional.of(lineage)))
          .skipping(resume.accounted(table));
    }

    private void write(PCollection<Row> rows, TableSpec table, WriteTable write) {
      rows.apply(dataset + "/Write " + table.name(), write);
    }

    private WriteSettings.Lineage bronzeLineage() {
      return WriteSettings.Lineage.of(source.topic());
    }

    private WriteSettings.Lineage silverLineage() {
      return new WriteSettings.Lineage(
          source.topic(), SilverSchema.KAFKA_PARTITION, SilverSchema.KAFKA_OFFSET);
    }

    private PCollection<OffsetRanges> accounted(
        String name, List<PCollection<OffsetRanges>> first, List<PCollection<OffsetRanges>> more) {
      List<PCollection<OffsetRanges>> all = new ArrayList<>(first);
      all.addAll(more);
      return PCollectionList.of(all)
          .apply(dataset + "/" + name, Flatten.pCollections())
          .setCoder(SerializableCoder.of(OffsetRanges.class));
    }

    /**
     * Each gold view's table: on Delta one row per key (the view's window and group), the latest
     * computed ({@code computed_at}, then {@code pane_index}); on Parquet an append of every pane.
     */
    private void writeGold(PCollection<Row> input) {
      GoldViews views = tables.views();
      Map<String, PCollection<Row>> gold = views.expand(input, settings.gold());
      gold.forEach(
          (view, rows) -> {
            TableSpec table = DatasetTables.gold(lakehouse, view, rows.getSchema());
            if (lakehouse.format() != TableFormat.DELTA) {
              write(rows, table, WriteTable.to(table, lakehouse.format(), settings.write()));
              return;
            }
            rows.apply(dataset + "/Stamp gold/" + view, new StampComputedAt())
                .apply(
                    dataset + "/Write gold/" + view,
                    WriteLatestState.to(
                        table,
                        views.keyColumns(view, rows.getSchema()),
                        List.of(StampComputedAt.COLUMN, GoldWindows.PANE_INDEX),
                        settings.write()));
          });
    }

    /**
     * A latest-state table (one row per key) kept from silver's rows. Rows silver committed that
     * the table has not accounted for (a run killed between the two commits, or a table added to an
     * existing lakehouse) are read back from silver and applied first, and so are the offsets
     * silver accounted for without a row ({@link ReadCatchUp}).
     */
    private void writeLatestState(
        PCollection<Row> unique,
        PCollection<OffsetRanges> silverWithoutRows,
        DatasetTables.LatestTable latest) {
      String name = latest.spec().name();
      OffsetRanges missing = resume.missing(tables, latest);
      boolean bounded = unique.isBounded() == PCollection.IsBounded.BOUNDED;
      // Built whether or not there is anything to catch up: the pipeline's shape must not depend
      // on what the tables hold.
      PCollectionTuple catchUp =
          pipeline.apply(
              dataset + "/CatchUp " + name,
              new ReadCatchUp(tables.silver(), resume.silverVersion(), missing, bounded));
      PCollection<Row> input =
          PCollectionList.of(unique)
              .and(catchUp.get(ReadCatchUp.ROWS))
              .apply(dataset + "/WithCatchUp " + name, Flatten.pCollections())
              .setRowSchema(unique.getSchema());
      PCollection<OffsetRanges> withoutRows;
      if (bounded) {
        // One commit holds the caught-up rows, the offsets silver has without a row, and this
        // run's.
        withoutRows =
            accounted(
                "LatestAccounted " + name,
                List.of(silverWithoutRows),
                List.of(catchUp.get(ReadCatchUp.ACCOUNTED_WITHOUT_ROWS)));
      } else {
        // Streaming commits a pane at a time: offsets silver holds rows for must not be accounted
        // without them, so the offsets to catch up are accounted by their rows only.
        withoutRows =
            silverWithoutRows
                .apply(
                    dataset + "/NotCaughtUp " + name,
                    MapElements.into(TypeDescriptor.of(OffsetRanges.class))
                        .via(offsets -> offsets.minus(missing)))
                .setCoder(SerializableCoder.of(OffsetRanges.class));
      }
      input.apply(
          dataset + "/Write " + name,
          WriteLatestState.to(
                  latest.spec(),
                  latest.view().keys(),
                  latest.view().ordering(),
                  settings.write().withLineage(Optional.of(silverLineage())))
              .accountingFor(withoutRows));
    }
  }
}
