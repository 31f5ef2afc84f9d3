package io.tributary.pipelines;

import io.tributary.contracts.Contract;
import io.tributary.pipelines.bronze.BronzeSchema;
import io.tributary.pipelines.gold.GoldSettings;
import io.tributary.pipelines.gold.GoldViews;
import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.WriteSettings;
import io.tributary.pipelines.lakehouse.WriteTable;
import io.tributary.pipelines.silver.DeduplicateEvents;
import io.tributary.pipelines.silver.ParseEvents;
import io.tributary.pipelines.silver.QuarantineSchema;
import io.tributary.pipelines.silver.SilverSchema;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.PCollection;
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

      PCollection<Row> bronze = pipeline.apply(dataset + "/Read", source.read());
      write(
          dataset,
          bronze,
          lakehouse,
          bronzeTable(dataset),
          BronzeSchema.SCHEMA,
          settings.write().withPositionsTopic(Optional.of(source.topic())));

      PCollectionTuple parsed = bronze.apply(dataset + "/Parse", new ParseEvents(dataset));
      write(
          dataset,
          parsed.get(ParseEvents.QUARANTINED),
          lakehouse,
          "quarantine/" + dataset,
          QuarantineSchema.SCHEMA,
          settings.write());

      PCollection<Row> silver =
          parsed
              .get(ParseEvents.VALID)
              .apply(
                  dataset + "/Deduplicate",
                  new DeduplicateEvents(dataset, settings.dedupeHorizon()));
      write(
          dataset,
          silver,
          lakehouse,
          "silver/" + dataset,
          SilverSchema.of(contract),
          settings.write());

      Map<String, PCollection<Row>> gold = views.expand(silver, settings.gold());
      gold.forEach(
          (view, rows) ->
              write(dataset, rows, lakehouse, "gold/" + view, rows.getSchema(), settings.write()));
    }
  }

  /**
   * The bronze table's name: where a drain's resume position is recorded and read back ({@link
   * Lakehouse#positions}).
   */
  public static String bronzeTable(String dataset) {
    return "bronze/" + dataset;
  }

  private static void write(
      String dataset,
      PCollection<Row> rows,
      Lakehouse lakehouse,
      String name,
      Schema schema,
      WriteSettings write) {
    TableSpec table = lakehouse.table(name, schema);
    lakehouse.create(table);
    // Step names start with the dataset so that runner metrics (late drops, commits) can be
    // attributed to it.
    rows.apply(dataset + "/Write " + name, WriteTable.to(table, lakehouse.format(), write));
  }
}
