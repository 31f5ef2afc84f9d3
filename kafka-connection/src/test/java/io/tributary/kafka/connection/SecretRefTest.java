package io.tributary.kafka.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretRefTest {
  @TempDir Path dir;

  @Test
  void readsAFileAndStripsTheTrailingNewline() throws Exception {
    Path file = Files.writeString(dir.resolve("secret"), "s3cr3t\n");
    SecretRef ref = SecretRef.parse("flag", "file:" + file);
    assertThat(ref.resolve()).isEqualTo("s3cr3t");
    assertThat(ref.toString()).isEqualTo("file:" + file);
  }

  @Test
  void readsAnEnvironmentVariable() {
    // PATH is set in every environment the build runs in.
    assertThat(SecretRef.parse("flag", "env:PATH").resolve()).isEqualTo(System.getenv("PATH"));
  }

  @Test
  void refusesASecretGivenInPlaceOfAReferenceWithoutEchoingIt() {
    String pasted = "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKey=abc";
    assertThatThrownBy(() -> SecretRef.parse("eventHubsConnectionString", pasted))
        .hasMessageContaining("--eventHubsConnectionString takes a reference")
        .hasMessageNotContaining("abc");
    assertThatThrownBy(() -> SecretRef.parse("x", "env:not a name"))
        .hasMessageContaining("env:VARIABLE");
  }

  @Test
  void saysWhichReferenceCouldNotBeResolved() {
    assertThatThrownBy(() -> SecretRef.parse("x", "env:TRIBUTARY_SURELY_UNSET_42").resolve())
        .hasMessageContaining("env:TRIBUTARY_SURELY_UNSET_42")
        .hasMessageContaining("not set");
    assertThatThrownBy(() -> SecretRef.parse("x", "file:" + dir.resolve("none")).resolve())
        .hasMessageContaining("does not exist");
  }
}
