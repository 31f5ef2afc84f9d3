package io.tributary.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.generators.Generate;
import io.tributary.kafka.local.LocalKafka;
import io.tributary.pipelines.Run;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A lakehouse written by the real components, for all tests of a class: a local Kafka broker (its
 * own JVM), the generators of the four datasets and a drain of them all on the DirectRunner, in a
 * temporary directory removed afterwards. {@link #addBatch} writes more with a second drain.
 */
final class DrainedLakehouse implements BeforeAllCallback, AfterAllCallback {
  static final List<String> DATASETS = List.of("students", "transactions", "trips", "weather");

  /** Enough for every table and view to have rows and weather to span several minutes. */
  static final Map<String, Integer> EVENTS =
      Map.of("weather", 3_000, "students", 3_000, "trips", 4_000, "transactions", 4_000);

  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private Path work;
  private LocalKafka kafka;
  private final Map<String, JsonNode> summaries = new LinkedHashMap<>();

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    work = Files.createTempDirectory("tributary-dashboard-");
    kafka = LocalKafka.start(work.resolve("kafka"));
    for (String dataset : DATASETS) {
      summaries.put(dataset, generate(dataset, EVENTS.get(dataset), START, 11));
    }
    drain("all");
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      if (kafka != null) {
        kafka.close();
      }
    } finally {
      if (work != null) {
        try (Stream<Path> paths = Files.walk(work)) {
          paths.sorted(Comparator.reverseOrder()).forEach(DrainedLakehouse::delete);
        }
      }
    }
  }

  Path root() {
    return work.resolve("lakehouse");
  }

  String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  /** A number from the first generator run's summary, e.g. {@code summary("weather", "sent")}. */
  long summary(String dataset, String field) {
    return summaries.get(dataset).get(field).asLong();
  }

  /** Every row of {@code layer/name}, through the pipelines' reader. */
  List<Map<String, Object>> read(String table) {
    return TableReader.read(root().resolve(table).toString(), TableFormat.DELTA);
  }

  /** Generates {@code count} more events of {@code dataset} from {@code start} and drains them. */
  JsonNode addBatch(String dataset, int count, Instant start) throws IOException {
    JsonNode summary = generate(dataset, count, start, 12);
    drain(dataset);
    return summary;
  }

  private JsonNode generate(String dataset, int count, Instant start, long seed)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Generate.run(
            new String[] {
              "--dataset=" + dataset,
              "--bootstrapServers=" + kafka.bootstrapServers(),
              "--count=" + count,
              "--seed=" + seed,
              "--startTime=" + start,
              "--badRatio=0.02",
              "--duplicateRatio=0.01"
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8).strip());
  }

  /** A drain, as {@code ./tributary run --drain} runs it, in this JVM. */
  void drain(String dataset) {
    drain(dataset, root(), TableFormat.DELTA);
  }

  /** A drain of {@code dataset}'s topic into the lakehouse at {@code lakehouse}. */
  void drain(String dataset, Path lakehouse, TableFormat format) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Run.run(
            new String[] {
              "--dataset=" + dataset,
              "--bootstrapServers=" + kafka.bootstrapServers(),
              "--lakehouse=" + lakehouse,
              "--format=" + format.name().toLowerCase(java.util.Locale.ROOT),
              "--drain"
            },
            new PrintStream(java.io.OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
  }

  private static void delete(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + path, e);
    }
  }
}
