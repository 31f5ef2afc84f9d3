package io.tributary.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad configuration fails before any pipeline is built, with a message that says what to fix. */
class RunConfigTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Run.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String errors() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void unknownDataset() {
    assertThat(run("--dataset=sensors", "--bootstrapServers=127.0.0.1:9", "--lakehouse=" + dir))
        .isEqualTo(2);
    assertThat(errors())
        .contains(
            "unknown dataset 'sensors' for --dataset: expected one of students, transactions, trips, weather");
  }

  @Test
  void unknownFormat() {
    assertThat(
            run(
                "--dataset=weather",
                "--bootstrapServers=127.0.0.1:9",
                "--lakehouse=" + dir,
                "--format=csv"))
        .isEqualTo(2);
    assertThat(errors()).contains("bad value for --format: 'csv' is not delta or parquet");
  }

  @Test
  void missingLakehouse() {
    assertThat(run("--dataset=weather", "--bootstrapServers=127.0.0.1:9")).isEqualTo(2);
    assertThat(errors()).contains("--lakehouse");
  }

  /** A dataset's own flags are accepted by a run and checked before any pipeline is built. */
  @Test
  void badTransactionsAlertRules() {
    String[] common = {
      "--dataset=weather,transactions", "--bootstrapServers=127.0.0.1:9", "--lakehouse=" + dir
    };
    assertThat(run(withArgs(common, "--largeAmountThreshold=-5"))).isEqualTo(2);
    assertThat(errors())
        .contains("bad value for --largeAmountThreshold: '-5' is not a positive amount");
    assertThat(run(withArgs(common, "--burstTransactions=0"))).isEqualTo(2);
    assertThat(errors()).contains("bad value for --burstTransactions: 0 is below the minimum 1");
  }

  private static String[] withArgs(String[] common, String arg) {
    List<String> args = new ArrayList<>(List.of(common));
    args.add(arg);
    return args.toArray(String[]::new);
  }

  @Test
  void unknownOption() {
    assertThat(
            run(
                "--dataset=weather",
                "--bootstrapServers=127.0.0.1:9",
                "--lakehouse=" + dir,
                "--lakehose=x"))
        .isEqualTo(2);
    assertThat(errors()).contains("lakehose");
  }

  @Test
  void unwritableLakehouse() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");

    assertThat(run("--dataset=weather", "--bootstrapServers=127.0.0.1:9", "--lakehouse=" + file))
        .isEqualTo(2);
    assertThat(errors()).contains("lakehouse root " + file + " is a file, not a directory");
  }

  @Test
  void unreachableBrokerFailsWithinThirtySecondsNamingIt() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    long started = System.nanoTime();

    int status =
        run(
            "--dataset=weather",
            "--bootstrapServers=127.0.0.1:" + closedPort,
            "--lakehouse=" + dir,
            "--drain");

    assertThat(status).isEqualTo(2);
    assertThat(errors())
        .contains(
            "cannot reach Kafka at 127.0.0.1:" + closedPort + ": no broker answered within 20 s");
    // The check's own 20 s and the JVM's work around it, with room for a busy machine; without the
    // check, Kafka's clients would wait their default 60 s at least.
    assertThat((System.nanoTime() - started) / 1e9).isLessThan(50);
  }

  @Test
  void helpListsTheOptionsWithDescriptions() {
    assertThat(run("--help")).isZero();
    String help = out.toString(StandardCharsets.UTF_8);
    assertThat(help)
        .contains("--dataset")
        .contains("--lakehouse")
        .contains("--drain")
        .contains("--allowedLatenessMinutes")
        .contains("--largeAmountThreshold")
        .contains("--burstTransactions")
        .contains("Table format: delta");
  }

  @Test
  void anAdlsLakehouseWithoutCredentials() {
    assertThat(
            run(
                "--dataset=weather",
                "--bootstrapServers=127.0.0.1:9",
                "--lakehouse=abfss://lake@tributarydev.dfs.core.windows.net/tributary"))
        .isEqualTo(2);
    assertThat(errors())
        .contains(
            "lakehouse abfss://lake@tributarydev.dfs.core.windows.net/tributary has no credentials"
                + " for tributarydev.dfs.core.windows.net: pass --lakehouseAuth=service-principal");
  }

  @Test
  void aServicePrincipalWhoseSecretIsNotInTheEnvironment() {
    assertThat(
            run(
                "--dataset=weather",
                "--bootstrapServers=127.0.0.1:9",
                "--lakehouse=abfss://lake@tributarydev.dfs.core.windows.net/tributary",
                "--lakehouseAuth=service-principal",
                "--azureTenantId=11111111-2222-3333-4444-555555555555",
                "--azureClientId=66666666-7777-8888-9999-000000000000",
                "--azureClientSecretEnv=TRIBUTARY_TEST_SECRET_THAT_IS_NEVER_SET"))
        .isEqualTo(2);
    assertThat(errors())
        .contains(
            "the environment variable TRIBUTARY_TEST_SECRET_THAT_IS_NEVER_SET holding the service"
                + " principal's client secret");
  }

  @Test
  void cyclesRunTheDirectRunnerOnOneThreadPerCoreUnlessTold() {
    int cores = Runtime.getRuntime().availableProcessors();
    assertThat(threads("--drain")).isEqualTo(Math.max(2, cores));
    assertThat(threads()).isEqualTo(Math.max(2, cores));
    assertThat(threads("--drain", "--targetParallelism=7")).isEqualTo(7);
    // The unbounded read keeps the runner's own default.
    assertThat(threads("--unboundedRead")).isEqualTo(Math.max(3, cores));
  }

  @Test
  void badCycleSettingsNameTheFlag() {
    assertThat(run(args("--trigger=1s"))).isEqualTo(2);
    assertThat(errors()).contains("bad value for --trigger: '1s' is not an ISO-8601 duration");
    assertThat(run(args("--maxEventsPerCycle=0"))).isEqualTo(2);
    assertThat(errors()).contains("bad value for --maxEventsPerCycle: 0 is below the minimum 1");
    assertThat(run(args("--vacuumRetentionMinutes=0"))).isEqualTo(2);
    assertThat(errors())
        .contains("bad value for --vacuumRetentionMinutes: 0 is below the minimum 1");
    assertThat(run(args("--drain", "--unboundedRead"))).isEqualTo(2);
    assertThat(errors()).contains("--drain and --unboundedRead do not go together");
    assertThat(run(args("--startTopicAfresh=students"))).isEqualTo(2);
    assertThat(errors())
        .contains(
            "bad value for --startTopicAfresh: 'students' is not a topic of this run (the topics"
                + " are weather)");
  }

  private String[] args(String... flags) {
    List<String> args =
        new ArrayList<>(
            List.of("--dataset=weather", "--bootstrapServers=127.0.0.1:9", "--lakehouse=" + dir));
    args.addAll(List.of(flags));
    return args.toArray(String[]::new);
  }

  private int threads(String... flags) {
    List<String> args = new ArrayList<>(List.of("--dataset=weather", "--lakehouse=" + dir));
    args.addAll(List.of(flags));
    return RunConfig.from(args.toArray(String[]::new), false)
        .options()
        .as(DirectOptions.class)
        .getTargetParallelism();
  }
}
