package io.tributary.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.generators.Generate;
import io.tributary.pipelines.gold.GoldViews;
import io.tributary.pipelines.testing.Broker;
import io.tributary.pipelines.testing.Commands;
import io.tributary.pipelines.testing.SameTables;
import io.tributary.pipelines.testing.SharedSparkContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same drain of the same topic on the DirectRunner and on the SparkRunner ({@code local[2]})
 * writes the same bronze, silver, quarantine and gold tables, compared row by row, for every
 * registered dataset.
 *
 * <p>What may differ, and only that, is spelled out in {@link SameTables}: {@code ingest_time}, and
 * DOUBLE aggregates in their last bits.
 */
class RunnerParityIT {
  static final int EVENTS = 10_000;

  static Path work;
  @RegisterExtension static final Broker broker = Broker.plaintext();

  @BeforeAll
  static void prepare() throws IOException {
    work = Files.createTempDirectory("parity-");
  }

  static Stream<String> datasets() {
    return GoldViews.registered().keySet().stream();
  }

  @ParameterizedTest
  @MethodSource("datasets")
  void sparkWritesWhatTheDirectRunnerWrites(String dataset) throws IOException {
    String topic = "parity-" + dataset;
    Commands.succeed(
        Generate::run,
        List.of(
            "--dataset=" + dataset,
            "--bootstrapServers=" + broker.bootstrapServers(),
            "--topic=" + topic,
            "--count=" + EVENTS,
            "--seed=5",
            "--badRatio=0.02",
            "--duplicateRatio=0.02"));
    Path direct = work.resolve(dataset + "-direct");
    Path spark = work.resolve(dataset + "-spark");

    drain(dataset, topic, direct, "--runner=DirectRunner");
    SharedSparkContext.provide();
    drain(dataset, topic, spark, "--runner=SparkRunner", "--usesProvidedSparkContext=true");

    assertThat(SameTables.tables(direct))
        .contains("bronze/" + dataset, "silver/" + dataset, "quarantine/" + dataset)
        .anyMatch(table -> table.startsWith("gold/"));
    SameTables.assertSameTables(direct, spark);
  }

  private void drain(String dataset, String topic, Path lakehouse, String... runner) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--dataset=" + dataset,
                "--topic=" + topic,
                "--bootstrapServers=" + broker.bootstrapServers(),
                "--lakehouse=" + lakehouse,
                "--drain"));
    args.addAll(List.of(runner));
    Commands.succeed(Run::run, args);
  }
}
