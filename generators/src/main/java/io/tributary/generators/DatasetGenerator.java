package io.tributary.generators;

import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A dataset the generator can produce. Implementations are found with {@link ServiceLoader} ({@code
 * META-INF/services/io.tributary.generators.DatasetGenerator}), so a new dataset plugs in with its
 * class and its contract file, without editing a switch.
 */
public interface DatasetGenerator {

  /** The dataset name; its contract is {@code io/tributary/contracts/<name>.schema.json}. */
  String dataset();

  /** A fresh model whose every random choice comes from {@code random}. */
  EventModel newModel(SplittableRandom random);

  /** All registered generators by dataset name, sorted. */
  static TreeMap<String, DatasetGenerator> registered() {
    TreeMap<String, DatasetGenerator> byName = new TreeMap<>();
    for (DatasetGenerator generator : ServiceLoader.load(DatasetGenerator.class)) {
      byName.put(generator.dataset(), generator);
    }
    return byName;
  }

  /**
   * The generator of a dataset.
   *
   * @throws UsageException naming the known datasets if there is none
   */
  static DatasetGenerator forDataset(String dataset) {
    TreeMap<String, DatasetGenerator> registered = registered();
    DatasetGenerator generator = registered.get(dataset);
    if (generator == null) {
      throw new UsageException(
          "unknown dataset '"
              + dataset
              + "' for --dataset: expected one of "
              + String.join(", ", registered.keySet()));
    }
    return generator;
  }
}
