package io.tributary.pipelines.lakehouse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.Row;

/**
 * The rows of recently read small data files, per JVM, least recently used first out. Delta data
 * files never change once written (a new version writes new files), so a file's rows can be kept by
 * its path. What it is for: each cycle of a streaming run recomputes the gold windows it touches
 * from silver, and the files of the current minute are read again by every cycle of that minute.
 */
public final class FileRowCache {
  /** Rows kept in all (about a minute of a 5,000 events/s stream). */
  static final long MAX_ROWS = 600_000;

  /** Larger files (a drain's) are not kept: each would evict everything else. */
  static final long MAX_FILE_ROWS = 100_000;

  private static final FileRowCache INSTANCE = new FileRowCache();

  private final Map<String, List<Row>> files = new LinkedHashMap<>(64, 0.75f, true);
  private long rows;

  static FileRowCache instance() {
    return INSTANCE;
  }

  /** The rows kept for {@code key}, or null. */
  synchronized List<Row> get(String key) {
    return files.get(key);
  }

  synchronized void put(String key, List<Row> fileRows) {
    if (fileRows.size() > MAX_FILE_ROWS || files.containsKey(key)) {
      return;
    }
    files.put(key, List.copyOf(fileRows));
    rows += fileRows.size();
    var eldest = files.entrySet().iterator();
    while (rows > MAX_ROWS && eldest.hasNext()) {
      rows -= eldest.next().getValue().size();
      eldest.remove();
    }
  }
}
