package io.tributary.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tributary.kafka.connection.KafkaConnection;
import io.tributary.kafka.local.LocalKafka;
import io.tributary.pipelines.gold.GoldSettings;
import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableReader;
import io.tributary.pipelines.lakehouse.WriteSettings;
import io.tributary.pipelines.options.MedallionOptions;
import io.tributary.pipelines.source.ReadKafkaStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streaming mode: events produced after the pipeline started reach silver and gold while it runs.
 */
class MedallionStreamingIT {
  @TempDir static Path kafkaDir;
  @TempDir Path lakehouse;
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

  private static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
    }
  }

  private long rows(String table) {
    Path path = lakehouse.resolve(table);
    if (!Files.isDirectory(path.resolve("_delta_log"))) {
      return 0;
    }
    return TableReader.read(path.toString(), TableFormat.DELTA).size();
  }

  @Test
  void eventsProducedAfterStartAppearInSilverAndGold() throws Exception {
    kafka.createTopic("live-weather", 4);
    MedallionOptions options = PipelineOptionsFactory.create().as(MedallionOptions.class);
    options.as(DirectOptions.class).setBlockOnRun(false);
    options.as(DirectOptions.class).setEnforceEncodability(false);
    options.as(DirectOptions.class).setEnforceImmutability(false);
    Pipeline pipeline = Pipeline.create(options);
    MedallionPipeline.build(
        pipeline,
        Lakehouse.at(lakehouse.toString(), TableFormat.DELTA),
        List.of(
            new DatasetSource(
                "weather",
                "live-weather",
                new ReadKafkaStream(
                    "weather",
                    KafkaConnection.plaintext(kafka.bootstrapServers()),
                    "live-weather"))),
        new MedallionPipeline.Settings(
            org.joda.time.Duration.standardMinutes(60),
            GoldSettings.DEFAULTS,
            WriteSettings.DEFAULTS.withFlushInterval(org.joda.time.Duration.standardSeconds(2))));
    PipelineResult result = pipeline.run();
    try {
      // Produced only now, while the pipeline runs: 2,000 events span 500 s of event time.
      assertThat(
              io.tributary.generators.Generate.run(
                  new String[] {
                    "--dataset=weather",
                    "--bootstrapServers=" + kafka.bootstrapServers(),
                    "--topic=live-weather",
                    "--count=2000",
                    "--seed=3"
                  },
                  new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
                  new java.io.PrintStream(java.io.OutputStream.nullOutputStream())))
          .isZero();

      await("2,000 rows in silver", Duration.ofSeconds(120), () -> rows("silver/weather") == 2000);
      await("gold rows", Duration.ofSeconds(120), () -> rows("gold/weather_by_city_1m") > 0);
      // Each table flushes on its own schedule: bronze may trail silver by one flush.
      await("2,000 rows in bronze", Duration.ofSeconds(60), () -> rows("bronze/weather") == 2000);

      List<Map<String, Object>> silver =
          TableReader.read(lakehouse.resolve("silver/weather").toString(), TableFormat.DELTA);
      Map<String, Map<String, Object>> expected = GoldRecompute.weatherByCity(silver);
      List<Map<String, Object>> gold =
          TableReader.read(
              lakehouse.resolve("gold/weather_by_city_1m").toString(), TableFormat.DELTA);
      for (Map<String, Object> row : gold) {
        String key =
            GoldRecompute.key(
                (java.time.Instant) row.get("window_start"), List.of(row.get("city")));
        assertThat(expected).containsKey(key);
        assertThat(row.get("readings")).as(key).isEqualTo(expected.get(key).get("readings"));
        assertThat((Double) row.get("avg_temperature_c"))
            .isCloseTo((Double) expected.get(key).get("avg_temperature_c"), within(1e-6));
      }
    } finally {
      result.cancel();
    }
  }
}
