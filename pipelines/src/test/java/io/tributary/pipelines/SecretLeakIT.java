package io.tributary.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.generators.Generate;
import io.tributary.pipelines.testing.Broker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.util.construction.PipelineOptionsTranslation;
import org.apache.beam.sdk.util.construction.PipelineTranslation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the generator, a drain and a streaming pipeline against the Event Hubs stand-in with DEBUG
 * logging, then searches everything they left behind for the key: every log line, the lakehouse
 * files, the display data of every transform, the serialized pipeline and the pipeline options.
 */
class SecretLeakIT {
  @TempDir Path work;
  @RegisterExtension static final Broker broker = Broker.eventHubsMode();

  @Test
  void theKeyAppearsInNoLogNoFileAndNoSerializedForm() throws Exception {
    broker.kafka().createTopic("leak", 2);
    String connectionString = Files.readString(broker.kafka().connectionStringFile()).strip();
    String key = connectionString.replaceFirst(".*SharedAccessKey=([^;]+).*", "$1");
    assertThat(key).isNotEqualTo(connectionString).hasSizeGreaterThan(16);
    List<String> needles = needles(key, connectionString);

    // Out-of-process runs, so that DEBUG logging is on from the first line, with the secret in an
    // environment variable as on a Databricks cluster.
    Map<String, String> env = Map.of("TRIBUTARY_TEST_EH", connectionString);
    List<String> connect =
        List.of(
            "--eventHubsConnectionString=env:TRIBUTARY_TEST_EH",
            "--sslTrustStore=" + broker.kafka().trustStore());
    String generated =
        runToEnd(
            env,
            Generate.class.getName(),
            concat(connect, "--dataset=weather", "--topic=leak", "--count=3000", "--seed=3"));
    assertThat(generated).contains("\"sent\":3000");

    Path drained = work.resolve("drained");
    String drain =
        runToEnd(
            env,
            Run.class.getName(),
            concat(
                connect, "--dataset=weather", "--topic=leak", "--lakehouse=" + drained, "--drain"));
    assertThat(drain).contains("\"read\":3000");

    Path streamed = work.resolve("streamed");
    String stream =
        runStreaming(env, concat(connect, "--dataset=weather", "--topic=leak"), streamed);
    // The same on the Spark runner (its own context in local mode, as ./tributary run starts it).
    Path sparkStreamed = work.resolve("spark-streamed");
    String sparkStream =
        runStreaming(
            env,
            concat(connect, "--dataset=weather", "--topic=leak", "--runner=SparkRunner"),
            sparkStreamed);

    // The runs really logged at DEBUG: otherwise finding nothing proves nothing.
    for (String output : List.of(generated, drain, stream, sparkStream)) {
      assertThat(output).contains(" DEBUG ").contains("sasl.jaas.config = [hidden]");
    }
    assertThat(sparkStream).contains("Spark context");
    List<String> places = new ArrayList<>();
    places.add("generator output");
    places.add("drain output");
    places.add("streaming output");
    places.add("Spark streaming output");
    List<byte[]> contents = new ArrayList<>();
    contents.add(generated.getBytes(StandardCharsets.UTF_8));
    contents.add(drain.getBytes(StandardCharsets.UTF_8));
    contents.add(stream.getBytes(StandardCharsets.UTF_8));
    contents.add(sparkStream.getBytes(StandardCharsets.UTF_8));
    // Every file the runs left in the lakehouses, checkpoints included if any run made one.
    try (Stream<Path> files =
        Stream.of(drained, streamed, sparkStreamed).flatMap(SecretLeakIT::walk)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        places.add(file.toString());
        contents.add(Files.readAllBytes(file));
      }
    }
    assertThat(places.size()).as("lakehouse files written").isGreaterThan(10);

