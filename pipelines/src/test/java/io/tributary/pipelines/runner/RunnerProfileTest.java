package io.tributary.pipelines.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Choosing a profile, and the flag combinations that are refused with a message saying why. */
class RunnerProfileTest {

  private static List<String> resolve(String... args) {
    return RunnerProfile.resolve(args);
  }

  @Test
  void theDefaultIsTheDirectRunner() {
    assertThat(resolve("--dataset=weather"))
        .containsExactly("--runner=DirectRunner", "--dataset=weather", "--profile=direct");
  }

  @Test
  void theSparkRunnerAloneMeansSparkLocal() {
    List<String> args = resolve("--runner=SparkRunner", "--dataset=weather");

    assertThat(args)
        .contains("--sparkMaster=local[2]", "--batchIntervalMillis=2000", "--profile=spark-local")
        .containsOnlyOnce("--runner=SparkRunner");
  }

  @Test
  void flagsGivenReplaceTheProfiles() {
    List<String> args = resolve("--profile=spark-local", "--sparkMaster=local[4]");

    assertThat(args)
        .contains("--runner=SparkRunner", "--sparkMaster=local[4]")
        .doesNotContain("--sparkMaster=local[2]");
  }

  @Test
  void theDatabricksProfileUsesTheRunningContext() {
    assertThat(resolve("--profile=databricks"))
        .contains("--runner=SparkRunner", "--usesProvidedSparkContext=true")
        .noneMatch(arg -> arg.startsWith("--sparkMaster"));
  }

  @Test
  void unknownProfile() {
    assertThatThrownBy(() -> resolve("--profile=flink"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown runner profile 'flink' for --profile: expected one of direct, spark-local,"
                + " databricks");
  }

  @Test
  void aRunnerThatContradictsTheProfile() {
    assertThatThrownBy(() -> resolve("--profile=spark-local", "--runner=DirectRunner"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "--runner=DirectRunner contradicts --profile=spark-local, which runs on SparkRunner");
  }

  @Test
  void sparkFlagsOnTheDirectRunner() {
    assertThatThrownBy(() -> resolve("--dataset=weather", "--sparkMaster=local[2]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--sparkMaster is an option of the Spark runner, but this run uses the DirectRunner: add"
                + " --profile=spark-local (or --runner=SparkRunner), or drop --sparkMaster");
  }

  @Test
  void aMasterWithAProvidedContext() {
    assertThatThrownBy(() -> resolve("--profile=databricks", "--sparkMaster=local[2]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--sparkMaster has no effect with --usesProvidedSparkContext=true");
  }

  @Test
  void localStarIsRefused() {
    assertThatThrownBy(() -> resolve("--runner=SparkRunner", "--sparkMaster=local[*]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "--sparkMaster=local[*] is not supported: give the number of threads, e.g. local[2]");
  }

  @Test
  void aReadTimeLongerThanTheBatch() {
    assertThatThrownBy(() -> resolve("--runner=SparkRunner", "--minReadTimeMillis=2000"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--minReadTimeMillis=2000 must be below --batchIntervalMillis=2000: each micro-batch"
                + " reads for at least that long");
  }

  @Test
  void aReadShareOutsideZeroToOne() {
    assertThatThrownBy(() -> resolve("--profile=databricks", "--readTimePercentage=1.0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--readTimePercentage=1.0 must be between 0 and 1 (exclusive)");
  }
}
