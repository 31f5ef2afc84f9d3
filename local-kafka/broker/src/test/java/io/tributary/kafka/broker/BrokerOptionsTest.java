package io.tributary.kafka.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
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
  }

  @Test
  void readsEveryFlag() throws UsageException {
    BrokerOptions options =
        BrokerOptions.parse("--port=0", "--dataDir=/tmp/k", "--host=localhost", "--help");

    assertThat(options)
        .isEqualTo(new BrokerOptions(0, Path.of("/tmp/k"), "localhost", false, true));
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
      })
  void rejectsBadFlagsNamingTheFlag(String arg, String message) {
    assertThatThrownBy(() -> BrokerOptions.parse(arg))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining(message);
  }

  @Test
  void badCommandLineExitsWithTwo() {
    assertThat(KafkaBroker.run("--nope")).isEqualTo(2);
  }
}
