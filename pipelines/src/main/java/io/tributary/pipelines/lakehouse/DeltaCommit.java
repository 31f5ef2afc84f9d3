package io.tributary.pipelines.lakehouse;

import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.Table;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionBuilder;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.hook.PostCommitHook.PostCommitHookType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends written data files to a Delta table in one Kernel transaction ({@link Operation#WRITE}),
 * together with the Kafka positions they advance: both land in the same {@code N.json}, so a reader
 * (or a restarted pipeline) sees the files and the positions, or neither.
 *
 * <p>Positions are domain metadata {@code tributary.kafka.<topic>} (Kernel 4.0 {@code
 * addDomainMetadata}); the first such commit upgrades the table protocol to writer version 7 with
 * the {@code domainMetadata} feature.
 *
 * <p>Concurrency: Kernel rebases blind appends on concurrent commits by itself. What it cannot
 * rebase — a concurrent metadata change ({@code MetadataChangedException}), protocol change ({@code
 * ProtocolChangedException}) or a concurrent write of the same positions domain (plain {@code
 * ConcurrentWriteException}) — is retried here by rebuilding the transaction on the latest
 * snapshot, re-reading and re-merging the positions, up to {@link #MAX_RETRIES} times. The data
 * files stay valid across retries: they are only referenced by the commit.
 */
final class DeltaCommit {
  static final int MAX_RETRIES = 5;

  private static final Logger LOG = LoggerFactory.getLogger(DeltaCommit.class);

  private DeltaCommit() {}

  /**
   * Commits the files; returns the table version written.
   *
   * @param positionsTopic when present, records the files' next offsets merged with the recorded
   *     ones
   * @throws IllegalStateException naming the table when the commit still conflicts after the
   *     retries
   */
  static long commit(
      Engine engine, TableSpec table, List<DataFile> files, Optional<String> positionsTopic) {
    ConcurrentWriteException conflict = null;
    for (int attempt = 0; attempt <= MAX_RETRIES; attempt++) {
      try {
        return attempt(engine, table, files, positionsTopic);
      } catch (ConcurrentWriteException e) {
        conflict = e;
        if (attempt == MAX_RETRIES) {
          break;
        }
        LOG.info(
            "Delta table {}: concurrent change ({}), rebuilding the commit (retry {} of {})",
            table.name(),
            e.getClass().getSimpleName(),
            attempt + 1,
            MAX_RETRIES);
        backOff(attempt);
      }
    }
    throw new IllegalStateException(
        "could not commit "
            + files.size()
            + " data files to Delta table "
            + table.name()
            + " at "
            + table.path()
            + ": still conflicting with concurrent writers after "
            + MAX_RETRIES
            + " retries",
        conflict);
  }

  private static long attempt(
      Engine engine, TableSpec table, List<DataFile> files, Optional<String> positionsTopic) {
    Table delta = Table.forPath(engine, table.path());
    TransactionBuilder builder =
        delta.createTransactionBuilder(engine, DeltaTables.ENGINE_INFO, Operation.WRITE);
    if (positionsTopic.isPresent()) {
      builder = builder.withDomainMetadataSupported();
    }
    Transaction txn = builder.build(engine);
    Row state = txn.getTransactionState(engine);
    StructType schema = txn.getSchema(engine);
    // Unpartitioned: one write context, the table root, against which Kernel relativizes paths.
    DataWriteContext context = Transaction.getWriteContext(engine, state, Map.of());
    CloseableIterable<Row> actions =
        CloseableIterable.inMemoryIterable(
            Transaction.generateAppendActions(
                engine,
                state,
                KernelIterators.of(files.stream().map(f -> f.toStatus(schema)).toList()),
                context));
    if (positionsTopic.isPresent()) {
      String domain = Positions.domain(positionsTopic.get());
      // Merge with the positions of the snapshot this transaction read. Conflict detection covers
      // exactly the commits after it, so a concurrent position update is either seen here or
      // makes this commit fail.
      Map<Integer, Long> recorded =
          delta
              .getSnapshotAsOfVersion(engine, txn.getReadTableVersion())
              .getDomainMetadata(domain)
              .<Map<Integer, Long>>map(Positions::fromJson)
              .orElse(Map.of());
      txn.addDomainMetadata(
          domain, Positions.toJson(Positions.merge(recorded, nextOffsets(files))));
    }
    TransactionCommitResult result = txn.commit(engine, actions);
    checkpointIfDue(engine, table, result);
    return result.getVersion();
  }

  /**
   * Waits a random 50–250 ms times the attempt number before rebuilding, so that two committers
   * that keep updating the same positions domain do not keep colliding in lockstep.
   */
  private static void backOff(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(50, 250) * (attempt + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while retrying a Delta commit", e);
    }
  }

  static Map<Integer, Long> nextOffsets(List<DataFile> files) {
    Map<Integer, Long> next = new TreeMap<>();
    files.forEach(file -> file.nextOffsets().forEach((p, o) -> next.merge(p, o, Math::max)));
    return next;
  }

  /**
   * Runs Kernel's CHECKPOINT hook (every {@code delta.checkpointInterval} commits). The CHECKSUM
   * hooks are skipped on purpose: Kernel 4.0 can lose domain metadata when replaying from CRC files
   * (fixed in 4.2, delta#6001). A failed checkpoint does not fail the commit, which has already
   * happened; the next due checkpoint covers it.
   */
  private static void checkpointIfDue(
      Engine engine, TableSpec table, TransactionCommitResult result) {
    for (PostCommitHook hook : result.getPostCommitHooks()) {
      if (hook.getType() != PostCommitHookType.CHECKPOINT) {
        continue;
      }
      try {
        hook.threadSafeInvoke(engine);
      } catch (Exception e) {
        LOG.warn(
            "Delta table {}: checkpoint after version {} failed",
            table.name(),
            result.getVersion(),
            e);
      }
    }
  }
}
