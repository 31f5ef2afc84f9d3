package io.tributary.pipelines.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Records from a test resource ({@link #HOSTILE}, whose header describes the format, or {@link
 * #PYTHON_JSON_DUMPS}), each with the outcome the pipelines must give it, and a producer that sends
 * them to a real broker.
 */
public final class HostileCorpus {
  /** The hostile records. */
  public static final String HOSTILE = "io/tributary/pipelines/hostile-corpus.txt";

  /** Weather events written by Python's {@code json.dumps}, all valid. */
  public static final String PYTHON_JSON_DUMPS = "io/tributary/pipelines/python-json-dumps.txt";

  /**
   * One record and what must become of it.
   *
   * @param key the Kafka key, null for none
   * @param value the Kafka value, null for a tombstone
   * @param timestamp the Kafka timestamp to give the record, null to let the producer stamp it
   */
  public record Case(
      String id, String dataset, byte[] key, byte[] value, Long timestamp, Expected expected) {}

  /**
   * The outcome: {@code silver} (with column values or lengths to check), {@code duplicate} of
   * another case, or {@code quarantine} at a stage with a rule (and a field, when given).
   */
  public record Expected(
      String outcome,
      String stage,
      String rule,
      String field,
      String duplicateOf,
      Map<String, String> values,
      Map<String, Integer> lengths) {}

  /** A case as produced: the topic, partition and offset Kafka gave it. */
  public record Produced(Case record, String topic, int partition, long offset) {}

  private static final java.util.regex.Pattern TIMESTAMP =
      java.util.regex.Pattern.compile("\\{\\{timestamp:(\\d+)}}");

  private HostileCorpus() {}

  /** Every case of a corpus resource, its macros expanded as of {@code now}. */
  public static List<Case> load(String resource, Instant now) {
    String text;
    try (InputStream in = HostileCorpus.class.getClassLoader().getResourceAsStream(resource)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Case> cases = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("\\|", 5);
      String id = parts[0];
      String uuid = UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)).toString();
      Instant at = now.truncatedTo(ChronoUnit.MILLIS);
      byte[] key = expand(parts[2], uuid, at, cases);
      java.util.regex.Matcher stamp = TIMESTAMP.matcher(parts[4]);
      Long timestamp = stamp.find() ? Long.valueOf(stamp.group(1)) : null;
      byte[] value = expand(stamp.replaceAll(""), uuid, at, cases);
      cases.put(id, new Case(id, parts[1], key, value, timestamp, expected(parts[3])));
    }
    return List.copyOf(cases.values());
  }

  /**
   * Sends every case to its dataset's topic, one at a time and in order, and returns where each
   * landed.
   */
  public static List<Produced> produce(
      String bootstrapServers, Map<String, String> topicByDataset, List<Case> cases) {
    Map<String, Object> config = new java.util.HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    List<Produced> produced = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      for (Case record : cases) {
        String topic = topicByDataset.get(record.dataset());
        RecordMetadata metadata =
            producer
                .send(
                    new ProducerRecord<>(
                        topic, 0, record.timestamp(), record.key(), record.value()))
                .get();
        produced.add(new Produced(record, topic, metadata.partition(), metadata.offset()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot produce the corpus", e);
    }
    return produced;
  }

  private static Expected expected(String text) {
    String[] words = text.split(" ", 2);
    String rest = words.length > 1 ? words[1] : "";
    switch (words[0]) {
      case "silver" -> {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Integer> lengths = new LinkedHashMap<>();
        for (String check : rest.isEmpty() ? new String[0] : rest.split(" ")) {
          String[] pair = check.split("=", 2);
          if (pair[0].endsWith(".length")) {
            lengths.put(pair[0].substring(0, pair[0].length() - 7), Integer.parseInt(pair[1]));
          } else {
            values.put(pair[0], unescape(pair[1]));
          }
        }
        return new Expected("silver", null, null, null, null, values, lengths);
      }
      case "duplicate" -> {
        return new Expected("duplicate", null, null, null, rest, Map.of(), Map.of());
      }
      case "quarantine" -> {
        String[] at = rest.split(" ");
        return new Expected(
            "quarantine", at[0], at[1], at.length > 2 ? at[2] : null, null, Map.of(), Map.of());
      }
      default -> throw new IllegalArgumentException("unknown outcome in the corpus: " + text);
    }
  }

  /** The text with its macros expanded, as bytes; null for {{null}}. */
  private static byte[] expand(String text, String uuid, Instant now, Map<String, Case> earlier) {
    if (text.equals("{{null}}")) {
      return null;
    }
    Charset charset = StandardCharsets.UTF_8;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    StringBuilder pending = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      // A macro starts with "{{" and a letter: "{{{hex:0A}}" is a brace, then a macro.
      if (text.startsWith("{{", i)
          && i + 2 < text.length()
          && Character.isLowerCase(text.charAt(i + 2))) {
        int end = text.indexOf("}}", i + 2);
        String macro = text.substring(i + 2, end);
        i = end + 2;
        String[] parts = macro.split(":", 3);
        switch (parts[0]) {
          case "uuid" -> pending.append(uuid);
          case "time" -> pending.append(now.plus(Duration.parse(parts[1])));
          case "repeat" -> pending.append(parts[2].repeat(Integer.parseInt(parts[1])));
          case "fields" -> {
            for (int f = 0; f < Integer.parseInt(parts[1]); f++) {
              pending.append("\"u").append(f).append("\":").append(f).append(',');
            }
          }
          case "charset" -> charset = Charset.forName(parts[1]);
          case "empty" -> {}
          case "hex", "same-as" -> {
            bytes.writeBytes(pending.toString().getBytes(charset));
            pending.setLength(0);
            bytes.writeBytes(
                parts[0].equals("hex")
                    ? HexFormat.of().parseHex(parts[1])
                    : earlier.get(parts[1]).value());
          }
          default -> throw new IllegalArgumentException("unknown macro {{" + macro + "}}");
        }
      } else {
        pending.append(text.charAt(i++));
      }
    }
    bytes.writeBytes(pending.toString().getBytes(charset));
    return bytes.toByteArray();
  }

  /** {@code \\uXXXX} escapes in an expected value, so that the corpus file stays printable. */
  private static String unescape(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      if (text.startsWith("\\u", i) && i + 6 <= text.length()) {
        out.append((char) Integer.parseInt(text.substring(i + 2, i + 6), 16));
        i += 5;
      } else {
        out.append(text.charAt(i));
      }
    }
    return out.toString();
  }
}
