package io.tributary.kafka.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the compiled broker module (local-kafka/broker) and its runtime classpath.
 *
 * <p>The launcher deliberately does not carry the broker's jars (they bring Scala 2.13), so it runs
 * the broker from the broker module's build output: {@code target/classes} plus the jar list that
 * the build writes to {@code target/classpath.txt}.
 */
final class BrokerBuild {

  static final String CLASSPATH_FILE = "target/classpath.txt";
  static final String CLASSES_DIR = "target/classes";
  static final String MAIN_CLASS_FILE =
      CLASSES_DIR + "/io/tributary/kafka/broker/KafkaBroker.class";
  private static final Path MODULE_PATH = Path.of("local-kafka", "broker");
  private static final String BUILD_HINT =
      "Run `mvn -q -DskipTests package` in the repository root first";

  private BrokerBuild() {}

  /**
   * The broker module directory: {@code brokerDirProperty} if set, else the first {@code
   * local-kafka/broker} with a built classpath found walking up from {@code start}.
   */
  static Path locate(String brokerDirProperty, Path start) {
    if (brokerDirProperty != null && !brokerDirProperty.isBlank()) {
      Path dir = Path.of(brokerDirProperty).toAbsolutePath().normalize();
      if (!isBuilt(dir)) {
        throw new IllegalStateException(
            "-D"
                + LocalKafka.BROKER_DIR_PROPERTY
                + "="
                + dir
                + " has no "
                + CLASSPATH_FILE
                + " or "
                + MAIN_CLASS_FILE
                + ". "
                + BUILD_HINT
                + ".");
      }
      return dir;
    }
    Path from = start.toAbsolutePath().normalize();
    for (Path dir = from; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(MODULE_PATH);
      if (isBuilt(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "Cannot find the local Kafka broker build: no "
            + MODULE_PATH.resolve(CLASSPATH_FILE)
            + " in "
            + from
            + " or any directory above it, and -D"
            + LocalKafka.BROKER_DIR_PROPERTY
            + " is not set. "
            + BUILD_HINT
            + ".");
  }

  /** The broker's full runtime classpath: the dependency jars, then the broker's own classes. */
  static String classpath(Path brokerDir) {
    Path file = brokerDir.resolve(CLASSPATH_FILE);
    try {
      String jars = Files.readString(file, StandardCharsets.UTF_8).trim();
      String classes = brokerDir.resolve(CLASSES_DIR).toString();
      return jars.isEmpty() ? classes : jars + File.pathSeparator + classes;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the broker classpath from " + file, e);
    }
  }

  private static boolean isBuilt(Path dir) {
    return Files.isRegularFile(dir.resolve(CLASSPATH_FILE))
        && Files.isRegularFile(dir.resolve(MAIN_CLASS_FILE));
  }
}
