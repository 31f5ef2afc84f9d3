package io.tributary.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Failure paths of the child process handling, exercised with real (non-Kafka) child JVMs. */
class BrokerProcessTest {

  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @Test
  void recognisesTheReadyLine() {
    assertThat(
            BrokerProcess.readyPort(
                "Kafka broker ready at 127.0.0.1:19092 (data in /tmp/x y/kafka)"))
        .isEqualTo(OptionalInt.of(19092));
    assertThat(BrokerProcess.readyPort("Kafka broker ready at soon")).isEmpty();
    assertThat(BrokerProcess.readyPort("WARN something 127.0.0.1:19092")).isEmpty();
  }

  @Test
  void recognisesTheEventHubsLine() {
    assertThat(
            BrokerProcess.eventHubsPort(
                "Event Hubs stand-in ready at 127.0.0.1:19093 (SASL_SSL, SASL PLAIN, user"
                    + " $ConnectionString)"))
        .isEqualTo(OptionalInt.of(19093));
    assertThat(BrokerProcess.eventHubsPort("Kafka broker ready at 127.0.0.1:19092 (data in /x)"))
        .isEmpty();
  }

  @Test
  void hidesTheKeyOfAPrintedConnectionString() {
    assertThat(
            BrokerProcess.redact(
                "  connection string: Endpoint=sb://127.0.0.1:19093/;"
                    + "SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=a+b/c=="))
        .isEqualTo(
            "  connection string: Endpoint=sb://127.0.0.1:19093/;"
                + "SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=<hidden>");
    assertThat(BrokerProcess.redact("sharedaccesskey=x;EntityPath=hub"))
        .isEqualTo("sharedaccesskey=<hidden>;EntityPath=hub");
  }

  @Test
  void childThatExitsEarlyFailsWithItsStatusAndOutput() {
    List<String> command = List.of(JAVA, "-cp", "does-not-exist", "no.such.Main");

    assertThatThrownBy(
            () -> BrokerProcess.start(command, Duration.ofSeconds(30), Duration.ofSeconds(5)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited with status 1 before it was ready")
        .hasMessageContaining("no.such.Main");
  }

  @Test
  void silentChildTimesOutAndIsStopped() {
    List<String> command =
        List.of(JAVA, "-cp", System.getProperty("java.class.path"), SilentChild.class.getName());
    long before = System.nanoTime();

    assertThatThrownBy(
            () -> BrokerProcess.start(command, Duration.ofSeconds(2), Duration.ofSeconds(5)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("printed no ready line within PT2S")
        .hasMessageContaining("silent child started");
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(20));
    assertThat(
            ProcessHandle.allProcesses()
                .filter(p -> p.parent().map(ProcessHandle.current()::equals).orElse(false))
                .filter(p -> p.info().commandLine().orElse("").contains("SilentChild")))
        .isEmpty();
  }
}
