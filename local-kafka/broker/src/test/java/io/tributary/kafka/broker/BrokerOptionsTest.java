package io.tributary.kafka.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BrokerOptionsTest {

  @Test
  void defaultsMatchTheDocumentedOnes() throws UsageException {
    BrokerOptions options = BrokerOptions.parse();

    assertThat(options.port()).isEqualTo(9092);
    assertThat(options.dataDir()).isEqualTo(Path.of(".tributary/kafka"));
    assertThat(options.host()).isEqualTo("127.0.0.1");
    assertThat(options.help()).isFalse();
    assertThat(options.eventHubs()).isEqualTo(EventHubsOptions.OFF);
  }

  @Test
  void readsEveryFlag() throws UsageException {
    BrokerOptions options =
        BrokerOptions.parse("--port=0", "--dataDir=/tmp/k", "--host=localhost", "--help");

    assertThat(options)
        .isEqualTo(
            new BrokerOptions(
                0, Path.of("/tmp/k"), "localhost", false, true, EventHubsOptions.OFF));
  }

  @Test
  void readsTheEventHubsFlags() throws UsageException {
    assertThat(BrokerOptions.parse("--eventHubsMode").eventHubs())
        .isEqualTo(new EventHubsOptions(true, OptionalInt.empty(), Optional.empty()));
    assertThat(
            BrokerOptions.parse("--eventHubsMode", "--eventHubsPort=19093", "--eventHubsKey=a+b/c=")
                .eventHubs())
        .isEqualTo(new EventHubsOptions(true, OptionalInt.of(19093), Optional.of("a+b/c=")));
  }

  @Test
  void theKeyNeverShowsInTheOptionsOrInAnError() throws UsageException {
    String key = "s3cret+Key/that=must;not\"show";

    assertThat(BrokerOptions.parse("--eventHubsMode", "--eventHubsKey=s3cret+Key/").toString())
        .doesNotContain("s3cret");
    assertThatThrownBy(() -> BrokerOptions.parse("--eventHubsMode", "--eventHubsKey=" + key))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--eventHubsKey may only hold printable ASCII")
        .hasMessageNotContaining("s3cret");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--prot=9092     | unknown flag --prot",
        "9092            | unknown flag 9092",
        "--port=abc      | --port must be a number from 0 to 65535, got 'abc'",
        "--port=-1       | --port must be a number from 0 to 65535, got '-1'",
        "--port=65536    | --port must be a number from 0 to 65535, got '65536'",
        "--port          | --port needs a value",
        "--dataDir=      | --dataDir must not be empty",
        "--host=0.0.0.0  | --host=0.0.0.0 cannot be advertised",
        "--help=yes      | --help takes no value",
        "--eventHubsMode=1 | --eventHubsMode takes no value",
        "--eventHubsPort=9093 | --eventHubsPort only applies with --eventHubsMode",
        "--eventHubsKey=abc | --eventHubsKey only applies with --eventHubsMode",
      })
  void rejectsBadFlagsNamingTheFlag(String arg, String message) {
    assertThatThrownBy(() -> BrokerOptions.parse(arg))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining(message);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--eventHubsPort=x     | --eventHubsPort must be a number from 0 to 65535, got 'x'",
        "--eventHubsPort=9092  | --eventHubsPort=9092 is also --port",
        "--eventHubsPort       | --eventHubsPort needs a value",
        "--eventHubsKey=       | --eventHubsKey must not be empty",
        "--eventHubsKey=a b    | --eventHubsKey may only hold printable ASCII",
      })
  void rejectsBadEventHubsFlags(String arg, String message) {
    assertThatThrownBy(() -> BrokerOptions.parse("--eventHubsMode", arg))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining(message);
  }

  @Test
  void badCommandLineExitsWithTwo() {
    assertThat(KafkaBroker.run("--nope")).isEqualTo(2);
  }
}
