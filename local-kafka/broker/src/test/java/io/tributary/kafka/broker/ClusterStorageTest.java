package io.tributary.kafka.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterStorageTest {

  @TempDir Path dataDir;

  @Test
  void formatsOnceAndKeepsTheClusterId() throws IOException {
    Path logDir = dataDir.resolve("data");

    String first = ClusterStorage.prepare(dataDir, logDir);
    String second = ClusterStorage.prepare(dataDir, logDir);

    assertThat(second).isEqualTo(first);
    assertThat(Files.readString(dataDir.resolve("cluster.id")).trim()).isEqualTo(first);
    assertThat(Files.readString(logDir.resolve("meta.properties")))
        .contains("cluster.id=" + first)
        .contains("node.id=1");
  }

  @Test
  void reformatsALostLogDirWithTheSameClusterId() throws IOException {
    String id = ClusterStorage.prepare(dataDir, dataDir.resolve("data"));

    String again = ClusterStorage.prepare(dataDir, dataDir.resolve("other"));

    assertThat(again).isEqualTo(id);
    assertThat(Files.readString(dataDir.resolve("other/meta.properties")))
        .contains("cluster.id=" + id);
  }

  @Test
  void refusesAnEmptyClusterIdFile() throws IOException {
    Files.writeString(dataDir.resolve("cluster.id"), "  \n");

    assertThatThrownBy(() -> ClusterStorage.prepare(dataDir, dataDir.resolve("data")))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("cluster.id is empty");
  }
}
