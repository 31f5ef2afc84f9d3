package io.tributary.dashboard;

import io.tributary.pipelines.gold.GoldViews;
import io.tributary.pipelines.lakehouse.TableSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The tables of one lakehouse, found by listing its layers. A table is only ever looked up among
 * the tables found, by a layer from {@link #LAYERS} and a plain name, so no URL can name a path
 * outside the lakehouse.
 */
final class Tables {
  static final List<String> LAYERS = List.of("bronze", "silver", "quarantine", "gold");

  /** The most rows a table answer holds, whatever {@code limit} asks. */
  static final int MAX_LIMIT = 2000;

  private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,100}");

  private final String root;
  private final Duration recheck;
  private final Clock clock;
  private final Map<String, LiveTable> tables = new ConcurrentHashMap<>();
  private List<String> names = List.of();
  private Instant listedAt = Instant.MIN;

  Tables(String root, Duration recheck, Clock clock) {
    this.root = root.replaceAll("/+$", "");
    this.recheck = recheck;
    this.clock = clock;
  }

  String root() {
    return root;
  }

  /** Every table directory, as {@code layer/name}, sorted by layer then name. */
  synchronized List<String> names() {
    Instant now = clock.instant();
    if (Duration.between(listedAt, now).compareTo(recheck) >= 0) {
      List<String> found =
          TableSnapshot.tableDirectories(root, LAYERS).stream()
              .filter(n -> NAME.matcher(n.substring(n.indexOf('/') + 1)).matches())
              .sorted(
                  java.util.Comparator.comparing((String n) -> LAYERS.indexOf(layerOf(n)))
                      .thenComparing(n -> n))
              .toList();
      names = found;
      listedAt = now;
    }
    return names;
  }

  /** Every table that exists (has a first version), in {@link #names()} order. */
  List<LiveTable> all() {
    return names().stream().map(this::table).toList();
  }

  /** The table {@code layer/name} if the lakehouse has it; empty for any other string. */
  Optional<LiveTable> find(String layer, String name) {
    if (!LAYERS.contains(layer) || name == null || !NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    String key = layer + "/" + name;
    if (!names().contains(key)) {
      return Optional.empty();
    }
    return Optional.of(table(key));
  }

  private LiveTable table(String key) {
    return tables.computeIfAbsent(
        key,
        k ->
            new LiveTable(
                layerOf(k), k.substring(k.indexOf('/') + 1), root + "/" + k, recheck, clock));
  }

  private static String layerOf(String key) {
    return key.substring(0, key.indexOf('/'));
  }

  /**
   * Latest-state gold tables by name → their dataset, as the registered gold views declare them.
   */
  private static final Map<String, String> LATEST_STATE_DATASETS = latestStateDatasets();

  private static Map<String, String> latestStateDatasets() {
    Map<String, String> datasets = new java.util.TreeMap<>();
    GoldViews.registered()
        .forEach(
            (dataset, views) ->
                views.latestStates().forEach(state -> datasets.put(state.table(), dataset)));
    return Map.copyOf(datasets);
  }

  /**
   * The dataset a table belongs to: its own name in bronze, silver and quarantine; in gold the
   * dataset whose views declare it as a latest-state table, else the dataset whose name (or
   * singular) starts the view's name ({@code transaction_alerts} → transactions); null if none.
   */
  static String datasetOf(String layer, String name, List<String> datasets) {
    if (!layer.equals("gold")) {
      return name;
    }
    String declared = LATEST_STATE_DATASETS.get(name);
    if (declared != null) {
      return declared;
    }
    for (String dataset : datasets) {
      String singular =
          dataset.endsWith("s") ? dataset.substring(0, dataset.length() - 1) : dataset;
      if (name.startsWith(dataset + "_") || name.startsWith(singular + "_")) {
        return dataset;
      }
    }
    return null;
  }

  /** The datasets of the lakehouse: the names of its bronze tables. */
  List<String> datasets() {
    return names().stream()
        .filter(n -> n.startsWith("bronze/"))
        .map(n -> n.substring("bronze/".length()))
        .toList();
  }
}
