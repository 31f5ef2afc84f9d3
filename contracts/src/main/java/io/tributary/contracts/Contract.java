package io.tributary.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The event contract of one dataset, read from its JSON Schema file {@code
 * io/tributary/contracts/<dataset>.schema.json} on the classpath. The schema file is the single
 * source of truth: the generators write events from it, the pipelines parse and validate events
 * with it and derive silver columns from it.
 *
 * <p>Only a subset of JSON Schema is understood (see {@link #KEYWORDS}); a schema using anything
 * else is rejected when loaded, so that a rule can never be silently ignored.
 */
public final class Contract {

  /** The JSON Schema keywords a property may use. */
  static final Set<String> KEYWORDS =
      Set.of(
          "type",
          "format",
          "minimum",
          "exclusiveMinimum",
          "maximum",
          "enum",
          "pattern",
          "minLength",
          "multipleOf",
          "description");

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Map<String, Contract> CACHE = new HashMap<>();

  private final String dataset;
  private final String keyField;
  private final double eventsPerSecond;
  private final String description;
  private final List<Field> fields;
  private final Map<String, Integer> indexByName;

  private Contract(
      String dataset,
      String keyField,
      double eventsPerSecond,
      String description,
      List<Field> fields) {
    this.dataset = dataset;
    this.keyField = keyField;
    this.eventsPerSecond = eventsPerSecond;
    this.description = description;
    this.fields = List.copyOf(fields);
    this.indexByName = new HashMap<>();
    for (int i = 0; i < fields.size(); i++) {
      indexByName.put(fields.get(i).name(), i);
    }
    if (!indexByName.containsKey(keyField)) {
      throw new IllegalArgumentException(
          "contract " + dataset + ": key field '" + keyField + "' is not one of its properties");
    }
  }

  /** The resource path of a dataset's schema file. */
  public static String resourcePath(String dataset) {
    return "io/tributary/contracts/" + dataset + ".schema.json";
  }

  /** Whether a schema file for the dataset is on the classpath. */
  public static boolean exists(String dataset) {
    return dataset.matches("[a-z][a-z0-9_]*")
        && Contract.class.getClassLoader().getResource(resourcePath(dataset)) != null;
  }

  /**
   * Loads (once per JVM) the contract of a dataset.
   *
   * @throws IllegalArgumentException if there is no such dataset or its schema is not valid
   */
  public static synchronized Contract forDataset(String dataset) {
    Contract cached = CACHE.get(dataset);
    if (cached != null) {
      return cached;
    }
    if (!exists(dataset)) {
      throw new IllegalArgumentException("no event contract for dataset '" + dataset + "'");
    }
    try (InputStream in =
        Contract.class.getClassLoader().getResourceAsStream(resourcePath(dataset))) {
      Contract contract = fromSchema(MAPPER.readTree(in));
      if (!contract.dataset.equals(dataset)) {
        throw new IllegalArgumentException(
            resourcePath(dataset) + " has title '" + contract.dataset + "', expected " + dataset);
      }
      CACHE.put(dataset, contract);
      return contract;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resourcePath(dataset), e);
    }
  }

  /** Builds a contract from a parsed JSON Schema document. */
  public static Contract fromSchema(JsonNode schema) {
    String dataset = text(schema, "title", "schema");
    String where = "contract " + dataset;
    JsonNode properties = schema.path("properties");
    if (!properties.isObject() || properties.isEmpty()) {
      throw new IllegalArgumentException(where + ": 'properties' must be a non-empty object");
    }
    Set<String> required = new HashSet<>();
    schema.path("required").forEach(node -> required.add(node.asText()));
    List<Field> fields = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = properties.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> property = it.next();
      fields.add(
          field(
              where, property.getKey(), property.getValue(), required.contains(property.getKey())));
    }
    for (String name : required) {
      if (!properties.has(name)) {
        throw new IllegalArgumentException(
            where + ": required field '" + name + "' has no property");
      }
    }
    return new Contract(
        dataset,
        text(schema, "x-tributary-key", where),
        schema.path("x-tributary-events-per-second").asDouble(1.0),
        schema.path("description").asText(""),
        fields);
  }

  private static Field field(String where, String name, JsonNode spec, boolean required) {
    String at = where + ", field '" + name + "'";
    spec.fieldNames()
        .forEachRemaining(
            keyword -> {
              if (!KEYWORDS.contains(keyword)) {
                throw new IllegalArgumentException(
                    at + ": unsupported JSON Schema keyword '" + keyword + "'");
              }
            });
    String jsonType = jsonType(at, spec.path("type"), required);
    String format = spec.path("format").asText("");
    FieldType type;
    int scale = 0;
    switch (jsonType) {
      case "string" -> type = "date-time".equals(format) ? FieldType.TIMESTAMP : FieldType.STRING;
      case "integer" -> type = "int32".equals(format) ? FieldType.INT : FieldType.LONG;
      case "boolean" -> type = FieldType.BOOLEAN;
      case "number" -> {
        if (spec.has("multipleOf")) {
          scale = java.math.BigDecimal.valueOf(spec.get("multipleOf").asDouble()).scale();
          type = FieldType.DECIMAL;
        } else {
          type = FieldType.DOUBLE;
        }
      }
      default -> throw new IllegalArgumentException(at + ": unsupported type '" + jsonType + "'");
    }
    List<String> allowed = new ArrayList<>();
    spec.path("enum").forEach(value -> allowed.add(value.asText()));
    return new Field(
        name,
        type,
        required,
        number(spec, "minimum"),
        number(spec, "exclusiveMinimum"),
        number(spec, "maximum"),
        allowed,
        spec.has("pattern")
            ? Optional.of(Pattern.compile(spec.get("pattern").asText()))
            : Optional.empty(),
        spec.path("minLength").asInt(0),
        "uuid".equals(format),
        scale,
        spec.path("description").asText(""));
  }

  /**
   * Reads "type": a required field has one type; an optional field must also allow null ({@code
   * ["number", "null"]}), so that the schema means the same to any JSON Schema validator as it does
   * here.
   */
  private static String jsonType(String at, JsonNode type, boolean required) {
    if (type.isTextual()) {
      if (!required) {
        throw new IllegalArgumentException(
            at
                + ": optional fields must allow null, e.g. \"type\": [\""
                + type.asText()
                + "\", \"null\"]");
      }
      return type.asText();
    }
    if (type.isArray() && type.size() == 2 && !required) {
      for (JsonNode t : type) {
        if (!"null".equals(t.asText())) {
          return t.asText();
        }
      }
    }
    throw new IllegalArgumentException(
        at
            + ": 'type' must be a single type for a required field, or [type, \"null\"] for an"
            + " optional one");
  }

  private static Optional<Double> number(JsonNode spec, String keyword) {
    return spec.has(keyword) ? Optional.of(spec.get(keyword).asDouble()) : Optional.empty();
  }

  private static String text(JsonNode node, String name, String where) {
    JsonNode value = node.path(name);
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new IllegalArgumentException(where + ": '" + name + "' is missing");
    }
    return value.asText();
  }

  /** The dataset name, also the default topic name. */
  public String dataset() {
    return dataset;
  }

  /** The field whose value is the Kafka record key. */
  public String keyField() {
    return keyField;
  }

  /**
   * How many events per second the source nominally produces; the generators' event clock uses it.
   */
  public double eventsPerSecond() {
    return eventsPerSecond;
  }

  public String description() {
    return description;
  }

  /** Fields in schema order, which is also the silver column order. */
  public List<Field> fields() {
    return fields;
  }

  /** Position of a field in {@link #fields()}, or -1. */
  public int indexOf(String fieldName) {
    return indexByName.getOrDefault(fieldName, -1);
  }

  /** A field by name. */
  public Field field(String fieldName) {
    int index = indexOf(fieldName);
    if (index < 0) {
      throw new IllegalArgumentException(
          "contract " + dataset + " has no field '" + fieldName + "'");
    }
    return fields.get(index);
  }

  /** A parser/validator for this contract; cheap to create, not thread-safe. */
  public EventParser parser() {
    return new EventParser(this);
  }

  @Override
  public String toString() {
    return "Contract[" + dataset + ", " + fields.size() + " fields, key " + keyField + "]";
  }
}
