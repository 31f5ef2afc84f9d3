package io.tributary.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./tributary bench} end to end on a small topic: its own broker, the generator in a child
 * JVM, a drain, and a report of what was committed.
 */
class BenchIT {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** Runs the command; returns its report after checking it exited 0. */
  private String bench(String... args) {
    int status =
        Bench.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void generatesDrainsAndReports(@TempDir Path work) {
    String report =
        bench(
            "--dataset=weather",
            "--events=3000",
            "--badRatio=0.02",
            "--duplicateRatio=0.02",
            "--runners=DirectRunner",
            "--workDir=" + work);

    assertThat(report)
        .contains("dataset weather, 3,000 events, format delta")
        .contains("drain on DirectRunner:")
        .contains("\"read\":3000")
        .contains("\"committed.bronze.weather\":3000")
        .contains("side by side");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .as("the generator's progress, relayed from its JVM")
        .contains("3,000 sent");
  }

  @Test
  void streamsPacedEventsAndReportsLatency(@TempDir Path work) {
    String report =
        bench(
            "--mode=streaming",
            "--dataset=weather",
            "--rate=400",
            "--duration=PT6S",
            "--runners=DirectRunner",
            "--workDir=" + work);

    assertThat(report)
        .contains("streaming [weather] at 400 events/s in all for PT6S")
        .contains("all committed after")
        .containsPattern("latency Kafka -> silver commit p50 \\d+\\.\\d+ s, p95 \\d+\\.\\d+ s")
        .containsPattern("over 2,[0-9]{3} records")
        .contains("silver/weather")
        .contains("exit 0");
  }
}
