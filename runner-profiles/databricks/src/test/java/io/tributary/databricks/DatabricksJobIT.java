package io.tributary.databricks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.generators.Generate;
import io.tributary.kafka.local.LocalKafka;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded job jar as a Databricks JAR task runs it: in a JVM whose classpath holds only that jar
 * and Spark's own jars (Spark, Scala, Hadoop, as the cluster provides them), with a SparkContext
 * created before main is called ({@link DatabricksDriverStandIn}).
 */
class DatabricksJobIT {
  static final Path TARGET = Path.of("target");
  static final String MAIN_CLASS = "io.tributary.databricks.DatabricksJob";

  /** Spark, Scala and Hadoop, resolved on their own (runner-profiles/spark-cluster). */
  static final Path CLUSTER_CLASSPATH =
      Path.of("..", "spark-cluster", "target", "cluster-classpath.txt");

  @TempDir static Path kafkaDir;
  @TempDir Path work;
  Path lakehouse;

  @org.junit.jupiter.api.BeforeEach
  void paths() {
    lakehouse = work.resolve("lakehouse");
  }

  static LocalKafka kafka;

  @BeforeAll
  static void startBroker() {
    kafka = LocalKafka.start(kafkaDir);
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  static Path jobJar() throws IOException {
    try (var files = Files.list(TARGET)) {
      return files
          .filter(f -> f.getFileName().toString().matches("tributary-databricks-.*\\.jar"))
          .filter(f -> !f.getFileName().toString().startsWith("original-"))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no shaded jar in target: run mvn package"));
    }
  }

  @Test
  void theJarHoldsThePipelinesAndTheRunnerButNotWhatTheClusterProvides() throws IOException {
    try (JarFile jar = new JarFile(jobJar().toFile())) {
      Set<String> entries =
          jar.stream().map(java.util.jar.JarEntry::getName).collect(Collectors.toSet());
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo(MAIN_CLASS);
      assertThat(entries)
          .contains(
              "io/tributary/pipelines/Run.class",
              "org/apache/beam/runners/spark/SparkRunner.class",
              "io/tributary/runner-profiles/databricks/pipeline.options",
              "io/tributary/shaded/com/fasterxml/jackson/databind/ObjectMapper.class");
      assertThat(entries)
          .noneMatch(e -> e.startsWith("org/apache/spark/"))
          .noneMatch(e -> e.startsWith("scala/"))
          .noneMatch(e -> e.equals("org/apache/hadoop/conf/Configuration.class"))
          .noneMatch(e -> e.startsWith("com/fasterxml/jackson/"))
          .noneMatch(e -> e.startsWith("org/slf4j/"));
      // Merged, not overwritten: both runners' registrars are listed.
      String runners =
          new String(
              jar.getInputStream(
                      jar.getEntry(
                          "META-INF/services/org.apache.beam.sdk.runners.PipelineRunnerRegistrar"))
                  .readAllBytes(),
              StandardCharsets.UTF_8);
      assertThat(runners).contains("SparkRunnerRegistrar").contains("DirectRegistrar");
    }
  }

  @Test
  void aDrainRunsOnTheProvidedContextAndLeavesItRunning() throws Exception {
    JsonNode sent = generate("dbx-weather", 5000);

    Process driver = startDriver("dbx-weather", "--drain");
    assertThat(driver.waitFor(5, TimeUnit.MINUTES)).as("the drain finishes").isTrue();
    String output = output(driver);

    assertThat(driver.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("tributary: running on Spark 3.5")
        .contains("\"mode\":\"drain\"")
        .contains(DatabricksDriverStandIn.RETURNED + "false");
    assertThat(rows("bronze/weather")).isEqualTo(sent.get("sent").asLong());
    assertThat(rows("silver/weather")).isEqualTo(sent.get("valid").asLong());
    assertThat(rows("gold/weather_by_city_1m")).isPositive();
  }

  @Test
  void aStreamingRunBlocksMainWhileItWritesTheTables() throws Exception {
    JsonNode sent = generate("dbx-live", 2000);

    Process driver = startDriver("dbx-live", "--flushIntervalSeconds=2");
    try {
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (rows("silver/weather") < sent.get("valid").asLong()) {
        assertThat(driver.isAlive()).as("main still running").isTrue();
        assertThat(System.nanoTime()).as("silver filled within 3 minutes").isLessThan(deadline);
        LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
      }
      assertThat(driver.isAlive()).as("main blocks on the streaming cycles").isTrue();
      assertThat(lakehouse.resolve("_checkpoints"))
          .as("cycles resume where the tables stand, without a checkpoint")
          .doesNotExist();
    } finally {
      driver.destroyForcibly().waitFor(1, TimeUnit.MINUTES);
    }
  }

  private Process startDriver(String topic, String... extra) throws IOException {
    String classpath =
        String.join(
            File.pathSeparator,
            jobJar().toAbsolutePath().toString(),
            Files.readString(CLUSTER_CLASSPATH).strip(),
            TARGET.resolve("test-classes").toAbsolutePath().toString());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    // Databricks starts its driver with Spark's Java 17 flags; so does this stand-in.
    command.addAll(addOpens());
    command.addAll(
        List.of(
            "-cp",
            classpath,
            DatabricksDriverStandIn.class.getName(),
            MAIN_CLASS,
            "--dataset=weather",
            "--topic=" + topic,
            "--bootstrapServers=" + kafka.bootstrapServers(),
            "--lakehouse=" + lakehouse));
    command.addAll(List.of(extra));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(work.resolve("driver.log").toFile())
        .start();
  }

  private String output(Process driver) throws IOException {
    return Files.readString(work.resolve("driver.log"));
  }

  private static List<String> addOpens() throws IOException {
    return Files.readAllLines(Path.of("..", "spark-local", "jvm.options")).stream()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .toList();
  }

  private long rows(String table) {
    Path path = lakehouse.resolve(table);
    return Files.isDirectory(path.resolve("_delta_log"))
        ? TableReader.count(path.toString(), TableFormat.DELTA)
        : 0;
  }

  private static JsonNode generate(String topic, int count) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status =
        Generate.run(
            new String[] {
              "--dataset=weather",
              "--bootstrapServers=" + kafka.bootstrapServers(),
              "--topic=" + topic,
              "--count=" + count,
              "--seed=9",
              "--badRatio=0.02",
              "--duplicateRatio=0.02"
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(OutputStream.nullOutputStream()));
    assertThat(status).isZero();
    return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
  }
}
