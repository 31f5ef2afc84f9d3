package io.tributary.dashboard;

import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lakehouse table as the dashboard sees it: its latest snapshot, looked up at most once per
 * {@code recheck}, and what was computed from it (counts, newest rows, health figures), kept until
 * the table's version changes. A refresh of an unchanged table therefore reads one log listing at
 * most, and no data file.
 *
 * <p>Every answer comes from one snapshot, so a commit landing during a read never mixes two
 * versions. When reading a new version fails, the answer of the previous one is kept.
 */
final class LiveTable {
  private static final Logger LOG = LoggerFactory.getLogger(LiveTable.class);

  /**
   * Columns that order rows from oldest to newest, by preference: events by event time, windowed
   * aggregates by window, raw records by Kafka time.
   */
  static final List<String> ORDER_COLUMNS =
      List.of("event_time", "window_start", "kafka_timestamp", "ingest_time");

  private final String layer;
  private final String name;
  private final String path;
  private final Duration recheck;
  private final Clock clock;

  private TableSnapshot snapshot;
  private TableSnapshot.Counts counts;
  private Instant checkedAt = Instant.MIN;
  private Newest newest;
  private final Map<String, Derived<?>> derived = new java.util.HashMap<>();

  LiveTable(String layer, String name, String path, Duration recheck, Clock clock) {
    this.layer = layer;
    this.name = name;
    this.path = path;
    this.recheck = recheck;
    this.clock = clock;
  }

  String layer() {
    return layer;
  }

  String name() {
    return name;
  }

  /**
   * The newest rows of one version, at most {@link Tables#MAX_LIMIT}, newest first, with that
   * version's commit time and row count.
   */
  record Newest(
      long version,
      Instant committedAt,
      long tableRows,
      String orderedBy,
      List<Map<String, Object>> rows) {}

  private record Derived<T>(long version, T value) {}

  /** The latest snapshot with its counts; empty while the directory holds no table. */
  synchronized Optional<Current> current() {
    refresh();
    return snapshot == null ? Optional.empty() : Optional.of(new Current(snapshot, counts));
  }

  /** A snapshot and the counts read from it. */
  record Current(TableSnapshot snapshot, TableSnapshot.Counts counts) {}

  /**
   * Up to {@code limit} newest rows of the latest version (see {@link #ORDER_COLUMNS}); memory
   * holds at most {@link Tables#MAX_LIMIT} rows of the table whatever its size.
   */
  synchronized Optional<Newest> newest(int limit) {
    refresh();
    if (snapshot == null) {
      return Optional.empty();
    }
    if (newest == null || newest.version() != snapshot.version()) {
      try {
        newest = readNewest(snapshot, counts, Tables.MAX_LIMIT);
      } catch (RuntimeException e) {
        if (newest == null) {
          throw e;
        }
        LOG.warn(
            "kept version {} of {}: reading version {} failed",
            newest.version(),
            path,
            snapshot.version(),
            e);
      }
    }
    List<Map<String, Object>> rows = newest.rows();
    return Optional.of(
        new Newest(
            newest.version(),
            newest.committedAt(),
            newest.tableRows(),
            newest.orderedBy(),
            rows.subList(0, Math.min(limit, rows.size()))));
  }

  /**
   * {@code compute} applied to the latest snapshot, computed again only when the version changes
   * (the previous value is kept if that fails); empty while there is no table.
   */
  @SuppressWarnings("unchecked")
  synchronized <T> Optional<T> derive(String key, Function<TableSnapshot, T> compute) {
    refresh();
    if (snapshot == null) {
      return Optional.empty();
    }
    Derived<T> cached = (Derived<T>) derived.get(key);
    if (cached == null || cached.version() != snapshot.version()) {
      try {
        cached = new Derived<>(snapshot.version(), compute.apply(snapshot));
        derived.put(key, cached);
      } catch (RuntimeException e) {
        if (cached == null) {
          throw e;
        }
        LOG.warn("kept {} of {} at version {}", key, path, cached.version(), e);
      }
    }
    return Optional.of(cached.value());
  }

  private void refresh() {
    Instant now = clock.instant();
    if (snapshot != null && Duration.between(checkedAt, now).compareTo(recheck) < 0) {
      return;
    }
    try {
      Optional<TableSnapshot> latest = TableSnapshot.latest(path, TableFormat.DELTA);
      if (latest.isEmpty()) {
        latest = TableSnapshot.latest(path, TableFormat.PARQUET);
      }
      checkedAt = now;
      if (latest.isEmpty()) {
        return;
      }
      if (snapshot == null || latest.get().version() != snapshot.version()) {
        TableSnapshot.Counts latestCounts = latest.get().counts();
        snapshot = latest.get();
        counts = latestCounts;
      }
    } catch (RuntimeException e) {
      if (snapshot == null) {
        throw e;
      }
      LOG.warn(
          "kept version {} of {}: looking up its latest version failed",
          snapshot.version(),
          path,
          e);
    }
  }

  private static Newest readNewest(TableSnapshot snapshot, TableSnapshot.Counts counts, int limit) {
    List<String> columns = snapshot.columns();
    String orderBy = ORDER_COLUMNS.stream().filter(columns::contains).findFirst().orElse(null);
    List<Map<String, Object>> rows = new ArrayList<>();
    if (orderBy == null) {
      snapshot.forEachRow(
          null,
          row -> {
            if (rows.size() < limit) {
              rows.add(row);
            }
          });
      return new Newest(snapshot.version(), snapshot.committedAt(), counts.rows(), null, rows);
    }
    // A heap of the newest `limit` rows seen so far: the oldest is dropped when a newer one comes.
    Comparator<Ranked> oldestFirst =
        Comparator.comparing(Ranked::time, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingLong(Ranked::sequence);
    PriorityQueue<Ranked> heap = new PriorityQueue<>(oldestFirst);
    long[] sequence = {0};
    snapshot.forEachRow(
        null,
        row -> {
          Ranked ranked = new Ranked((Instant) row.get(orderBy), sequence[0]++, row);
          if (heap.size() < limit) {
            heap.add(ranked);
          } else if (oldestFirst.compare(ranked, heap.peek()) > 0) {
            heap.poll();
            heap.add(ranked);
          }
        });
    List<Ranked> ranked = new ArrayList<>(heap);
    ranked.sort(oldestFirst.reversed());
    ranked.forEach(r -> rows.add(r.row()));
    return new Newest(snapshot.version(), snapshot.committedAt(), counts.rows(), orderBy, rows);
  }

  private record Ranked(Instant time, long sequence, Map<String, Object> row) {}
}
