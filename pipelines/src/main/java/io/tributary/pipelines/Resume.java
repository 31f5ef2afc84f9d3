package io.tributary.pipelines;

import io.tributary.contracts.Contract;
import io.tributary.pipelines.bronze.BronzeSchema;
import io.tributary.pipelines.failover.Failover;
import io.tributary.pipelines.gold.GoldViews;
import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.offsets.OffsetRanges;
import io.tributary.pipelines.silver.KnownEvents;
import io.tributary.pipelines.silver.QuarantineSchema;
import io.tributary.pipelines.silver.SilverSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.schemas.Schema;
import org.joda.time.Duration;

/**
 * Where a dataset's tables stand in its topic, read from the lakehouse when a run starts: the Kafka
 * offsets each table has accounted for (a restart reads from the least advanced table, and each
 * table skips what it has), and the event ids silver already holds within the de-duplication
 * horizon (their re-sends, and records read again, are duplicates).
 *
 * @param bronze the bronze table and its accounted offsets
 * @param quarantine the quarantine table and its accounted offsets
 * @param silver the silver table and its accounted offsets
 * @param knownEvents the event ids of silver rows within the horizon of the newest one (read when
 *     the run is prepared, and kept warm in this JVM across cycles)
 */
record Resume(
    Table bronze, Table quarantine, Table silver, KnownEvents knownEvents, List<Latest> latest) {

  /** The event time of silver's newest row (epoch millis), if silver has rows. */
  Optional<Long> newestEventMillis() {
    return knownEvents.newestEventMillis();
  }

  /**
   * A table, and the offsets of the dataset's topic it has accounted for (null: it does not track
   * offsets).
   */
  record Table(TableSpec spec, OffsetRanges accounted) {}

  /**
   * A latest-state table of the dataset, and the offsets silver accounted for that it has not
   * (their rows, and those without one, are applied first on this run: {@link ReadCatchUp}).
   */
  record Latest(Table table, GoldViews.LatestState view, OffsetRanges missing) {}

  /**
   * @param tables the dataset's tables as {@link #tables} read them (and the caller created them)
   */
  static Resume of(
      Lakehouse lakehouse, List<Table> tables, Duration dedupeHorizon, GoldViews views) {
    Table silver = tables.get(2);
    List<Latest> latest = new ArrayList<>();
    List<GoldViews.LatestState> states = latestStates(lakehouse, views);
    for (int i = 0; i < states.size(); i++) {
      Table table = tables.get(3 + i);
      latest.add(new Latest(table, states.get(i), silver.accounted().minus(table.accounted())));
    }
    return new Resume(
        tables.get(0),
        tables.get(1),
        silver,
        knownEvents(lakehouse, silver.spec(), dedupeHorizon),
        latest);
  }

  /**
   * Bronze, quarantine, silver and the latest-state tables (Delta only) of the dataset, with the
   * offsets they accounted for.
   */
  static List<Table> tables(Lakehouse lakehouse, String dataset, String topic, GoldViews views) {
    return specs(lakehouse, dataset, views).stream()
        .map(table -> new Table(table, Failover.accounted(lakehouse, table, topic)))
        .toList();
  }

  /** Bronze, quarantine, silver and the latest-state tables (Delta only) of the dataset. */
  static List<TableSpec> specs(Lakehouse lakehouse, String dataset, GoldViews views) {
    TableSpec bronze = lakehouse.table(MedallionPipeline.bronzeTable(dataset), BronzeSchema.SCHEMA);
    TableSpec quarantine = lakehouse.table("quarantine/" + dataset, QuarantineSchema.SCHEMA);
    Schema silverSchema = SilverSchema.of(Contract.forDataset(dataset));
    TableSpec silver = lakehouse.table("silver/" + dataset, silverSchema);
    List<TableSpec> specs = new ArrayList<>(List.of(bronze, quarantine, silver));
    for (GoldViews.LatestState state : latestStates(lakehouse, views)) {
      specs.add(lakehouse.table("gold/" + state.table(), silverSchema));
    }
    return specs;
  }

  /** The offsets each table fed by the topic has accounted for. */
  static List<OffsetRanges> accountedByTable(Lakehouse lakehouse, String dataset, String topic) {
    return tables(lakehouse, dataset, topic, GoldViews.registered().get(dataset)).stream()
        .map(Table::accounted)
        .toList();
  }

  private static List<GoldViews.LatestState> latestStates(Lakehouse lakehouse, GoldViews views) {
    return lakehouse.format() == TableFormat.DELTA ? views.latestStates() : List.of();
  }

  /** Silver's known event ids, read here (on the driver) so that the pipeline's steps need not. */
  private static KnownEvents knownEvents(Lakehouse lakehouse, TableSpec silver, Duration horizon) {
    KnownEvents known =
        KnownEvents.of(silver.path(), lakehouse.format(), lakehouse.storage(), horizon);
    known.ids();
    return known;
  }
}
