package io.tributary.pipelines;

import io.tributary.contracts.Contract;
import io.tributary.pipelines.bronze.BronzeSchema;
import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.lakehouse.OffsetRanges;
import io.tributary.pipelines.lakehouse.TableReader;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.silver.QuarantineSchema;
import io.tributary.pipelines.silver.SilverSchema;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * @param knownEvents event id → event time (epoch millis) of silver rows within the horizon of the
 *     newest one
 */
record Resume(Table bronze, Table quarantine, Table silver, Map<String, Long> knownEvents) {

  /**
   * A table, and the offsets of the dataset's topic it has accounted for (null: it does not track
   * offsets).
   */
  record Table(TableSpec spec, OffsetRanges accounted) {}

  static Resume of(Lakehouse lakehouse, String dataset, String topic, Duration dedupeHorizon) {
    List<Table> tables = tables(lakehouse, dataset, topic);
    return new Resume(
        tables.get(0),
        tables.get(1),
        tables.get(2),
        knownEvents(lakehouse, tables.get(2).spec(), dedupeHorizon));
  }

  /** Bronze, quarantine and silver of the dataset with the offsets they accounted for. */
  static List<Table> tables(Lakehouse lakehouse, String dataset, String topic) {
    TableSpec bronze = lakehouse.table(MedallionPipeline.bronzeTable(dataset), BronzeSchema.SCHEMA);
    TableSpec quarantine = lakehouse.table("quarantine/" + dataset, QuarantineSchema.SCHEMA);
    TableSpec silver =
        lakehouse.table("silver/" + dataset, SilverSchema.of(Contract.forDataset(dataset)));
    return List.of(bronze, quarantine, silver).stream()
        .map(table -> new Table(table, lakehouse.accounted(table, topic)))
        .toList();
  }

  /** The offsets each table fed by the topic has accounted for. */
  static List<OffsetRanges> accountedByTable(Lakehouse lakehouse, String dataset, String topic) {
    return tables(lakehouse, dataset, topic).stream().map(Table::accounted).toList();
  }

  private static Map<String, Long> knownEvents(
      Lakehouse lakehouse, TableSpec silver, Duration horizon) {
    List<Map<String, Object>> rows =
        TableReader.readColumns(
            silver.path(), lakehouse.format(), List.of("event_id", "event_time"));
    long newest = Long.MIN_VALUE;
    for (Map<String, Object> row : rows) {
      newest = Math.max(newest, ((Instant) row.get("event_time")).toEpochMilli());
    }
    Map<String, Long> known = new HashMap<>();
    for (Map<String, Object> row : rows) {
      long eventTime = ((Instant) row.get("event_time")).toEpochMilli();
      if (eventTime >= newest - horizon.getMillis()) {
        known.put((String) row.get("event_id"), eventTime);
      }
    }
    return known;
  }
}
