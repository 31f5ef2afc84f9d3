package io.tributary.pipelines.lakehouse;

import io.tributary.pipelines.lakehouse.delta.AddedSpans;
import io.tributary.pipelines.lakehouse.delta.DeltaActions;
import io.tributary.pipelines.lakehouse.delta.DeltaLog;
import io.tributary.pipelines.lakehouse.files.KernelSchemas;
import io.tributary.pipelines.lakehouse.parquet.ParquetTables;
import io.tributary.pipelines.lakehouse.storage.LakeFiles;
import io.tributary.pipelines.lakehouse.storage.LakeStorage;
import io.tributary.pipelines.offsets.OffsetRanges;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A lakehouse: a root directory holding tables in one {@link TableFormat}. Above the writers
 * ({@code append/}, {@code latest/}) and readers ({@link TableReader}, {@link DataFileReads}), the
 * one place that knows whether tables are Delta or plain Parquet.
 *
 * <p>Tables live at {@code root + "/" + name}, e.g. {@code bronze/weather}. Call {@link
 * #checkWritable()} and then {@link #create} for every table before building a pipeline that writes
 * them.
 */
public final class Lakehouse implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private final String root;
  private final TableFormat format;
  private final LakeStorage storage;

  private Lakehouse(String root, TableFormat format, LakeStorage storage) {
    this.root = root;
    this.format = format;
    this.storage = storage;
    LakeFiles.register(storage);
  }

  /**
   * A lakehouse at {@code root} (a local directory, or {@code abfss://} with the cluster's
   * credentials; trailing slashes are ignored).
   */
  public static Lakehouse at(String root, TableFormat format) {
    return at(root, format, LakeStorage.AuthOptions.CLUSTER);
  }

  /**
   * A lakehouse at {@code root}: a local directory, or ADLS Gen2 ({@code
   * abfss://CONTAINER@ACCOUNT.dfs.core.windows.net/PATH}) reached with {@code auth}.
   *
   * @throws IllegalArgumentException for an unusable root or authentication options
   */
  public static Lakehouse at(String root, TableFormat format, LakeStorage.AuthOptions auth) {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(format, "format");
    String trimmed = root.replaceAll("/+$", "");
    if (trimmed.isBlank()) {
      throw new IllegalArgumentException(
          "lakehouse root must be a directory path, got '" + root + "'");
    }
    return new Lakehouse(trimmed, format, LakeStorage.of(trimmed, auth));
  }

  /** How the lakehouse's store is reached. */
  public LakeStorage storage() {
    return storage;
  }

  public String root() {
    return root;
  }

  public TableFormat format() {
    return format;
  }

  /**
   * The table {@code name} (e.g. {@code gold/weather_by_city_1m}) with the columns of {@code
   * schema}.
   */
  public TableSpec table(String name, Schema schema) {
    if (name == null || name.isBlank() || name.startsWith("/") || name.contains("..")) {
      throw new IllegalArgumentException(
          "table name must be a relative path like 'bronze/weather', got '" + name + "'");
    }
    // Fail on unsupported column types now, not when the first row is written.
    KernelSchemas.toKernel(schema);
    return new TableSpec(name, root + "/" + name, schema, storage);
  }

  /**
   * Creates the table if it does not exist; otherwise checks that it has the requested columns.
   * Idempotent and safe to run concurrently.
   *
   * @throws IllegalStateException naming the table and the differing columns if it exists with
   *     another schema
   */
  public void create(TableSpec table) {
    create(table, false);
  }

  /**
   * Like {@link #create(TableSpec)}; with {@code changeDataFeed}, a Delta table also gets {@code
   * delta.enableChangeDataFeed=true} (set on an existing table too), so that any Delta reader can
   * read its changes. New nullable columns in {@code table}'s schema are added to an existing
   * table.
   *
   * @throws IllegalStateException naming the table and the columns when the existing table has a
   *     column the schema lacks or types differently
   */
  public void create(TableSpec table, boolean changeDataFeed) {
    switch (format) {
      case DELTA -> DeltaLog.create(LakeFiles.engine(), table, tableProperties(changeDataFeed));
      case PARQUET -> ParquetTables.create(table);
    }
  }

  /** Checkpoints every 10 commits; the change data feed where asked. */
  static Map<String, String> tableProperties(boolean changeDataFeed) {
    Map<String, String> properties = new java.util.TreeMap<>();
    properties.put("delta.checkpointInterval", String.valueOf(DeltaLog.CHECKPOINT_INTERVAL));
    if (changeDataFeed) {
      properties.put(DeltaLog.CHANGE_DATA_FEED, "true");
    }
    return properties;
  }

  /**
   * Checks that the root is (or can be created as) a writable directory, by writing and deleting a
   * probe file.
   *
   * @throws IllegalArgumentException saying what is wrong with the root
   */
  public void checkWritable() {
    // Fails on missing credentials with the options to fix them, before any network call.
    try {
      storage.checkCredentials(storage.applyTo(LakeFiles.hadoopConf(), System::getenv));
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException("lakehouse " + root + ": " + e.getMessage(), e);
    }
    Path dir = new Path(root);
    try {
      FileSystem fs = LakeFiles.fileSystem(root);
      if (fs.exists(dir)) {
        FileStatus status = fs.getFileStatus(dir);
        if (!status.isDirectory()) {
          throw new IllegalArgumentException(
              "lakehouse root "
                  + root
                  + " is a file, not a directory: point the lakehouse root at a directory");
        }
      } else if (!fs.mkdirs(dir)) {
        throw new IOException("mkdirs returned false");
      }
      Path probe = new Path(dir, "._tributary_probe_" + UUID.randomUUID());
      fs.create(probe, false).close();
      fs.delete(probe, false);
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException iae) {
        throw iae;
      }
      throw new IllegalArgumentException(
          "lakehouse root "
              + root
              + " is not writable: "
              + e.getMessage()
              + " (check the path and its permissions)",
          e);
    }
  }

  /**
   * Per Kafka partition of {@code topic}, the next offset after the contiguous run of offsets the
   * table has accounted for; empty for a table without recorded offsets.
   */
  public Map<Integer, Long> frontiers(TableSpec table, String topic) {
    return accounted(table, topic).frontiers();
  }

  /**
   * The offsets of {@code topic} the table has accounted for, as recorded atomically with its
   * commits (Delta) or after them (Parquet); empty for a missing table.
   */
  public OffsetRanges accounted(TableSpec table, String topic) {
    return switch (format) {
      case DELTA ->
          DeltaLog.latest(LakeFiles.engine(), table.path())
              .map(snapshot -> DeltaLog.accounted(snapshot, topic))
              .orElseGet(OffsetRanges::empty);
      case PARQUET -> ParquetTables.accounted(table.path(), topic);
    };
  }

  /**
   * Which incarnation of {@code topic} (its cluster and topic ids, as JSON) the table's offsets of
   * it belong to; empty when never recorded, or for a missing table.
   */
  public Optional<String> topicIdentity(TableSpec table, String topic) {
    return switch (format) {
      case DELTA -> domainMetadata(table, identityDomain(topic));
      case PARQUET -> LakeFiles.readString(ParquetTables.identityPath(table.path(), topic));
    };
  }

  /** Records which incarnation of {@code topic} the table's offsets of it belong to. */
  public void recordTopicIdentity(TableSpec table, String topic, String identity) {
    switch (format) {
      case DELTA -> recordDomainMetadata(table, identityDomain(topic), identity);
      case PARQUET ->
          LakeFiles.writeStringAtomically(
              ParquetTables.identityPath(table.path(), topic), identity);
    }
  }

  /**
   * Forgets the offsets of {@code topic} the table accounted for, and records {@code identity} as
   * the topic's incarnation, in one commit (Delta): the topic was deleted and created again, and is
   * read afresh from its earliest offset. The table's rows stay; on Delta, the forgotten offsets
   * and identity are kept in the domain {@code tributary.kafka-retired.<topic>}.
   */
  public void startTopicAfresh(TableSpec table, String topic, String identity) {
    switch (format) {
      case DELTA ->
          DeltaLog.commit(
              LakeFiles.engine(),
              table,
              "START TOPIC AFRESH",
              snapshot -> {
                com.fasterxml.jackson.databind.node.ObjectNode retired = JSON.createObjectNode();
                retired.put(
                    "identity", snapshot.getDomainMetadata(identityDomain(topic)).orElse(null));
                retired.put("offsets", DeltaLog.accounted(snapshot, topic).toJson());
                return Optional.of(
                    List.of(
                        DeltaActions.domainMetadataAction(DeltaLog.domain(topic), "{}"),
                        DeltaActions.domainMetadataAction(identityDomain(topic), identity),
                        DeltaActions.domainMetadataAction(
                            "tributary.kafka-retired." + topic, retired.toString())));
              });
      case PARQUET -> {
        LakeFiles.writeStringAtomically(ParquetTables.accountedPath(table.path(), topic), "{}");
        recordTopicIdentity(table, topic, identity);
      }
    }
  }

  /**
   * The Delta domain recording a topic's identity (never equal to an offsets domain, {@code
   * tributary.kafka.<topic>}, whatever the topic's name).
   */
  static String identityDomain(String topic) {
    return "tributary.kafka-source." + topic;
  }

  /** The table's latest version; empty for a missing table or a Parquet lakehouse. */
  public Optional<Long> version(TableSpec table) {
    return format == TableFormat.DELTA
        ? DeltaLog.latest(LakeFiles.engine(), table.path()).map(s -> s.getVersion())
        : Optional.empty();
  }

  /** A Delta domain's configuration at the table's latest version. */
  public Optional<String> domainMetadata(TableSpec table, String domain) {
    return DeltaLog.latest(LakeFiles.engine(), table.path())
        .flatMap(snapshot -> snapshot.getDomainMetadata(domain));
  }

  /** Commits a Delta domain's configuration (a metadata-only commit; nothing if unchanged). */
  public void recordDomainMetadata(TableSpec table, String domain, String configuration) {
    DeltaLog.commit(
        LakeFiles.engine(),
        table,
        "SET DOMAIN METADATA",
        snapshot ->
            snapshot.getDomainMetadata(domain).filter(configuration::equals).isPresent()
                ? Optional.empty()
                : Optional.of(List.of(DeltaActions.domainMetadataAction(domain, configuration))));
  }

  /**
   * The spans of {@code column} (a timestamp) of the files added to the Delta table after version
   * {@code after} up to {@code upTo}, widened to whole windows and merged ({@link AddedSpans}).
   */
  public Optional<List<TimeSpan>> addedSpans(
      TableSpec table, String column, long after, long upTo, org.joda.time.Duration window) {
    return AddedSpans.of(table, column, after, upTo, window);
  }

  @Override
  public String toString() {
    return "Lakehouse{" + format + " at " + root + "}";
  }
}
