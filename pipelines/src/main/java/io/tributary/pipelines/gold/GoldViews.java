package io.tributary.pipelines.gold;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;

/**
 * The gold views of one dataset: windowed aggregates (and alerts) computed from its silver rows.
 * Implementations are found with {@link ServiceLoader} ({@code
 * META-INF/services/io.tributary.pipelines.gold.GoldViews}), so a dataset plugs in with its own
 * package.
 */
public interface GoldViews extends Serializable {

  /** The dataset whose silver rows this consumes. */
  String dataset();

  /**
   * Builds every view, with the dataset's own {@link #options()} read from the pipeline's options.
   *
   * @param silver the dataset's valid, de-duplicated events ({@code SilverSchema.of(contract)}),
   *     each timestamped with its {@code event_time}
   * @return view name (the table name below {@code gold/}) to its rows, each collection with its
   *     row schema set
   */
  Map<String, PCollection<Row>> expand(PCollection<Row> silver, GoldSettings settings);

  /**
   * The columns that identify a row of {@code view}: a gold table keeps one row per key, the latest
   * computed. Default: {@code window_start} and the view's first own column (the group).
   */
  default List<String> keyColumns(String view, Schema schema) {
    return List.of(GoldWindows.WINDOW_START, schema.getField(2).getName());
  }

  /**
   * The longest window of the dataset's views, taken from their transforms: a restart or a drain
   * recomputes whole windows of this size from silver.
   */
  Duration windowSize();

  /**
   * The dataset's own options (flags only its views use), registered with Beam by {@link
   * DatasetOptionsRegistrar}: {@link #expand} reads them from the pipeline's options.
   */
  default List<Class<? extends PipelineOptions>> options() {
    return List.of();
  }

  /**
   * Checks the dataset's own options before any pipeline is built.
   *
   * @throws IllegalArgumentException naming the option and what is wrong with its value
   */
  default void validate(PipelineOptions options) {}

  /**
   * Latest-state tables of the dataset, kept from its silver rows: {@code gold/<table>} with one
   * row per key, the latest by {@code ordering}.
   */
  default List<LatestState> latestStates() {
    return List.of();
  }

  /**
   * A latest-state table: one row per {@code keys}, the one with the greatest {@code ordering}
   * (compared column by column).
   */
  record LatestState(String table, List<String> keys, List<String> ordering)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** All registered views by dataset. */
  static Map<String, GoldViews> registered() {
    Map<String, GoldViews> byDataset = new TreeMap<>();
    for (GoldViews views : ServiceLoader.load(GoldViews.class)) {
      byDataset.put(views.dataset(), views);
    }
    return byDataset;
  }
}
