package io.tributary.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./tributary generate|run --fromTerraform[=DIR]}: the launcher's from_terraform function,
 * run by bash against a stand-in {@code terraform} that answers {@code output -raw NAME} like a
 * configuration after apply.
 */
class LauncherFromTerraformTest {
  private static final String CONNECTION =
      "Endpoint=sb://tribacme01-events.servicebus.windows.net/;SharedAccessKeyName=%s;SharedAccessKey=abc=";

  @TempDir Path bin;

  private String run(String command, String... flags) throws IOException, InterruptedException {
    Path terraform = bin.resolve("terraform");
    Files.writeString(
        terraform,
        String.join(
            "\n",
            "#!/usr/bin/env bash",
            "[[ \"$1\" == -chdir=/deployments/azure && \"$2\" == output && \"$3\" == -raw ]] || exit 1",
            "case \"$4\" in",
            "  eventhubs_namespace) printf tribacme01-events ;;",
            "  eventhubs_send_connection_string) printf '"
                + CONNECTION.formatted("tributary-generators-send")
                + "' ;;",
            "  eventhubs_listen_connection_string) printf '"
                + CONNECTION.formatted("tributary-pipelines-listen")
                + "' ;;",
            "  *) echo \"Output \\\"$4\\\" not found\" >&2; exit 1 ;;",
            "esac",
            ""));
    Files.setPosixFilePermissions(terraform, PosixFilePermissions.fromString("rwxr-xr-x"));
    String launcher = Path.of("../tributary").toAbsolutePath().normalize().toString();
    String script =
        String.join(
            "\n",
            "set -euo pipefail",
            "die() { echo \"tributary: $*\" >&2; exit 2; }",
            "ROOT=/nowhere",
            "eval \"$(sed -n '/^terraform_output()/,/^}/p; /^from_terraform()/,/^}/p' '"
                + launcher
                + "')\"",
            "from_terraform \"$@\"",
            "printf '%s\\n' \"${args[@]}\"",
            "echo \"env=${TRIBUTARY_EVENTHUBS_CONNECTION_STRING-}\"");
    List<String> commandLine =
        new java.util.ArrayList<>(List.of("bash", "-c", script, "bash", command));
    commandLine.addAll(List.of(flags));
    ProcessBuilder builder = new ProcessBuilder(commandLine).redirectErrorStream(true);
    builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    Process bash = builder.start();
    assertThat(bash.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void runReadsWithTheListenRuleThroughAnEnvironmentVariable() throws Exception {
    String out = run("run", "--dataset=weather", "--fromTerraform=/deployments/azure", "--drain");

    assertThat(out.lines())
        .containsExactly(
            "--dataset=weather",
            "--drain",
            "--eventHubsNamespace=tribacme01-events",
            "--eventHubsConnectionString=env:TRIBUTARY_EVENTHUBS_CONNECTION_STRING",
            "env=" + CONNECTION.formatted("tributary-pipelines-listen"));
  }

  @Test
  void generateSendsWithTheSendRule() throws Exception {
    String out = run("generate", "--fromTerraform=/deployments/azure", "--dataset=trips");

    assertThat(out).contains("env=" + CONNECTION.formatted("tributary-generators-send"));
    assertThat(out).doesNotContain("listen");
  }

  @Test
  void withoutTheFlagTheArgumentsPassUnchanged() throws Exception {
    String out = run("run", "--dataset=weather", "--bootstrapServers=127.0.0.1:9092");

    assertThat(out.lines()).startsWith("--dataset=weather", "--bootstrapServers=127.0.0.1:9092");
    assertThat(out).doesNotContain("eventHubs");
  }

  @Test
  void aConfigurationNotAppliedYetIsReportedAsSuch() throws Exception {
    String out = run("run", "--fromTerraform=/somewhere/else");

    assertThat(out)
        .contains(
            "tributary: no output 'eventhubs_namespace' in /somewhere/else: run terraform apply there first");
  }
}
