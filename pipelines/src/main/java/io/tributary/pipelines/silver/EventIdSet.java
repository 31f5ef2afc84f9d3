package io.tributary.pipelines.silver;

import java.nio.charset.StandardCharsets;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.hash.HashCode;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.hash.HashFunction;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.hash.Hashing;

/**
 * A set of event ids with an event time each, held as 128-bit hashes in flat arrays: 32 to 64 bytes
 * an id (the table is filled to between 3/8 and 3/4), where a map of strings to boxed times takes
 * some 135. Silver's ids of a de-duplication horizon are kept in memory by every streaming run (an
 * hour at 10,000 events/s is 36 million), so this is what bounds its heap.
 *
 * <p>Two different ids are taken for the same one only when their 128-bit MurmurHash3 values are
 * equal: for a billion ids, a chance of about one in 10<sup>20</sup>.
 *
 * <p>Thread-safe: one set is read by the steps of every pipeline of the JVM while the next cycle's
 * files are added to it.
 */
public final class EventIdSet {
  private static final HashFunction HASH = Hashing.murmur3_128();

  private static final int MIN_CAPACITY = 1 << 10;

  /** The hash (0, 0) marks an empty slot; an id hashing to it is stored as (0, 1). */
  private long[] high = new long[MIN_CAPACITY];

  private long[] low = new long[MIN_CAPACITY];
  private long[] times = new long[MIN_CAPACITY];
  private int size;

  /** Whether {@code id} is in the set. */
  public boolean contains(String id) {
    long[] hash = hash(id);
    synchronized (this) {
      return slot(hash[0], hash[1]) >= 0;
    }
  }

  /** Adds {@code id} with its event time, or sets the time of an id already in the set. */
  public void put(String id, long eventMillis) {
    long[] hash = hash(id);
    synchronized (this) {
      if ((size + 1) * 4L > high.length * 3L) {
        rehash(high.length * 2);
      }
      insert(hash[0], hash[1], eventMillis);
    }
  }

  /** Forgets every id whose event time is before {@code oldestMillis}. */
  public synchronized void removeOlderThan(long oldestMillis) {
    int kept = 0;
    for (int i = 0; i < high.length; i++) {
      if (!empty(i) && times[i] >= oldestMillis) {
        kept++;
      }
    }
    int capacity = MIN_CAPACITY;
    while (kept * 2L > capacity) {
      capacity *= 2;
    }
    long[] oldHigh = high;
    long[] oldLow = low;
    long[] oldTimes = times;
    allocate(capacity);
    for (int i = 0; i < oldHigh.length; i++) {
      if ((oldHigh[i] != 0 || oldLow[i] != 0) && oldTimes[i] >= oldestMillis) {
        insert(oldHigh[i], oldLow[i], oldTimes[i]);
      }
    }
  }

  public synchronized int size() {
    return size;
  }

  private static long[] hash(String id) {
    HashCode code = HASH.hashString(id, StandardCharsets.UTF_8);
    byte[] bytes = code.asBytes();
    long high = 0;
    long low = 0;
    for (int i = 0; i < 8; i++) {
      high = (high << 8) | (bytes[i] & 0xFF);
      low = (low << 8) | (bytes[i + 8] & 0xFF);
    }
    if (high == 0 && low == 0) {
      low = 1;
    }
    return new long[] {high, low};
  }

  private boolean empty(int index) {
    return high[index] == 0 && low[index] == 0;
  }

  /** The slot holding the hash, or -1. */
  private int slot(long hashHigh, long hashLow) {
    int mask = high.length - 1;
    for (int i = (int) hashLow & mask; ; i = (i + 1) & mask) {
      if (empty(i)) {
        return -1;
      }
      if (high[i] == hashHigh && low[i] == hashLow) {
        return i;
      }
    }
  }

  private void insert(long hashHigh, long hashLow, long eventMillis) {
    int mask = high.length - 1;
    int i = (int) hashLow & mask;
    while (!empty(i)) {
      if (high[i] == hashHigh && low[i] == hashLow) {
        times[i] = eventMillis;
        return;
      }
      i = (i + 1) & mask;
    }
    high[i] = hashHigh;
    low[i] = hashLow;
    times[i] = eventMillis;
    size++;
  }

  private void rehash(int capacity) {
    long[] oldHigh = high;
    long[] oldLow = low;
    long[] oldTimes = times;
    allocate(capacity);
    for (int i = 0; i < oldHigh.length; i++) {
      if (oldHigh[i] != 0 || oldLow[i] != 0) {
        insert(oldHigh[i], oldLow[i], oldTimes[i]);
      }
    }
  }

  private void allocate(int capacity) {
    high = new long[capacity];
    low = new long[capacity];
    times = new long[capacity];
    size = 0;
  }
}
