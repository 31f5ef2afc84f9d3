package io.tributary.pipelines;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * The counters of a run, per dataset and stage, read from Beam metrics: what a drain prints as its
 * last line and what streaming logs periodically.
 */
public final class RunSummary {
  /**
   * Beam's own counter of elements a GroupByKey dropped as too late (it names no dataset; step
   * names do).
   */
  static final String DROPPED_DUE_TO_LATENESS = "droppedDueToLateness";

  private final Map<String, Map<String, Long>> byDataset = new TreeMap<>();

  private RunSummary() {}

  /** Every counter at zero. */
  public static RunSummary empty(Iterable<String> datasets) {
    RunSummary summary = new RunSummary();
    for (String dataset : datasets) {
      summary.byDataset.put(dataset, new TreeMap<>());
    }
    return summary;
  }

  /** Adds another run's counters to these (the cycles of one run). */
  public void add(RunSummary other) {
    other.byDataset.forEach(
        (dataset, counters) -> {
          Map<String, Long> mine = byDataset.computeIfAbsent(dataset, name -> new TreeMap<>());
          counters.forEach((name, value) -> mine.merge(name, value, Long::sum));
        });
  }

  /** Adds to one counter of one dataset. */
  public void count(String dataset, String name, long value) {
    if (value != 0) {
      byDataset.computeIfAbsent(dataset, key -> new TreeMap<>()).merge(name, value, Long::sum);
    }
  }

  /** Collects the current (attempted) counter values of a running or finished pipeline. */
  public static RunSummary of(PipelineResult result, Iterable<String> datasets) {
    RunSummary summary = new RunSummary();
    for (String dataset : datasets) {
      summary.byDataset.put(dataset, new TreeMap<>());
    }
    MetricQueryResults metrics = result.metrics().queryMetrics(MetricsFilter.builder().build());
    for (MetricResult<Long> counter : metrics.getCounters()) {
      String namespace = counter.getName().getNamespace();
      String name = counter.getName().getName();
      long value = valueOf(counter);
      if (namespace.startsWith("tributary.")
          && summary.byDataset.containsKey(namespace.substring(10))) {
        summary.add(namespace.substring(10), name, value);
      } else if (name.startsWith("rows_committed.")) {
        // rows_committed.<layer>/<table>: silver, bronze and quarantine tables are named after the
        // dataset.
        String table = name.substring("rows_committed.".length());
        String dataset = datasetOfStep(summary, counter.getKey().stepName());
        if (dataset != null) {
          summary.add(dataset, "committed." + table.replace('/', '.'), value);
        }
      } else if (name.equalsIgnoreCase(DROPPED_DUE_TO_LATENESS)) {
        String dataset = datasetOfStep(summary, counter.getKey().stepName());
        if (dataset != null) {
          summary.add(dataset, "late_dropped_from_gold", value);
        }
      }
    }
    return summary;
  }

  private static long valueOf(MetricResult<Long> counter) {
    try {
      return counter.getCommitted();
    } catch (UnsupportedOperationException e) {
      return counter.getAttempted();
    }
  }

  private static String datasetOfStep(RunSummary summary, String stepName) {
    for (String dataset : summary.byDataset.keySet()) {
      if (stepName.startsWith(dataset + "/")) {
        return dataset;
      }
    }
    return null;
  }

  private void add(String dataset, String name, long value) {
    byDataset.get(dataset).merge(name, value, Long::sum);
  }

  /** A counter of one dataset, 0 if it never moved. */
  public long get(String dataset, String name) {
    return byDataset.getOrDefault(dataset, Map.of()).getOrDefault(name, 0L);
  }

  /** A counter summed over all datasets. */
  public long total(String name) {
    return byDataset.values().stream().mapToLong(m -> m.getOrDefault(name, 0L)).sum();
  }

  /** Records read from Kafka, all datasets. */
  public long totalRead() {
    return byDataset.values().stream().mapToLong(m -> m.getOrDefault("read", 0L)).sum();
  }

  /**
   * One JSON object: {"mode":..,"seconds":..,"read":..,"events_per_s":..,"timings":{phase:seconds},
   * "datasets":{name:{counter:value}}}.
   */
  public String toJson(String mode, double seconds, Map<String, Double> timings) {
    return toJson(mode, seconds, Map.of(), timings);
  }

  /** As {@link #toJson(String, double, Map)}, with more top-level numbers after events_per_s. */
  public String toJson(
      String mode, double seconds, Map<String, Long> totals, Map<String, Double> timings) {
    StringBuilder json = new StringBuilder();
    json.append(
        String.format(
            Locale.ROOT,
            "{\"mode\":\"%s\",\"seconds\":%.3f,\"read\":%d,\"events_per_s\":%.0f,",
            mode,
            seconds,
            totalRead(),
            seconds > 0 ? totalRead() / seconds : 0.0));
    new TreeMap<>(totals)
        .forEach(
            (name, value) -> json.append('"').append(name).append("\":").append(value).append(','));
    json.append("\"timings\":{");
    String separator = "";
    for (Map.Entry<String, Double> timing : new TreeMap<>(timings).entrySet()) {
      json.append(separator)
          .append(String.format(Locale.ROOT, "\"%s\":%.3f", timing.getKey(), timing.getValue()));
      separator = ",";
    }
    json.append("},\"datasets\":{");
    boolean firstDataset = true;
    for (Map.Entry<String, Map<String, Long>> dataset : byDataset.entrySet()) {
      json.append(firstDataset ? "" : ",").append('"').append(dataset.getKey()).append("\":{");
      firstDataset = false;
      boolean first = true;
      for (Map.Entry<String, Long> counter : dataset.getValue().entrySet()) {
        json.append(first ? "" : ",")
            .append('"')
            .append(counter.getKey())
            .append("\":")
            .append(counter.getValue());
        first = false;
      }
      json.append('}');
    }
    return json.append("}}").toString();
  }
}
