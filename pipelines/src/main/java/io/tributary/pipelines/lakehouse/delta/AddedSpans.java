package io.tributary.pipelines.lakehouse.delta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.TimeSpan;
import io.tributary.pipelines.lakehouse.storage.LakeFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.joda.time.Duration;

/**
 * What a range of a Delta table's commits added, read from their {@code add} actions' statistics
 * (the commit JSON files, parsed here rather than replayed through Kernel: only the added files of
 * a few versions matter).
 */
public final class AddedSpans {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AddedSpans() {}

  /**
   * The spans of {@code column} (a timestamp) of the files added to the Delta table after version
   * {@code after} up to {@code upTo}, from their statistics, each widened to whole windows of
   * {@code window} and merged; empty when a commit's log or statistics cannot be read (the caller
   * then has to assume everything changed).
   */
  public static Optional<List<TimeSpan>> of(
      TableSpec table, String column, long after, long upTo, Duration window) {
    List<TimeSpan> spans = new ArrayList<>();
    long size = window.getMillis();
    for (long version = after + 1; version <= upTo; version++) {
      Optional<String> commit =
          LakeFiles.readString(
              table.path() + "/_delta_log/" + String.format("%020d", version) + ".json");
      if (commit.isEmpty()) {
        return Optional.empty();
      }
      for (String line : commit.get().split("\n")) {
        try {
          JsonNode add = JSON.readTree(line).get("add");
          if (add == null) {
            continue;
          }
          if (!add.hasNonNull("stats")) {
            return Optional.empty();
          }
          JsonNode stats = JSON.readTree(add.get("stats").asText());
          JsonNode min = stats.path("minValues").path(column);
          JsonNode max = stats.path("maxValues").path(column);
          if (min.isMissingNode() || max.isMissingNode() || min.isNull() || max.isNull()) {
            if (stats.path("numRecords").asLong(1) == 0) {
              continue;
            }
            return Optional.empty();
          }
          long from = java.time.OffsetDateTime.parse(min.asText()).toInstant().toEpochMilli();
          long to = java.time.OffsetDateTime.parse(max.asText()).toInstant().toEpochMilli();
          spans.add(
              new TimeSpan(
                  Math.floorDiv(from, size) * size, Math.floorDiv(to, size) * size + size));
        } catch (java.io.IOException | RuntimeException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.of(TimeSpan.merge(spans));
  }
}
