package io.tributary.kafka.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up failures that happen before Kafka itself is started, so they run in milliseconds. */
class KafkaBrokerTest {

  @TempDir Path dataDir;

  @Test
  void aTakenEventHubsPortFailsBeforeAnythingStartsAndNamesTheFlag() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();

      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status =
          withStderr(
              err,
              () ->
                  KafkaBroker.run(
                      "--port=0",
                      "--dataDir=" + dataDir.resolve("kafka"),
                      "--eventHubsMode",
                      "--eventHubsPort=" + port));

      assertThat(status).isEqualTo(1);
      assertThat(err.toString(StandardCharsets.UTF_8))
          .contains(
              "port "
                  + port
                  + " on 127.0.0.1 is already in use; stop the other process or pass"
                  + " --eventHubsPort=0 for a free port");
      assertThat(dataDir.resolve("kafka")).doesNotExist();
    }
  }

  @Test
  void theHelpNamesTheEventHubsFlags() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertThat(KafkaBroker.run("--help")).isZero();
    } finally {
      System.setOut(original);
    }
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("--eventHubsMode", "--eventHubsPort=N", "--eventHubsKey=KEY", "ca.pem");
  }

  private static int withStderr(ByteArrayOutputStream err, java.util.function.IntSupplier run) {
    PrintStream original = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return run.getAsInt();
    } finally {
      System.setErr(original);
    }
  }
}
