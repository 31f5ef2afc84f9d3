package io.tributary.pipelines;

import io.tributary.contracts.Contract;
import io.tributary.pipelines.gold.GoldSettings;
import io.tributary.pipelines.gold.GoldViews;
import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.lakehouse.OffsetRanges;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.WriteSettings;
import io.tributary.pipelines.lakehouse.WriteTable;
import io.tributary.pipelines.silver.DeduplicateEvents;
import io.tributary.pipelines.silver.ParseEvents;
import io.tributary.pipelines.silver.SilverSchema;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
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

  /** Adds every dataset's layers to {@code pipeline}. */
  public static void build(
      Pipeline pipeline, Lakehouse lakehouse, List<DatasetSource> sources, Settings settings) {
    Map<String, GoldViews> goldViews = GoldViews.registered();
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
      Resume.tables(lakehouse, dataset, topic)
          .forEach(
              table -> lakehouse.create(table.spec(), table.spec().name().startsWith("silver/")));
      Resume resume = Resume.of(lakehouse, dataset, topic, settings.dedupeHorizon());

      PCollection<Row> bronze = pipeline.apply(dataset + "/Read", source.read());
      write(
          dataset,
          bronze,
          lakehouse,
          resume.bronze(),
          settings.write().withLineage(Optional.of(WriteSettings.Lineage.of(topic))),
          null,
          false);

      PCollectionTuple parsed = bronze.apply(dataset + "/Parse", new ParseEvents(dataset));
      write(
          dataset,
          parsed.get(ParseEvents.QUARANTINED),
          lakehouse,
          resume.quarantine(),
          settings.write().withLineage(Optional.of(WriteSettings.Lineage.of(topic))),
          parsed.get(ParseEvents.NOT_QUARANTINED),
          false);

      PCollectionTuple deduplicated =
          parsed
              .get(ParseEvents.VALID)
              .apply(
                  dataset + "/Deduplicate",
                  new DeduplicateEvents(dataset, settings.dedupeHorizon(), resume.knownEvents()));
      PCollection<Row> silver = deduplicated.get(DeduplicateEvents.UNIQUE);
      PCollection<OffsetRanges> silverWithoutRows =
          PCollectionList.of(parsed.get(ParseEvents.NOT_VALID))
              .and(deduplicated.get(DeduplicateEvents.DUPLICATE_OFFSETS))
              .apply(dataset + "/SilverAccounted", Flatten.pCollections());
      write(
          dataset,
          silver,
          lakehouse,
          resume.silver(),
          settings
              .write()
              .withLineage(
                  Optional.of(
                      new WriteSettings.Lineage(
                          topic, SilverSchema.KAFKA_PARTITION, SilverSchema.KAFKA_OFFSET))),
          silverWithoutRows,
          true);

      Map<String, PCollection<Row>> gold = views.expand(silver, settings.gold());
      gold.forEach(
          (view, rows) -> {
            TableSpec table = lakehouse.table("gold/" + view, rows.getSchema());
            write(
                dataset,
                rows,
                lakehouse,
                new Resume.Table(table, null),
                settings.write(),
                null,
                false);
          });
    }
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
