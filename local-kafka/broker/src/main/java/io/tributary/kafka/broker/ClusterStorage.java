package io.tributary.kafka.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the cluster id in the data directory and formats the KRaft log directory once.
 *
 * <p>KRaft refuses to start on an unformatted directory, and formatting an existing one with a new
 * cluster id would orphan its data; so the id lives in its own file and formatting is skipped as
 * soon as Kafka's own meta.properties exists.
 */
final class ClusterStorage {

  static final String CLUSTER_ID_FILE = "cluster.id";
  private static final Logger LOG = LoggerFactory.getLogger(ClusterStorage.class);

  private ClusterStorage() {}

  /** Returns the cluster id of {@code dataDir}, formatting {@code logDir} if it never was. */
  static String prepare(Path dataDir, Path logDir) {
    try {
      Files.createDirectories(dataDir);
      String clusterId = readOrCreateClusterId(dataDir.resolve(CLUSTER_ID_FILE));
      if (!Files.exists(logDir.resolve("meta.properties"))) {
        format(clusterId, logDir);
      }
      return clusterId;
    } catch (IOException e) {
      throw new StartupException(
          "cannot prepare data directory " + dataDir + ": " + e.getMessage(), e);
    }
  }

  private static String readOrCreateClusterId(Path file) throws IOException {
    if (Files.exists(file)) {
      String id = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (id.isEmpty()) {
        throw new StartupException(file + " is empty; delete it or the whole data directory");
      }
      return id;
    }
    String id = Uuid.randomUuid().toString();
    // Write-then-rename so a crash never leaves a half-written id behind.
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return id;
  }

  private static void format(String clusterId, Path logDir) throws IOException {
    Files.createDirectories(logDir);
    // The Formatter reports progress on a PrintStream (System.out by default); stdout is reserved
    // for the ready line, so capture it and log it instead.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PrintStream printStream = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      new Formatter()
          .setPrintStream(printStream)
          .setNodeId(BrokerProperties.NODE_ID)
          .setClusterId(clusterId)
          .setControllerListenerName(BrokerProperties.CONTROLLER_LISTENER)
          .setMetadataLogDirectory(logDir.toString())
          .addDirectory(logDir.toString())
          .setIgnoreFormatted(true)
          .run();
    } catch (Exception e) {
      throw new StartupException(
          "cannot format " + logDir + " for cluster " + clusterId + ": " + e.getMessage(), e);
    }
    LOG.info("{}", out.toString(StandardCharsets.UTF_8).trim());
  }
}
