package io.tributary.pipelines.lakehouse.delta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.kernel.internal.SnapshotImpl;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.storage.LakeFiles;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the data files a Delta table stopped using more than a retention ago: Delta's {@code
 * VACUUM}, for the files this lakehouse's own commits removed. A streaming run replaces a gold
 * table's changed bucket files in every cycle and compacts the small files of its append tables;
 * without this, the replaced files would pile up on disk (a gold table of 16 buckets, a cycle a
 * second: some 57,000 files an hour).
 *
 * <p>A file is deleted once the {@code remove} that took it out of the table is older than the
 * retention, as Delta's own rule has it: a reader still on a snapshot from before the removal (a
 * dashboard, a Spark query, time travel) can read it for that long. The remove actions are read
 * from the commits since the table's previous vacuum in this JVM; the first vacuum of a run reads
 * every commit still in the log.
 */
public final class VacuumFiles {
  private static final Logger LOG = LoggerFactory.getLogger(VacuumFiles.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The shortest retention accepted: readers take seconds, time travel needs more. */
  public static final Duration MIN_RETENTION = Duration.ofMinutes(1);

  /** Per table path: the last commit read, and the removed files not yet old enough. */
  private static final Map<String, Removed> REMOVED = new ConcurrentHashMap<>();

  private static final class Removed {
    long lastVersion = -1;
    final Map<String, Long> deletedAt = new ConcurrentHashMap<>();
  }

  private VacuumFiles() {}

  /**
   * Deletes the files removed from the table more than {@code retention} ago.
   *
   * @return the number of files deleted
   */
  public static int vacuum(TableSpec table, Duration retention) {
    return vacuum(table, retention, System.currentTimeMillis());
  }

  /** As {@link #vacuum(TableSpec, Duration)}, with the clock at {@code nowMillis}. */
  static int vacuum(TableSpec table, Duration retention, long nowMillis) {
    if (retention.compareTo(MIN_RETENTION) < 0) {
      throw new IllegalArgumentException(
          "a vacuum retention of " + retention + " is below the minimum " + MIN_RETENTION);
    }
    LakeFiles.register(table.storage());
    Optional<SnapshotImpl> snapshot = DeltaLog.latest(LakeFiles.engine(), table.path());
    if (snapshot.isEmpty()) {
      return 0;
    }
    Removed removed = REMOVED.computeIfAbsent(table.path(), path -> new Removed());
    synchronized (removed) {
      long latest = snapshot.get().getVersion();
      for (long version = removed.lastVersion + 1; version <= latest; version++) {
        readRemoves(table, version, removed.deletedAt);
      }
      removed.lastVersion = latest;
      long cutoff = nowMillis - retention.toMillis();
      Path root = new Path(table.path());
      FileSystem fs = LakeFiles.fileSystem(table.path());
      int deleted = 0;
      for (Iterator<Map.Entry<String, Long>> files = removed.deletedAt.entrySet().iterator();
          files.hasNext(); ) {
        Map.Entry<String, Long> file = files.next();
        if (file.getValue() >= cutoff) {
          continue;
        }
        try {
          Path path = resolve(root, file.getKey());
          if (fs.delete(path, false)) {
            deleted++;
          }
          files.remove();
        } catch (IOException | URISyntaxException | RuntimeException e) {
          LOG.warn("{}: cannot delete the unused file {}", table.name(), file.getKey(), e);
        }
      }
      if (deleted > 0) {
        LOG.info(
            "{}: deleted {} files removed from the table more than {} ago",
            table.name(),
            deleted,
            retention);
      }
      return deleted;
    }
  }

  /** Adds the files the commit removed; a commit no longer in the log is skipped. */
  private static void readRemoves(TableSpec table, long version, Map<String, Long> deletedAt) {
    Optional<String> commit =
        LakeFiles.readString(
            table.path() + "/_delta_log/" + String.format("%020d", version) + ".json");
    if (commit.isEmpty()) {
      return;
    }
    for (String line : commit.get().split("\n")) {
      if (!line.contains("\"remove\"")) {
        continue;
      }
      try {
        JsonNode remove = JSON.readTree(line).get("remove");
        if (remove != null && remove.hasNonNull("path")) {
          deletedAt.put(remove.get("path").asText(), remove.path("deletionTimestamp").asLong(0));
        }
      } catch (IOException e) {
        LOG.warn("{}: cannot read commit {}: {}", table.name(), version, e.getMessage());
      }
    }
  }

  /** A path as the log has it (a URI, relative to the table root unless absolute). */
  private static Path resolve(Path root, String logPath) throws URISyntaxException {
    URI uri = new URI(logPath);
    return uri.isAbsolute() ? new Path(uri) : new Path(root, new Path(uri));
  }
}
