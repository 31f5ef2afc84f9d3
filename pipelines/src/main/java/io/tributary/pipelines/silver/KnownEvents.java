package io.tributary.pipelines.silver;

import io.tributary.pipelines.lakehouse.LakeStorage;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableReader;
import java.io.Serializable;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.joda.time.Duration;

/**
 * The event ids silver holds within the de-duplication horizon of its newest event, with their
 * event times: an event whose id is among them is a duplicate.
 *
 * <p>A value of this class is only a serializable handle (the table, the horizon); the ids live in
 * a cache of this JVM, one per silver table, which reads only the data files it has not read
 * before. A run of many cycles therefore reads silver's ids once and then each cycle's new files,
 * and no pipeline carries the ids in its serialized form (an hour at 5,000 events/s is 18 million
 * ids). A worker in another JVM (a Spark cluster's executor) fills its own cache from the table the
 * same way on first use.
 */
public final class KnownEvents implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final Map<String, Ids> CACHE = new ConcurrentHashMap<>();

  private final String silverPath;
  private final TableFormat format;
  private final LakeStorage storage;
  private final long horizonMillis;

  private KnownEvents(
      String silverPath, TableFormat format, LakeStorage storage, long horizonMillis) {
    this.silverPath = silverPath;
    this.format = format;
    this.storage = storage;
    this.horizonMillis = horizonMillis;
  }

  /** The ids of the silver table at {@code silverPath}, remembered for {@code horizon}. */
  public static KnownEvents of(
      String silverPath, TableFormat format, LakeStorage storage, Duration horizon) {
    return new KnownEvents(silverPath, format, storage, horizon.getMillis());
  }

  /** No known ids (tests, and pipelines without a silver table to look at). */
  public static KnownEvents none() {
    return new KnownEvents(null, TableFormat.DELTA, null, 0);
  }

  /**
   * The event ids (with their event times) of every row silver holds now, within the horizon of its
   * newest event; read-only for the caller. Reads the table's files this JVM has not read yet.
   */
  public EventIdSet ids() {
    return silverPath == null ? new EventIdSet() : refreshed().ids;
  }

  /** The event time of silver's newest row (epoch millis), if silver has rows. */
  public Optional<Long> newestEventMillis() {
    if (silverPath == null) {
      return Optional.empty();
    }
    Ids ids = refreshed();
    return ids.newest == Long.MIN_VALUE ? Optional.empty() : Optional.of(ids.newest);
  }

  /** Forgets what this JVM read of every table (a test that rewrites a table in place). */
  public static void clearCache() {
    CACHE.clear();
  }

  private Ids refreshed() {
    Ids ids = CACHE.computeIfAbsent(silverPath + "|" + horizonMillis, key -> new Ids());
    synchronized (ids) {
      try {
        ids.readNewFiles(this);
      } catch (RuntimeException e) {
        // Some file may have been marked read without its ids: start over next time.
        CACHE.remove(silverPath + "|" + horizonMillis);
        throw e;
      }
    }
    return ids;
  }

  /** The ids of one table, and the files they were read from. */
  private static final class Ids {
    final EventIdSet ids = new EventIdSet();
    final Set<String> filesRead = new HashSet<>();
    long newest = Long.MIN_VALUE;
    long prunedAt = Long.MIN_VALUE;

    void readNewFiles(KnownEvents table) {
      if (table.storage != null) {
        TableReader.register(table.storage);
      }
      long[] newestRead = {newest};
      TableReader.readColumnsOfFiles(
          table.silverPath,
          table.format,
          List.of("event_id", "event_time"),
          filesRead::add,
          row -> {
            long time = ((Instant) row.get("event_time")).toEpochMilli();
            ids.put((String) row.get("event_id"), time);
            newestRead[0] = Math.max(newestRead[0], time);
          });
      newest = newestRead[0];
      // Pruning walks every id: done when the newest event moved on by an eighth of the horizon,
      // not on every cycle, at the price of keeping up to that much more.
      if (newest != Long.MIN_VALUE
          && (prunedAt == Long.MIN_VALUE || newest - prunedAt >= table.horizonMillis / 8)) {
        long oldest = newest - table.horizonMillis;
        ids.removeOlderThan(oldest);
        prunedAt = newest;
      }
    }
  }
}
