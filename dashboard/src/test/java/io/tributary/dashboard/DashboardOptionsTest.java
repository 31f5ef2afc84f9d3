package io.tributary.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DashboardOptionsTest {
  @Test
  void defaultsToLoopbackPort8080AndFiveSeconds() {
    DashboardOptions options = DashboardOptions.parse(new String[] {"--lakehouse=/tmp/lake"});
    assertThat(options.host()).isEqualTo("127.0.0.1");
    assertThat(options.port()).isEqualTo(8080);
    assertThat(options.refresh()).isEqualTo(Duration.ofSeconds(5));
    assertThat(options.bootstrapServers()).isEmpty();
    assertThat(options.bindsBeyondLoopback()).isFalse();
  }

  @Test
  void everyFlag() {
    DashboardOptions options =
        DashboardOptions.parse(
            new String[] {
              "--lakehouse=abfss://c@acct.dfs.core.windows.net/lake",
              "--host=0.0.0.0",
              "--port=0",
              "--refreshSeconds=2",
              "--bootstrapServers=127.0.0.1:9092"
            });
    assertThat(options.bindsBeyondLoopback()).isTrue();
    assertThat(options.port()).isZero();
    assertThat(options.refresh()).isEqualTo(Duration.ofSeconds(2));
    assertThat(options.bootstrapServers()).isEqualTo(Optional.of("127.0.0.1:9092"));
  }

  @Test
  void badFlagsAreNamed() {
    assertThatThrownBy(() -> DashboardOptions.parse(new String[] {}))
        .hasMessageContaining("--lakehouse=DIR is required");
    assertThatThrownBy(() -> DashboardOptions.parse(new String[] {"--lakehouse=x", "--colour=red"}))
        .hasMessageContaining("unknown flag --colour");
    assertThatThrownBy(() -> DashboardOptions.parse(new String[] {"--lakehouse=x", "--port=99999"}))
        .hasMessageContaining("bad value for --port: '99999'");
    assertThatThrownBy(
            () -> DashboardOptions.parse(new String[] {"--lakehouse=x", "--refreshSeconds=0"}))
        .hasMessageContaining("--refreshSeconds");
  }

  @Test
  void warnsWhenListeningBeyondThisMachine() {
    assertThat(Dashboard.exposure(DashboardOptions.parse(new String[] {"--lakehouse=x"})))
        .isEmpty();
    assertThat(
            Dashboard.exposure(
                DashboardOptions.parse(new String[] {"--lakehouse=x", "--host=0.0.0.0"})))
        .hasValueSatisfying(w -> assertThat(w).contains("WARNING: listening on 0.0.0.0"));
  }

  @Test
  void badFlagEndsWithStatus2() throws Exception {
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int status =
        Dashboard.run(
            new String[] {"--lakehouse=x", "--port=nope"},
            new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
            new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8))
        .contains("bad value for --port");
  }
}
