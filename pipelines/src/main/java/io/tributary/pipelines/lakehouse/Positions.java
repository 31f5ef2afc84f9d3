package io.tributary.pipelines.lakehouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Kafka positions recorded with a table's commits: per partition, the next offset to read. Stored
 * as JSON {@code {"0":1234,"1":987}} (Delta domain metadata, or a file next to a Parquet table).
 */
final class Positions {
  /** Delta domain of a topic's positions; user domains must not start with {@code delta.}. */
  static final String DOMAIN_PREFIX = "tributary.kafka.";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<TreeMap<Integer, Long>> TYPE = new TypeReference<>() {};

  private Positions() {}

  static String domain(String topic) {
    return DOMAIN_PREFIX + topic;
  }

  static String toJson(Map<Integer, Long> positions) {
    try {
      return JSON.writeValueAsString(new TreeMap<>(positions));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode positions " + positions, e);
    }
  }

  static SortedMap<Integer, Long> fromJson(String json) {
    try {
      return JSON.readValue(json, TYPE);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable Kafka positions: " + json, e);
    }
  }

  /**
   * The positions after a commit: per partition the larger of what was recorded and what this
   * commit read. Taking the maximum makes replays and out-of-order commits harmless: a position
   * never moves backwards.
   */
  static SortedMap<Integer, Long> merge(Map<Integer, Long> recorded, Map<Integer, Long> committed) {
    SortedMap<Integer, Long> merged = new TreeMap<>(recorded);
    committed.forEach((partition, next) -> merged.merge(partition, next, Math::max));
    return merged;
  }
}
