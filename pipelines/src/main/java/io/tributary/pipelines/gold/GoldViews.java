package io.tributary.pipelines.gold;

import java.io.Serializable;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

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
   * Builds every view.
   *
   * @param silver the dataset's valid, de-duplicated events ({@code SilverSchema.of(contract)}),
   *     each timestamped with its {@code event_time}
   * @return view name (the table name below {@code gold/}) to its rows, each collection with its
   *     row schema set
   */
  Map<String, PCollection<Row>> expand(PCollection<Row> silver, GoldSettings settings);

  /** All registered views by dataset. */
  static Map<String, GoldViews> registered() {
    Map<String, GoldViews> byDataset = new TreeMap<>();
    for (GoldViews views : ServiceLoader.load(GoldViews.class)) {
      byDataset.put(views.dataset(), views);
    }
    return byDataset;
  }
}
