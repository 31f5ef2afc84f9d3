package io.tributary.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/** Table values as JSON: timestamps as ISO-8601 UTC, decimals exact, raw bytes as UTF-8 text. */
final class JsonValues {
  static final ObjectMapper JSON = new ObjectMapper();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Raw payloads are cut to this many characters: a page shows them, nobody downloads them. */
  static final int MAX_TEXT = 500;

  private JsonValues() {}

  static ObjectNode row(Map<String, Object> row) {
    ObjectNode node = NODES.objectNode();
    row.forEach((column, value) -> node.set(column, value(value)));
    return node;
  }

  static JsonNode value(Object value) {
    if (value == null) {
      return NODES.nullNode();
    } else if (value instanceof Instant instant) {
      return NODES.textNode(instant.toString());
    } else if (value instanceof byte[] bytes) {
      return NODES.textNode(text(bytes));
    } else if (value instanceof BigDecimal decimal) {
      return NODES.numberNode(decimal);
    } else if (value instanceof Integer i) {
      return NODES.numberNode(i);
    } else if (value instanceof Long l) {
      return NODES.numberNode(l);
    } else if (value instanceof Double d) {
      return NODES.numberNode(d);
    } else if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    return NODES.textNode(value.toString());
  }

  /** Bytes as UTF-8 (malformed sequences replaced), at most {@link #MAX_TEXT} characters. */
  static String text(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
  }

  static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
