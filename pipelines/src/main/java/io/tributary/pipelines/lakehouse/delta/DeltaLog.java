package io.tributary.pipelines.lakehouse.delta;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.kernel.Table;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.internal.SnapshotImpl;
import io.delta.kernel.internal.actions.Metadata;
import io.delta.kernel.internal.actions.Protocol;
import io.delta.kernel.internal.checkpoints.CheckpointMetaData;
import io.delta.kernel.internal.checkpoints.Checkpointer;
import io.delta.kernel.internal.fs.Path;
import io.delta.kernel.internal.replay.CreateCheckpointIterator;
import io.delta.kernel.internal.tablefeatures.TableFeature;
import io.delta.kernel.internal.util.FileNames;
import io.delta.kernel.types.StructType;
import io.delta.storage.LogStore;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.files.KernelSchemas;
import io.tributary.pipelines.lakehouse.storage.LakeFiles;
import io.tributary.pipelines.offsets.OffsetRanges;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes Delta log commits: the actions of a commit are JSON lines written as {@code
 * _delta_log/N.json} with the log store's put-if-absent, so of two writers racing for version N
 * exactly one wins. Delta Kernel reads the table (snapshots, domain metadata, checkpoints); this
 * class writes the commits because Kernel 4.0 cannot write to tables with Change Data Feed on,
 * cannot evolve a schema, and has no public remove action, all of which the lakehouse needs.
 *
 * <p>A commit is planned against a snapshot ({@link Plan}). When another writer took the version,
 * the plan is made again against the new snapshot (up to {@link #MAX_ATTEMPTS} times): plans
 * compute their actions from what the snapshot holds, so a re-plan merges Kafka offsets, skips
 * files another writer already committed and re-reads the rows it replaces. That is all the
 * conflict resolution our writes need, and it never loses a commit.
 *
 * <p>Tables are created at protocol (1, 7) with the writer features {@code domainMetadata} (Kafka
 * offsets, see {@link OffsetRanges}) and, where asked, {@code changeDataFeed}: what Databricks
 * Runtime 15.4/16.4 LTS and delta-spark 3.x read and write. Commits that only add files (and
 * latest-state rewrites, whose removes and adds carry {@code dataChange}) need no {@code
 * _change_data} files: change-feed readers derive inserts and deletes from them.
 */
public final class DeltaLog {
  /** Recorded as the writer of every commit ({@code commitInfo.engineInfo}). */
  static final String ENGINE_INFO = "tributary";

  /** Columns with statistics in each file ({@code delta.dataSkippingNumIndexedCols} default). */
  public static final int STATS_COLUMNS = 32;

  /** A checkpoint every this many commits keeps log replay short. */
  public static final int CHECKPOINT_INTERVAL = 10;

  /** Property turning the change data feed on. */
  public static final String CHANGE_DATA_FEED = "delta.enableChangeDataFeed";

  /**
   * Attempts at one commit. Re-planning a blind append costs a snapshot refresh, so many writers
   * can share a table; a latest-state rewrite re-reads only the files it replaces.
   */
  static final int MAX_ATTEMPTS = 50;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(DeltaLog.class);

  private DeltaLog() {}

  /** Actions of one commit, planned against the table as it stands. */
  public interface Plan {
    /**
     * The commit's actions (JSON lines, without {@code commitInfo}), or empty when, against this
     * snapshot, there is nothing left to commit.
     */
    Optional<List<String>> actions(SnapshotImpl snapshot);
  }

  /**
   * Commits the plan as the next version; returns it, or empty if the plan had nothing to commit.
   *
   * @param operation recorded in {@code commitInfo.operation}, e.g. {@code WRITE} or {@code MERGE}
   * @throws IllegalStateException naming the table when other writers keep taking the version
   */
  public static Optional<Long> commit(Engine engine, TableSpec table, String operation, Plan plan) {
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      SnapshotImpl snapshot =
          latest(engine, table.path())
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "Delta table "
                              + table.name()
                              + " at "
                              + table.path()
                              + " does not exist: create it first (./tributary init)"));
      Optional<List<String>> actions = plan.actions(snapshot);
      if (actions.isEmpty()) {
        return Optional.empty();
      }
      long version = snapshot.getVersion() + 1;
      List<String> lines = new ArrayList<>();
      lines.add(DeltaActions.commitInfo(operation, snapshot.getVersion()));
      lines.addAll(actions.get());
      if (write(table, version, lines)) {
        checkpointIfDue(engine, table, version);
        return Optional.of(version);
      }
      LOG.info(
          "Delta table {}: version {} was taken by another writer, planning the commit again"
              + " (attempt {} of {})",
          table.name(),
          version,
          attempt + 1,
          MAX_ATTEMPTS);
      backOff(attempt);
    }
    throw new IllegalStateException(
        "could not commit to Delta table "
            + table.name()
            + " at "
            + table.path()
            + ": other writers took every version for "
            + MAX_ATTEMPTS
            + " attempts; are many pipelines writing this table at once?");
  }

  /**
   * Creates the table as version 0 with {@code properties}, or brings an existing table up to date:
   * columns the requested schema adds (nullable, at the end) and missing properties are committed
   * as a new metadata version. Idempotent and safe to run concurrently.
   *
   * @throws IllegalStateException naming the columns when the existing table has a column the
   *     request lacks or types a column differently
   */
  public static void create(Engine engine, TableSpec table, Map<String, String> properties) {
    StructType requested = KernelSchemas.toKernel(table.schema());
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      Optional<SnapshotImpl> existing = latest(engine, table.path());
      if (existing.isEmpty()) {
        List<String> lines = new ArrayList<>();
        lines.add(DeltaActions.commitInfo("CREATE TABLE", -1));
        lines.add(DeltaActions.protocol(1, Set.of(), featuresFor(properties, Set.of())));
        lines.add(
            DeltaActions.metadata(
                UUID.randomUUID().toString(),
                requested,
                new TreeMap<>(properties),
                System.currentTimeMillis()));
        if (write(table, 0, lines)) {
          return;
        }
        continue;
      }
      SnapshotImpl snapshot = existing.get();
      Metadata metadata = snapshot.getMetadata();
      SchemaChange change = SchemaChange.between(table, snapshot.getSchema(), requested);
      Map<String, String> configuration = new TreeMap<>(metadata.getConfiguration());
      boolean newProperties = false;
      for (Map.Entry<String, String> property : properties.entrySet()) {
        if (!property.getValue().equals(configuration.get(property.getKey()))) {
          configuration.put(property.getKey(), property.getValue());
          newProperties = true;
        }
      }
      if (change.added().isEmpty() && !newProperties) {
        return;
      }
      Protocol protocol = snapshot.getProtocol();
      Set<String> writerFeatures = featureNames(protocol);
      Set<String> wanted = featuresFor(configuration, writerFeatures);
      List<String> lines = new ArrayList<>();
      lines.add(
          DeltaActions.commitInfo(
              change.added().isEmpty() ? "SET TBLPROPERTIES" : "ADD COLUMNS", -1));
      if (!wanted.equals(writerFeatures) || protocol.getMinWriterVersion() < 7) {
        lines.add(
            DeltaActions.protocol(
                protocol.getMinReaderVersion(), protocol.getReaderFeatures(), wanted));
      }
      lines.add(
          DeltaActions.metadata(
              metadata.getId(),
              change.evolved(),
              configuration,
              metadata.getCreatedTime().orElse(System.currentTimeMillis())));
      if (write(table, snapshot.getVersion() + 1, lines)) {
        if (!change.added().isEmpty()) {
          LOG.info(
              "Delta table {}: added nullable columns {} (earlier rows read them as null)",
              table.name(),
              change.added());
        }
        return;
      }
    }
    throw new IllegalStateException(
        "could not create or update Delta table " + table.name() + ": too many concurrent changes");
  }

  /** The table's latest snapshot, or empty when there is no table at {@code path}. */
  public static Optional<SnapshotImpl> latest(Engine engine, String path) {
    try {
      return Optional.of((SnapshotImpl) Table.forPath(engine, path).getLatestSnapshot(engine));
    } catch (TableNotFoundException e) {
      return Optional.empty();
    }
  }

  /** The offsets of {@code topic} the snapshot's table has accounted for. */
  public static OffsetRanges accounted(SnapshotImpl snapshot, String topic) {
    return snapshot
        .getDomainMetadata(domain(topic))
        .map(OffsetRanges::fromJson)
        .orElseGet(OffsetRanges::empty);
  }

  /**
   * Delta domain of a topic's accounted offsets; user domains must not start with {@code delta.}.
   */
  public static String domain(String topic) {
    return "tributary.kafka." + topic;
  }

  /**
   * The writer features a table with this configuration needs on top of those it has: {@code
   * domainMetadata} always (Kafka offsets), {@code changeDataFeed} when it is on.
   */
  private static Set<String> featuresFor(Map<String, String> configuration, Set<String> existing) {
    Set<String> features = new TreeSet<>(existing);
    features.add("domainMetadata");
    // NOT NULL columns: Spark refuses a (1, 7) table that does not list it.
    features.add("invariants");
    if ("true".equalsIgnoreCase(configuration.get(CHANGE_DATA_FEED))) {
      features.add("changeDataFeed");
    }
    return features;
  }

  /** Writer features a protocol supports, legacy ones (implied by its version) included. */
  private static Set<String> featureNames(Protocol protocol) {
    Set<String> names = new TreeSet<>();
    for (TableFeature feature : protocol.getImplicitlyAndExplicitlySupportedFeatures()) {
      names.add(feature.featureName());
    }
    return names;
  }

  // ---- writing and checkpoints ----

  /** Writes version {@code version} if no other writer did; false if one did. */
  private static boolean write(TableSpec table, long version, List<String> lines) {
    Configuration conf = LakeFiles.hadoopConf();
    String deltaFile = FileNames.deltaFile(new Path(table.path(), "_delta_log"), version);
    try {
      org.apache.hadoop.fs.FileSystem fs = LakeFiles.fileSystem(table.path());
      org.apache.hadoop.fs.Path target = fs.makeQualified(new org.apache.hadoop.fs.Path(deltaFile));
      LogStore store =
          io.delta.kernel.defaults.internal.logstore.LogStoreProvider.getLogStore(
              conf, target.toUri().getScheme());
      fs.mkdirs(target.getParent());
      store.write(target, lines.iterator(), false, conf);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      if (e.getCause() instanceof FileAlreadyExistsException) {
        return false;
      }
      throw new UncheckedIOException(
          "cannot write version " + version + " of Delta table " + table.name(), e);
    }
  }

  /**
   * Writes a checkpoint every {@link #CHECKPOINT_INTERVAL} versions, as Kernel's checkpointer does
   * but without its refusal of change-data-feed tables (reading them is fine; a checkpoint is a
   * read). A failed checkpoint does not fail the commit, which has happened; the next one covers
   * it.
   */
  private static void checkpointIfDue(Engine engine, TableSpec table, long version) {
    if (version % CHECKPOINT_INTERVAL != 0) {
      return;
    }
    try {
      SnapshotImpl snapshot =
          (SnapshotImpl)
              Table.forPath(engine, table.path()).getSnapshotAsOfVersion(engine, version);
      Path logPath = snapshot.getLogPath();
      long adds;
      try (CreateCheckpointIterator actions = snapshot.getCreateCheckpointIterator(engine)) {
        engine
            .getParquetHandler()
            .writeParquetFileAtomically(
                FileNames.checkpointFileSingular(logPath, version).toString(), actions);
        adds = actions.getNumberOfAddActions();
      }
      new Checkpointer(logPath)
          .writeLastCheckpointFile(engine, new CheckpointMetaData(version, adds, Optional.empty()));
    } catch (Exception e) {
      LOG.warn("Delta table {}: checkpoint at version {} failed", table.name(), version, e);
    }
  }

  private static void backOff(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(5, 50) * Math.min(attempt, 10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while retrying a Delta commit", e);
    }
  }
}
