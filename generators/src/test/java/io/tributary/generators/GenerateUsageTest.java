package io.tributary.generators;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Bad flags fail before anything connects, with a message that names the flag. */
class GenerateUsageTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Generate.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String errors() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void unknownDataset() {
    assertThat(run("--dataset=sensors", "--bootstrapServers=127.0.0.1:9092")).isEqualTo(2);
    assertThat(errors())
        .contains(
            "unknown dataset 'sensors' for --dataset: expected one of students, transactions, trips, weather");
  }

  @Test
  void badRatio() {
    assertThat(run("--dataset=weather", "--bootstrapServers=127.0.0.1:9092", "--badRatio=1.5"))
        .isEqualTo(2);
    assertThat(errors())
        .contains(
            "bad value for --badRatio: '1.5' is not a ratio between 0 and 1, e.g. 0.01 for 1%");
  }

  @Test
  void ratiosThatLeaveNoValidEvents() {
    assertThat(
            run(
                "--dataset=weather",
                "--bootstrapServers=127.0.0.1:9092",
                "--badRatio=0.5",
                "--duplicateRatio=0.5"))
        .isEqualTo(2);
    assertThat(errors()).contains("--badRatio + --duplicateRatio must be below 1");
  }

  @Test
  void unknownFlag() {
    assertThat(run("--dataset=weather", "--bootstrapServer=127.0.0.1:9092")).isEqualTo(2);
    assertThat(errors())
        .contains("unknown flag --bootstrapServer (known flags: --apiUrl, --badRatio,");
  }

  @Test
  void badValues() {
    assertThat(run("--dataset=weather", "--bootstrapServers=localhost")).isEqualTo(2);
    assertThat(errors()).contains("bad value for --bootstrapServers: 'localhost' is not HOST:PORT");
    assertThat(run("--dataset=weather", "--bootstrapServers=h:1", "--count=-3")).isEqualTo(2);
    assertThat(errors())
        .contains("bad value for --count: '-3' is not a whole number greater than 0");
    assertThat(run("--dataset=weather", "--bootstrapServers=h:1", "--duration=10 minutes"))
        .isEqualTo(2);
    assertThat(errors())
        .contains("bad value for --duration: '10 minutes' is not an ISO-8601 duration");
  }

  @Test
  void missingRequiredFlag() {
    assertThat(run("--dataset=weather")).isEqualTo(2);
    assertThat(errors())
        .contains(
            "missing required flag --bootstrapServers, e.g. --bootstrapServers=127.0.0.1:9092");
  }

  @Test
  void helpListsEveryFlag() {
    assertThat(run("--help")).isZero();
    String usage = out.toString(StandardCharsets.UTF_8);
    for (String flag : Generate.FLAGS) {
      if (!flag.equals("apiUrl")) {
        assertThat(usage).contains("--" + flag + "=");
      }
    }
  }
}
