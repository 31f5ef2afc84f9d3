package io.tributary.pipelines.lakehouse;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.exceptions.TableAlreadyExistsException;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Creating Delta tables and reading what their commits recorded, through Delta Kernel 4.0.0. */
final class DeltaTables {
  /** Recorded as the writer of every commit ({@code commitInfo.engineInfo}). */
  static final String ENGINE_INFO = "tributary";

  /**
   * Checkpoint every 10 commits; Kernel offers a CHECKPOINT post-commit hook at that interval,
   * which keeps log replay (and position look-ups) short.
   */
  static final Map<String, String> TABLE_PROPERTIES = Map.of("delta.checkpointInterval", "10");

  private DeltaTables() {}

  /**
   * Creates the table with its schema as version 0, or verifies that the existing table has exactly
   * that schema.
   *
   * @throws IllegalStateException if the table exists with different columns
   */
  static void create(Engine engine, TableSpec table) {
    StructType schema = KernelSchemas.toKernel(table.schema());
    Table delta = Table.forPath(engine, table.path());
    if (latest(engine, delta).isEmpty()) {
      try {
        delta
            .createTransactionBuilder(engine, ENGINE_INFO, Operation.CREATE_TABLE)
            .withSchema(engine, schema)
            .withTableProperties(engine, TABLE_PROPERTIES)
            .build(engine)
            .commit(engine, CloseableIterable.emptyIterable());
        return;
      } catch (TableAlreadyExistsException | ConcurrentWriteException e) {
        // Another writer created it since we looked: fine if it has our schema (checked below).
      }
    }
    Snapshot existing =
        latest(engine, delta)
            .orElseThrow(
                () -> new IllegalStateException("Delta table " + table.name() + " vanished"));
    checkSchema(table, existing.getSchema(), schema);
  }

  static void checkSchema(TableSpec table, StructType existing, StructType requested) {
    List<String> differences = KernelSchemas.differences(existing, requested);
    if (!differences.isEmpty()) {
      throw new IllegalStateException(
          "table "
              + table.name()
              + " at "
              + table.path()
              + " already exists with a different schema: "
              + String.join("; ", differences)
              + ". Kernel cannot evolve schemas: write to a new table or migrate this one.");
    }
  }

  /** The next Kafka offset per partition recorded by the table's last commit that recorded any. */
  static Map<Integer, Long> positions(Engine engine, String path, String topic) {
    return latest(engine, Table.forPath(engine, path))
        .flatMap(snapshot -> snapshot.getDomainMetadata(Positions.domain(topic)))
        .<Map<Integer, Long>>map(Positions::fromJson)
        .orElse(Map.of());
  }

  private static Optional<Snapshot> latest(Engine engine, Table table) {
    try {
      return Optional.of(table.getLatestSnapshot(engine));
    } catch (TableNotFoundException e) {
      return Optional.empty();
    }
  }
}
