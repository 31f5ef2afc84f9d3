package io.tributary.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerBuildTest {

  @TempDir Path repo;

  @Test
  void walksUpFromAModuleToTheBrokerBuild() throws IOException {
    Path broker = fakeBrokerBuild(repo.resolve("local-kafka/broker"), "/m2/a.jar:/m2/b.jar");
    Path module = Files.createDirectories(repo.resolve("pipelines/bronze"));

    assertThat(BrokerBuild.locate(null, module)).isEqualTo(broker);
  }

  @Test
  void propertyWinsOverTheWorkingDirectory() throws IOException {
    Path broker = fakeBrokerBuild(repo.resolve("elsewhere"), "/m2/a.jar");

    assertThat(BrokerBuild.locate(broker.toString(), Path.of("/"))).isEqualTo(broker);
  }

  @Test
  void missingBuildSaysHowToFixIt() throws IOException {
    Files.createDirectories(repo.resolve("local-kafka/broker/target"));

    assertThatThrownBy(() -> BrokerBuild.locate("", repo))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("local-kafka/broker/target/classpath.txt")
        .hasMessageContaining("mvn -q -DskipTests package");
    assertThatThrownBy(() -> BrokerBuild.locate(repo.toString(), repo))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("-Dtributary.kafka.broker.dir=" + repo)
        .hasMessageContaining("mvn -q -DskipTests package");
  }

  @Test
  void commandRunsTheBrokerMainWithTheLauncherFlags() throws IOException {
    Path broker = fakeBrokerBuild(repo.resolve("local-kafka/broker"), "/m2/a.jar:/m2/b.jar\n");

    List<String> command = LocalKafka.command(broker, 19092, repo.resolve("data/../kafka"));

    assertThat(command.get(0)).endsWith(File.separator + "java");
    assertThat(command.subList(1, command.size()))
        .containsExactly(
            "-cp",
            "/m2/a.jar:/m2/b.jar" + File.pathSeparator + broker.resolve("target/classes"),
            "io.tributary.kafka.broker.KafkaBroker",
            "--port=19092",
            "--dataDir=" + repo.resolve("kafka"),
            "--host=127.0.0.1",
            "--stopWhenStdinCloses");
  }

  @Test
  void eventHubsModeAddsItsFlagsAndKeepsAKnownPort() throws IOException {
    Path broker = fakeBrokerBuild(repo.resolve("local-kafka/broker"), "/m2/a.jar");

    assertThat(LocalKafka.command(broker, 0, repo, true, 0))
        .endsWith("--stopWhenStdinCloses", "--eventHubsMode", "--eventHubsPort=0");
    assertThat(LocalKafka.command(broker, 19092, repo, true, -1))
        .endsWith("--stopWhenStdinCloses", "--eventHubsMode");
    assertThat(LocalKafka.command(broker, 19092, repo, false, 19093))
        .endsWith("--stopWhenStdinCloses");
  }

  private static Path fakeBrokerBuild(Path dir, String classpath) throws IOException {
    Path mainClass = dir.resolve(BrokerBuild.MAIN_CLASS_FILE);
    Files.createDirectories(mainClass.getParent());
    Files.write(mainClass, new byte[0]);
    Files.writeString(dir.resolve(BrokerBuild.CLASSPATH_FILE), classpath);
    return dir;
  }
}