    // The pipelines a run builds, inspected in this process with a file reference.
    Path secretFile = Files.writeString(work.resolve("cs"), connectionString);
    for (boolean drainMode : new boolean[] {true, false}) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--eventHubsConnectionString=file:" + secretFile,
                  "--sslTrustStore=" + broker.kafka().trustStore(),
                  "--dataset=weather",
                  "--topic=leak",
                  "--lakehouse=" + work.resolve("inspected")));
      if (drainMode) {
        args.add("--drain");
      }
      RunConfig config = RunConfig.from(args.toArray(String[]::new));
      Pipeline pipeline = Pipeline.create(config.options());
      DatasetTables.of(config.lakehouse(), "weather")
          .createAll(config.lakehouse(), config.settings().gold(), config.options());
      List<DatasetSource> sources =
          drainMode
              ? Run.planDrain(config, new java.io.PrintStream(new ByteArrayOutputStream()))
                  .sources()
              : Run.streamingSources(config);
      MedallionPipeline.build(
          pipeline,
          config.lakehouse(),
          MedallionPipeline.prepare(
              config.lakehouse(), sources, config.settings(), config.options()),
          config.settings());
      String mode = drainMode ? "drain" : "streaming";
      places.add(mode + " display data");
      contents.add(displayData(pipeline).getBytes(StandardCharsets.UTF_8));
      places.add(mode + " transforms, Java-serialized");
      contents.add(javaSerializedTransforms(pipeline));
      places.add(mode + " pipeline proto");
      contents.add(PipelineTranslation.toProto(pipeline).toByteArray());
      places.add(mode + " pipeline options");
      contents.add(
          PipelineOptionsTranslation.toProto(config.options())
              .toString()
              .getBytes(StandardCharsets.UTF_8));
      assertThat(displayData(pipeline)).as("display data is there to search").contains("leak");
    }

    for (int i = 0; i < places.size(); i++) {
      String text = new String(contents.get(i), StandardCharsets.ISO_8859_1);
      for (String needle : needles) {
        assertThat(text.contains(needle)).as("secret found in " + places.get(i)).isFalse();
      }
    }
  }

  /**
   * The lakehouse's storage client secret (ADLS) given to the Spark runner's session: it reaches
   * the context's Hadoop configuration, where Spark's own file access needs it, and neither the
   * SparkConf (which a streaming checkpoint stores, and the UI and event log show) nor the
   * checkpoint.
   */
  @Test
  void theStorageSecretStaysOutOfTheSparkConfAndTheStreamingCheckpoint() throws Exception {
    String secret = "adls-" + java.util.UUID.randomUUID();
    Path checkpoint = work.resolve("checkpoint");
    String output =
        runToEnd(
            Map.of("TRIBUTARY_TEST_ADLS", secret),
            io.tributary.pipelines.testing.SparkSecretProbe.class.getName(),
            List.of("TRIBUTARY_TEST_ADLS", checkpoint.toString()));

    assertThat(output)
        .contains("hadoop conf holds the secret: true")
        .contains("spark conf: spark.master=")
        .contains("checkpointed conf: spark.master=");
    List<Path> files;
    try (Stream<Path> all = walk(checkpoint)) {
      files = all.filter(Files::isRegularFile).toList();
    }
    assertThat(files)
        .as("Spark wrote its streaming checkpoint")
        .anyMatch(file -> file.getFileName().toString().startsWith("checkpoint-"));
    for (String needle : needles(secret, secret)) {
      assertThat(output).as("the probe's output").doesNotContain(needle);
      for (Path file : files) {
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
            .as("secret found in " + file)
            .doesNotContain(needle);
      }
    }
  }

  private static Stream<Path> walk(Path root) {
    try {
      return Files.walk(root);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The key and the connection string, as they are and base64- or URL-encoded. */
  static List<String> needles(String key, String connectionString) {
    List<String> needles = new ArrayList<>();
    for (String secret : List.of(key, connectionString)) {
      needles.add(secret);
      needles.add(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
      needles.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
    }
    return needles;
  }

  static String displayData(Pipeline pipeline) {
    StringBuilder all = new StringBuilder();
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            if (node.getTransform() != null) {
              all.append(DisplayData.from(node.getTransform())).append('\n');
            }
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            all.append(DisplayData.from(node.getTransform())).append('\n');
          }
        });
    return all.toString();
  }

  /** Plain Java serialization: the pipeline proto snappy-compresses the same objects. */
  static byte[] javaSerializedTransforms(Pipeline pipeline) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<IOException> failures = new ArrayList<>();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      pipeline.traverseTopologically(
          new Pipeline.PipelineVisitor.Defaults() {
            @Override
            public void visitPrimitiveTransform(TransformHierarchy.Node node) {
              try {
                out.writeObject(node.getTransform());
              } catch (IOException e) {
                failures.add(e);
              }
            }
          });
    }
    assertThat(failures).isEmpty();
    return bytes.toByteArray();
  }

  static List<String> concat(List<String> first, String... rest) {
    List<String> all = new ArrayList<>(first);
    all.addAll(List.of(rest));
    return all;
  }

  static ProcessBuilder java(Map<String, String> env, String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.addAll(io.tributary.pipelines.testing.Commands.jdkOpens());
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=debug");
    // The per-library levels of simplelogger.properties would otherwise keep these at WARN.
    for (String library :
        List.of(
            "org.apache.kafka",
            "org.apache.beam",
            "org.apache.beam.sdk.io.kafka.KafkaUnboundedReader",
            "io.delta",
            "org.apache.hadoop",
            "org.apache.parquet")) {
      command.add("-Dorg.slf4j.simpleLogger.log." + library + "=debug");
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    return builder;
  }

  String runToEnd(Map<String, String> env, String mainClass, List<String> args) throws Exception {
    Path log = Files.createTempFile(work, "run", ".log");
    Process process = java(env, mainClass, args).redirectOutput(log.toFile()).start();
    boolean ended = process.waitFor(180, TimeUnit.SECONDS);
    if (!ended) {
      process.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.ISO_8859_1);
    assertThat(ended && process.exitValue() == 0)
        .as(mainClass + " ended with status 0; output tail:\n" + tail(output))
        .isTrue();
    return output;
  }

  /** Streams until bronze has data files, then stops the run the way Ctrl-C does. */
  String runStreaming(Map<String, String> env, List<String> args, Path lakehouse) throws Exception {
    Path log = Files.createTempFile(work, "stream", ".log");
    Process process =
        java(
                env,
                Run.class.getName(),
                concat(args, "--lakehouse=" + lakehouse, "--flushIntervalSeconds=1"))
            .redirectOutput(log.toFile())
            .start();
    Path bronze = lakehouse.resolve("bronze/weather");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    try {
      // Waiting on the process between checks also ends the poll at once if the run dies.
      while (System.nanoTime() < deadline
          && !hasDataFile(bronze)
          && !process.waitFor(500, TimeUnit.MILLISECONDS)) {
        continue;
      }
      assertThat(hasDataFile(bronze))
          .as("streaming wrote bronze files; output tail:\n" + tail(Files.readString(log)))
          .isTrue();
    } finally {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    return Files.readString(log, StandardCharsets.ISO_8859_1);
  }

  private static boolean hasDataFile(Path table) throws IOException {
    if (!Files.isDirectory(table)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(table)) {
      return files.anyMatch(file -> file.getFileName().toString().endsWith(".parquet"));
    }
  }

  private static String tail(String output) {
    return output.substring(Math.max(0, output.length() - 4000));
  }
}
