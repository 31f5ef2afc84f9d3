package io.tributary.pipelines.silver;

import io.tributary.pipelines.lakehouse.DataFileReads;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableReader;
import io.tributary.pipelines.lakehouse.storage.LakeStorage;
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
 *
 * <p>Start-up is bounded by the horizon, not by the table: on Delta, files whose statistics put all
 * their events more than the horizon before silver's newest are never read. Ids are kept as 128-bit
 * hashes with their event times in flat arrays (32 to 64 bytes an id, against about 150 in a map of
 * strings): two different ids share a hash with a probability of about n²/2¹²⁹, 10⁻²⁴ for 18
 * million ids.
 */
public final class KnownEvents implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final Map<String, Ids> CACHE = new ConcurrentHashMap<>();

  /** Tells this JVM's caches from another's (a handle warmed here and used on another worker). */
  private static final String JVM = java.util.UUID.randomUUID().toString();

  private final String silverPath;
  private final TableFormat format;
  private final LakeStorage storage;
  private final long horizonMillis;
  // Set by warm(): this JVM's cache read the table then; null: read its new files on every use.
  private final String warmedJvm;
  private final long warmedReads;

  private KnownEvents(
      String silverPath,
      TableFormat format,
      LakeStorage storage,
      long horizonMillis,
      String warmedJvm,
      long warmedReads) {
    this.silverPath = silverPath;
    this.format = format;
    this.storage = storage;
    this.horizonMillis = horizonMillis;
    this.warmedJvm = warmedJvm;
    this.warmedReads = warmedReads;
  }

  /** The ids of the silver table at {@code silverPath}, remembered for {@code horizon}. */
  public static KnownEvents of(
      String silverPath, TableFormat format, LakeStorage storage, Duration horizon) {
    return new KnownEvents(silverPath, format, storage, horizon.getMillis(), null, 0);
  }

  /**
   * Reads the table's new files now, and returns a handle whose uses in this JVM take the ids as
   * read then, without listing the table again: a pipeline built right after (a cycle) would
   * otherwise list silver once more in every worker's setup, and the DirectRunner sets a step up
   * again for every bundle. In another JVM the handle reads the table on first use, as {@link #ids}
   * does.
   */
  public KnownEvents warm() {
    if (silverPath == null) {
      return this;
    }
    Ids ids = refreshed();
    return new KnownEvents(silverPath, format, storage, horizonMillis, JVM, ids.reads);
  }

  /** No known ids (tests, and pipelines without a silver table to look at). */
  public static KnownEvents none() {
    return new KnownEvents(null, TableFormat.DELTA, null, 0, null, 0);
  }

  /** Which event ids are known. */
  public interface Lookup {
    boolean contains(String eventId);
  }

  /**
   * The ids of every row silver holds now, within the horizon of its newest event. Reads the
   * table's files this JVM has not read yet.
   */
  public Lookup ids() {
    if (silverPath == null) {
      return id -> false;
    }
    return refreshed();
  }

  /** How many ids are known (after reading the table's new files). */
  public long size() {
    return silverPath == null ? 0 : refreshed().size();
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
      if (JVM.equals(warmedJvm) && ids.reads >= warmedReads && warmedReads > 0) {
        // Read when this handle was warmed (or since): as fresh as the pipeline needs.
        return ids;
      }
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
  private static final class Ids implements Lookup {
    final IdTable table = new IdTable();
    final Set<String> filesRead = new HashSet<>();
    long newest = Long.MIN_VALUE;
    long prunedAt = Long.MIN_VALUE;
    // How many times the table was read into this cache (0: never).
    long reads;

    @Override
    public boolean contains(String eventId) {
      return table.contains(eventId);
    }

    long size() {
      return table.size();
    }

    void readNewFiles(KnownEvents known) {
      if (known.storage != null) {
        TableReader.register(known.storage);
      }
      // Files whose statistics put every event more than the horizon before the newest one hold
      // no id to remember: they are marked read without reading them.
      Map<String, Optional<Long>> maxima =
          known.format == TableFormat.DELTA
              ? DataFileReads.maxMillisByFile(known.silverPath, "event_time")
              : Map.of();
      long newestByStats = newest;
      for (Optional<Long> max : maxima.values()) {
        if (max.isPresent()) {
          newestByStats = Math.max(newestByStats, max.get());
        }
      }
      long oldestWanted =
          newestByStats == Long.MIN_VALUE ? Long.MIN_VALUE : newestByStats - known.horizonMillis;
      long[] newestRead = {newest};
      DataFileReads.readColumnsOfFiles(
          known.silverPath,
          known.format,
          List.of("event_id", "event_time"),
          path ->
              filesRead.add(path)
                  && maxima
                      .getOrDefault(path, Optional.empty())
                      .map(max -> max >= oldestWanted)
                      .orElse(true),
          row -> {
            long time = ((Instant) row.get("event_time")).toEpochMilli();
            if (time >= oldestWanted) {
              table.put((String) row.get("event_id"), time);
            }
            newestRead[0] = Math.max(newestRead[0], time);
          });
      newest = newestRead[0];
      reads++;
      // Pruning walks every id: done when the newest event moved on by an eighth of the horizon,
      // not on every cycle, at the price of keeping up to that much more.
      if (newest != Long.MIN_VALUE
          && (prunedAt == Long.MIN_VALUE || newest - prunedAt >= known.horizonMillis / 8)) {
        table.removeOlderThan(newest - known.horizonMillis);
        prunedAt = newest;
      }
    }
  }

  /**
   * Event ids as 128-bit hashes (murmur3) with their event times, in open-addressing arrays;
   * readers and the one writer (a refresh) are kept apart by a read-write lock.
   */
  static final class IdTable {
    private static final org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.hash
            .HashFunction
        HASH =
            org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.hash.Hashing.murmur3_128();

    private final java.util.concurrent.locks.ReentrantReadWriteLock lock =
        new java.util.concurrent.locks.ReentrantReadWriteLock();
    // Slot i is empty when high[i] == 0 && low[i] == 0 (an id hashing to zero is stored as 1).
    private long[] high = new long[1024];
    private long[] low = new long[1024];
    private long[] times = new long[1024];
    private int size;

    boolean contains(String id) {
      long[] hash = hash(id);
      lock.readLock().lock();
      try {
        return slot(high, low, hash[0], hash[1]) >= 0;
      } finally {
        lock.readLock().unlock();
      }
    }

    int size() {
      return size;
    }

    /** Remembers {@code id} with {@code time}, or the later time if it is known. */
    void put(String id, long time) {
      long[] hash = hash(id);
      lock.writeLock().lock();
      try {
        // At most three quarters full: 32 bytes of arrays an id, 43 on average.
        if ((size + 1) * 4L > high.length * 3L) {
          resize(high.length * 2);
        }
        int at = slot(high, low, hash[0], hash[1]);
        if (at >= 0) {
          times[at] = Math.max(times[at], time);
          return;
        }
        insert(high, low, times, hash[0], hash[1], time);
        size++;
      } finally {
        lock.writeLock().unlock();
      }
    }

    /**
     * Forgets the ids older than {@code oldest}, in place (no second table: the arrays can be
     * hundreds of megabytes).
     */
    void removeOlderThan(long oldest) {
      lock.writeLock().lock();
      try {
        int mask = high.length - 1;
        int removed = 0;
        for (int i = 0; i < high.length; i++) {
          if ((high[i] != 0 || low[i] != 0) && times[i] < oldest) {
            high[i] = 0;
            low[i] = 0;
            removed++;
          }
        }
        if (removed == 0) {
          return;
        }
        size -= removed;
        // Linear probing: the entries after a freed slot may now be unreachable from their home
        // slot. Taking each entry out and putting it back, in probe order from an empty slot,
        // closes the holes.
        int start = 0;
        while (high[start] != 0 || low[start] != 0) {
          start++;
        }
        for (int k = 1; k <= mask; k++) {
          int i = (start + k) & mask;
          if (high[i] == 0 && low[i] == 0) {
            continue;
          }
          long h = high[i];
          long l = low[i];
          long time = times[i];
          high[i] = 0;
          low[i] = 0;
          insert(high, low, times, h, l, time);
        }
      } finally {
        lock.writeLock().unlock();
      }
    }

    private void resize(int capacity) {
      long[] oldHigh = high;
      long[] oldLow = low;
      long[] oldTimes = times;
      high = new long[capacity];
      low = new long[capacity];
      times = new long[capacity];
      for (int i = 0; i < oldHigh.length; i++) {
        if (oldHigh[i] != 0 || oldLow[i] != 0) {
          insert(high, low, times, oldHigh[i], oldLow[i], oldTimes[i]);
        }
      }
    }

    private static long[] hash(String id) {
      byte[] bytes = HASH.hashString(id, java.nio.charset.StandardCharsets.UTF_8).asBytes();
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
      long h = buffer.getLong();
      long l = buffer.getLong();
      return h == 0 && l == 0 ? new long[] {0, 1} : new long[] {h, l};
    }

    /** The slot holding the hash, or -1. */
    private static int slot(long[] high, long[] low, long h, long l) {
      int mask = high.length - 1;
      for (int i = (int) (l ^ (l >>> 32)) & mask; ; i = (i + 1) & mask) {
        if (high[i] == h && low[i] == l) {
          return i;
        }
        if (high[i] == 0 && low[i] == 0) {
          return -1;
        }
      }
    }

    private static void insert(long[] high, long[] low, long[] times, long h, long l, long time) {
      int mask = high.length - 1;
      int i = (int) (l ^ (l >>> 32)) & mask;
      while (high[i] != 0 || low[i] != 0) {
        i = (i + 1) & mask;
      }
      high[i] = h;
      low[i] = l;
      times[i] = time;
    }
  }
}
