package io.tributary.pipelines.lakehouse.delta;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.delta.kernel.types.StructType;
import io.tributary.pipelines.lakehouse.files.DataFile;
import io.tributary.pipelines.offsets.OffsetRanges;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The Delta log's actions as the JSON lines of a commit: {@code add}, {@code remove}, {@code
 * domainMetadata}, {@code txn}, {@code commitInfo}, {@code protocol} and {@code metaData}, written
 * as the Delta protocol spells them (what Spark and Kernel read back). {@link DeltaLog} writes
 * them.
 */
public final class DeltaActions {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeltaActions() {}

  /**
   * The actions recording that the table now accounts for {@code after} (it had {@code recorded}):
   * the domain metadata of the topic's offsets, and a {@code txn} action per partition whose
   * contiguous position moved; none when nothing changed.
   */
  static List<String> offsetActions(String topic, OffsetRanges recorded, OffsetRanges after) {
    List<String> actions = new ArrayList<>();
    if (after.equals(recorded)) {
      return actions;
    }
    String domain = DeltaLog.domain(topic);
    actions.add(domainMetadataAction(domain, after.toJson()));
    Map<Integer, Long> before = recorded.frontiers();
    after
        .frontiers()
        .forEach(
            (partition, next) -> {
              if (!next.equals(before.get(partition))) {
                actions.add(txnAction(domain + "." + partition, next));
              }
            });
    return actions;
  }

  static String addAction(DataFile file, StructType schema, String tableRoot) {
    return addAction(file, schema, tableRoot, true);
  }

  /**
   * @param dataChange false for a rewrite of rows the table already holds (compaction), which
   *     change-data-feed and streaming readers skip
   */
  static String addAction(DataFile file, StructType schema, String tableRoot, boolean dataChange) {
    ObjectNode add = JSON.createObjectNode();
    add.put("path", relativePath(file.path(), tableRoot));
    add.putObject("partitionValues");
    add.put("size", file.sizeBytes());
    add.put("modificationTime", file.modificationTimeMillis());
    add.put("dataChange", dataChange);
    add.put(
        "stats",
        file.toStatus(schema).getStatistics().map(s -> s.serializeAsJson(schema)).orElse(null));
    return wrap("add", add);
  }

  /** Removes a file (its {@code path} as the log recorded it) from the table. */
  static String removeAction(String path, long size) {
    return removeAction(path, size, true);
  }

  /** As {@link #removeAction(String, long)}; {@code dataChange} false for a compaction. */
  static String removeAction(String path, long size, boolean dataChange) {
    ObjectNode remove = JSON.createObjectNode();
    remove.put("path", path);
    remove.put("deletionTimestamp", System.currentTimeMillis());
    remove.put("dataChange", dataChange);
    remove.put("extendedFileMetadata", true);
    remove.putObject("partitionValues");
    remove.put("size", size);
    return wrap("remove", remove);
  }

  public static String domainMetadataAction(String domain, String configuration) {
    ObjectNode metadata = JSON.createObjectNode();
    metadata.put("domain", domain);
    metadata.put("configuration", configuration);
    metadata.put("removed", false);
    return wrap("domainMetadata", metadata);
  }

  /**
   * A set-transaction action: {@code version} is the latest position of application {@code appId}
   * in this table, which Delta writers (Spark's idempotent writes, Kafka ingesters) read back.
   */
  static String txnAction(String appId, long version) {
    ObjectNode txn = JSON.createObjectNode();
    txn.put("appId", appId);
    txn.put("version", version);
    txn.put("lastUpdated", System.currentTimeMillis());
    return wrap("txn", txn);
  }

  static String commitInfo(String operation, long readVersion) {
    ObjectNode info = JSON.createObjectNode();
    info.put("timestamp", System.currentTimeMillis());
    info.put("operation", operation);
    info.putObject("operationParameters");
    if (readVersion >= 0) {
      info.put("readVersion", readVersion);
    }
    info.put("isBlindAppend", "WRITE".equals(operation));
    info.put("engineInfo", DeltaLog.ENGINE_INFO);
    info.put("txnId", UUID.randomUUID().toString());
    return wrap("commitInfo", info);
  }

  static String protocol(int readerVersion, Set<String> readerFeatures, Set<String> writer) {
    ObjectNode protocol = JSON.createObjectNode();
    protocol.put("minReaderVersion", readerVersion);
    protocol.put("minWriterVersion", 7);
    if (readerVersion >= 3) {
      ArrayNode reader = protocol.putArray("readerFeatures");
      new TreeSet<>(readerFeatures).forEach(reader::add);
    }
    ArrayNode features = protocol.putArray("writerFeatures");
    new TreeSet<>(writer).forEach(features::add);
    return wrap("protocol", protocol);
  }

  static String metadata(
      String id, StructType schema, Map<String, String> configuration, long createdTime) {
    ObjectNode metadata = JSON.createObjectNode();
    metadata.put("id", id);
    ObjectNode format = metadata.putObject("format");
    format.put("provider", "parquet");
    format.putObject("options");
    metadata.put("schemaString", schema.toJson());
    metadata.putArray("partitionColumns");
    ObjectNode config = metadata.putObject("configuration");
    new TreeMap<>(configuration).forEach(config::put);
    metadata.put("createdTime", createdTime);
    return wrap("metaData", metadata);
  }

  private static String wrap(String action, ObjectNode body) {
    ObjectNode line = JSON.createObjectNode();
    line.set(action, body);
    return line.toString();
  }

  /** A path relative to the table root as the log wants it (files are written in the root). */
  private static String relativePath(String absolute, String tableRoot) {
    String file = new org.apache.hadoop.fs.Path(absolute).toUri().getPath();
    String root = new org.apache.hadoop.fs.Path(tableRoot).toUri().getPath();
    String prefix = root.endsWith("/") ? root : root + "/";
    if (!file.startsWith(prefix)) {
      throw new IllegalStateException("data file " + absolute + " is not in table " + tableRoot);
    }
    return new org.apache.hadoop.fs.Path(null, null, file.substring(prefix.length()))
        .toUri()
        .getRawPath();
  }
}
