package io.tributary.pipelines;

import io.tributary.contracts.Contract;
import io.tributary.pipelines.bronze.BronzeSchema;
import io.tributary.pipelines.failover.Failover;
import io.tributary.pipelines.gold.GoldSettings;
import io.tributary.pipelines.gold.GoldViews;
import io.tributary.pipelines.gold.StampComputedAt;
import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.offsets.OffsetRanges;
import io.tributary.pipelines.silver.QuarantineSchema;
import io.tributary.pipelines.silver.SilverSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The tables of one dataset, by role, and the one place that names them: {@code bronze/<dataset>},
 * {@code quarantine/<dataset>}, {@code silver/<dataset>}, on Delta its latest-state tables {@code
 * gold/<table>}, and its gold views' tables {@code gold/<view>} ({@link #gold}).
 *
 * @param views the dataset's gold views
 * @param latest the latest-state tables (Delta only; none on Parquet)
 */
public record DatasetTables(
    String dataset,
    GoldViews views,
    TableSpec bronze,
    TableSpec quarantine,
    TableSpec silver,
    List<LatestTable> latest) {

  /** A latest-state table kept from silver's rows, and what makes it one. */
  public record LatestTable(TableSpec spec, GoldViews.LatestState view) {}

  /**
   * The tables of {@code dataset} in {@code lakehouse}.
   *
   * @throws IllegalArgumentException if the dataset has no gold views registered
   */
  public static DatasetTables of(Lakehouse lakehouse, String dataset) {
    GoldViews views = GoldViews.registered().get(dataset);
    if (views == null) {
      throw new IllegalArgumentException("dataset '" + dataset + "' has no gold views registered");
    }
    Schema silverSchema = SilverSchema.of(Contract.forDataset(dataset));
    List<LatestTable> latest = new ArrayList<>();
    if (lakehouse.format() == TableFormat.DELTA) {
      for (GoldViews.LatestState state : views.latestStates()) {
        latest.add(new LatestTable(lakehouse.table("gold/" + state.table(), silverSchema), state));
      }
    }
    return new DatasetTables(
        dataset,
        views,
        lakehouse.table(bronzeName(dataset), BronzeSchema.SCHEMA),
        lakehouse.table("quarantine/" + dataset, QuarantineSchema.SCHEMA),
        lakehouse.table("silver/" + dataset, silverSchema),
        List.copyOf(latest));
  }

  /**
   * The bronze table's name: where a drain's resume position is recorded and read back ({@link
   * Lakehouse#frontiers}).
   */
  public static String bronzeName(String dataset) {
    return "bronze/" + dataset;
  }

  /**
   * The table of gold view {@code view}, whose rows have {@code rows}' columns: on Delta one row
   * per key, stamped with {@link StampComputedAt#COLUMN}; on Parquet every pane appended as is.
   */
  public static TableSpec gold(Lakehouse lakehouse, String view, Schema rows) {
    return lakehouse.table(
        "gold/" + view,
        lakehouse.format() == TableFormat.DELTA ? StampComputedAt.schema(rows) : rows);
  }

  /**
   * The tables the dataset's topic feeds, each accounting for the topic's offsets it has read:
   * bronze, quarantine, silver, then the latest-state tables.
   */
  public List<TableSpec> fedByTopic() {
    List<TableSpec> tables = new ArrayList<>(List.of(bronze, quarantine, silver));
    latest.forEach(table -> tables.add(table.spec()));
    return tables;
  }

  /** The append tables (one file more per commit): bronze, quarantine and silver. */
  public List<TableSpec> appended() {
    return List.of(bronze, quarantine, silver);
  }

  /**
   * Per table the topic feeds ({@link #fedByTopic}, in that order), the offsets of {@code topic} it
   * has accounted for; on a failover or failback, translated from the other cluster's topic too.
   */
  public Map<TableSpec, OffsetRanges> accounted(Lakehouse lakehouse, String topic) {
    Map<TableSpec, OffsetRanges> accounted = new LinkedHashMap<>();
    for (TableSpec table : fedByTopic()) {
      accounted.put(table, Failover.accounted(lakehouse, table, topic));
    }
    return accounted;
  }

  /**
   * Creates the tables the topic feeds if missing (silver and latest-state with the change data
   * feed on); otherwise checks their columns (adding new nullable ones).
   *
   * @throws IllegalStateException naming a table whose columns conflict
   */
  public void createFedByTopic(Lakehouse lakehouse) {
    lakehouse.create(bronze, false);
    lakehouse.create(quarantine, false);
    lakehouse.create(silver, true);
    latest.forEach(table -> lakehouse.create(table.spec(), true));
  }

  /**
   * The tables of the dataset's gold views, with the columns the views output (found by expanding
   * them over no rows; nothing runs).
   */
  public List<TableSpec> goldViews(
      Lakehouse lakehouse, GoldSettings settings, PipelineOptions options) {
    Pipeline scratch = Pipeline.create(options);
    PCollection<Row> noRows =
        scratch.apply(Create.empty(TypeDescriptors.rows()).withRowSchema(silver.schema()));
    List<TableSpec> tables = new ArrayList<>();
    views
        .expand(noRows, settings)
        .forEach((view, rows) -> tables.add(gold(lakehouse, view, rows.getSchema())));
    return tables;
  }

  /**
   * Creates every table of the dataset that is missing: those the topic feeds and its gold views'
   * tables.
   *
   * @return the gold views' tables
   */
  public List<TableSpec> createAll(
      Lakehouse lakehouse, GoldSettings settings, PipelineOptions options) {
    createFedByTopic(lakehouse);
    List<TableSpec> gold = goldViews(lakehouse, settings, options);
    gold.forEach(lakehouse::create);
    return gold;
  }
}
