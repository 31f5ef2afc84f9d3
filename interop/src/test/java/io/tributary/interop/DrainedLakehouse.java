package io.tributary.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.kafka.local.LocalKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A lakehouse written by the real components, each in a JVM of its own: the local Kafka broker
 * (Scala 2.13), one generator per dataset and one drain of every dataset on the DirectRunner.
 *
 * @param root the lakehouse directory
 * @param summaries each dataset's generator summary line ({@code sent}, {@code valid}, {@code
 *     malformed}, {@code invalid}, {@code duplicates}, ...)
 */
record DrainedLakehouse(Path root, Map<String, JsonNode> summaries) {

  /**
   * Events per dataset: enough for every table and gold view to have rows, small enough to be
   * quick.
   */
  static final Map<String, Integer> EVENTS =
      Map.of("weather", 5_000, "students", 1_500, "trips", 1_500, "transactions", 1_500);

  static final String PIPELINES_DIR_PROPERTY = "tributary.interop.pipelines.dir";
  static final String GENERATORS_DIR_PROPERTY = "tributary.interop.generators.dir";

  private static final Duration GENERATE_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(4);
  private static final long SEED = 20260101L;

  static ModuleJvm pipelines() {
    return ModuleJvm.of(PIPELINES_DIR_PROPERTY, "pipelines");
  }

  static ModuleJvm generators() {
    return ModuleJvm.of(GENERATORS_DIR_PROPERTY, "generators");
  }

  /** Generates every dataset into a fresh broker and drains it all into {@code work/lakehouse}. */
  static DrainedLakehouse produce(Path work) throws IOException {
    Path logs = Files.createDirectories(work.resolve("logs"));
    Path root = work.resolve("lakehouse");
    ModuleJvm generators = generators();
    ModuleJvm pipelines = pipelines();
    Map<String, JsonNode> summaries = new LinkedHashMap<>();
    List<ModuleJvm.Running> started = new ArrayList<>();
    try (LocalKafka kafka = LocalKafka.start(work.resolve("kafka"))) {
      for (String dataset : EVENTS.keySet().stream().sorted().toList()) {
        started.add(
            generators.start(
                "io.tributary.generators.Generate",
                List.of(
                    "--dataset=" + dataset,
                    "--bootstrapServers=" + kafka.bootstrapServers(),
                    "--count=" + EVENTS.get(dataset),
                    "--seed=" + SEED,
                    "--badRatio=0.01",
                    "--duplicateRatio=0.01"),
                "256m",
                logs,
                "generate-" + dataset));
      }
      for (ModuleJvm.Running generator : started) {
        JsonNode summary = lastJsonLine(generator.awaitSuccess(GENERATE_TIMEOUT));
        summaries.put(summary.get("dataset").asText(), summary);
      }
      ModuleJvm.Running drain =
          pipelines.start(
              "io.tributary.pipelines.Run",
              List.of(
                  "--dataset=all",
                  "--bootstrapServers=" + kafka.bootstrapServers(),
                  "--lakehouse=" + root,
                  "--drain"),
              "1g",
              logs,
              "drain");
      started.add(drain);
      drain.awaitSuccess(DRAIN_TIMEOUT);
    } finally {
      started.forEach(running -> running.process().destroyForcibly());
    }
    return new DrainedLakehouse(root, Map.copyOf(summaries));
  }

  /** {@code root/layer/name}, e.g. {@code table("silver/weather")}. */
  String table(String relative) {
    return root.resolve(relative).toString();
  }

  /** Every Delta table in the lakehouse, as {@code layer/name}. */
  List<String> tables() throws IOException {
    try (Stream<Path> logs = Files.find(root, 3, (path, attrs) -> path.endsWith("_delta_log"))) {
      return logs.map(log -> root.relativize(log.getParent()).toString()).sorted().toList();
    }
  }

  /** A number from {@code dataset}'s generator summary, e.g. {@code count("weather", "sent")}. */
  long count(String dataset, String field) {
    return summaries.get(dataset).get(field).asLong();
  }

  private static JsonNode lastJsonLine(String stdout) {
    String[] lines = stdout.strip().split("\n");
    try {
      return new ObjectMapper().readTree(lines[lines.length - 1]);
    } catch (IOException e) {
      throw new UncheckedIOException("no JSON summary line in:\n" + stdout, e);
    }
  }
}
