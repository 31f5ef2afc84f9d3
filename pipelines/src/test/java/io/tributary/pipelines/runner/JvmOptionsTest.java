package io.tributary.pipelines.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The launcher's Spark JVM flags (runner-profiles/spark-local/jvm.options) and the build's test JVM
 * flags (spark.java17.opens in the parent pom) are the same list: this test JVM got every one.
 */
class JvmOptionsTest {
  static final Path JVM_OPTIONS = Path.of("..", "runner-profiles", "spark-local", "jvm.options");

  static List<String> launcherFlags() throws IOException {
    return Files.readAllLines(JVM_OPTIONS).stream()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .toList();
  }

  @Test
  void theTestJvmHasEveryFlagTheLauncherGivesSpark() throws IOException {
    List<String> flags = launcherFlags();

    assertThat(flags).contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED").hasSize(17);
    assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments()).containsAll(flags);
  }

  @Test
  void sparkCanReachTheJdkInternalsItNeeds() {
    // What a local SparkContext fails on without the flags (StorageUtils, Platform).
    assertThat(Object.class.getModule().isOpen("sun.nio.ch", JvmOptionsTest.class.getModule()))
        .isTrue();
    assertThat(Object.class.getModule().isOpen("java.nio", JvmOptionsTest.class.getModule()))
        .isTrue();
  }
}
