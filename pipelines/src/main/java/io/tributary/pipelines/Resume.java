package io.tributary.pipelines;

import io.tributary.pipelines.gold.GoldInput;
import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.offsets.OffsetRanges;
import io.tributary.pipelines.silver.KnownEvents;
import java.util.Map;
import java.util.Optional;

/**
 * Where a dataset's tables stand in its topic, read from the lakehouse before a pipeline is built
 * ({@link MedallionPipeline#prepare}): the Kafka offsets each table has accounted for (a restart
 * reads from the least advanced table, and each table skips what it has), the event ids silver
 * already holds within the de-duplication horizon (their re-sends, and records read again, are
 * duplicates), and what gold is computed from besides the new rows.
 *
 * @param accounted per table the topic feeds ({@link DatasetTables#fedByTopic}), the offsets it has
 *     accounted for
 * @param silverVersion silver's latest version (-1: a Parquet lakehouse, or no table yet)
 * @param knownEvents the event ids of silver rows within the horizon of the newest one (read when
 *     the pipeline is prepared, and kept warm in this JVM across cycles)
 * @param gold what gold is computed from
 */
record Resume(
    Map<TableSpec, OffsetRanges> accounted,
    long silverVersion,
    KnownEvents knownEvents,
    GoldInput gold) {

  /** The offsets {@code table} has accounted for. */
  OffsetRanges accounted(TableSpec table) {
    OffsetRanges offsets = accounted.get(table);
    if (offsets == null) {
      throw new IllegalArgumentException(table.name() + " is not fed by the dataset's topic");
    }
    return offsets;
  }

  /**
   * The offsets silver accounted for that a latest-state table has not: their rows, and those
   * without one, are applied to it first on this run ({@link ReadCatchUp}).
   */
  OffsetRanges missing(DatasetTables tables, DatasetTables.LatestTable latest) {
    return accounted(tables.silver()).minus(accounted(latest.spec()));
  }

  /**
   * Reads where {@code tables} stand in {@code topic}.
   *
   * @param bounded whether the pipeline reads bounded input (a drain or a cycle)
   * @param windowStateCheckpointed whether the runner keeps gold's window state across restarts
   */
  static Resume read(
      Lakehouse lakehouse,
      DatasetTables tables,
      String topic,
      MedallionPipeline.Settings settings,
      boolean bounded,
      boolean windowStateCheckpointed) {
    TableSpec silver = tables.silver();
    // Read here, on the driver, so that the pipeline's steps need not. A bounded pipeline (a
    // cycle) takes the ids as read now; an unbounded one reads silver's new files again whenever
    // a step is set up, which catches rows it committed itself and then reads again.
    KnownEvents known =
        KnownEvents.of(
            silver.path(), lakehouse.format(), lakehouse.storage(), settings.dedupeHorizon());
    if (bounded) {
      known = known.warm();
    } else {
      known.ids();
    }
    Optional<Long> version = lakehouse.version(silver);
    return new Resume(
        tables.accounted(lakehouse, topic),
        version.orElse(-1L),
        known,
        GoldInput.plan(
            lakehouse,
            silver,
            version,
            tables.views(),
            settings.gold(),
            bounded,
            windowStateCheckpointed,
            known.newestEventMillis()));
  }
}
