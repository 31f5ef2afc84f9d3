package io.tributary.interop;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Tributary module whose main classes run in JVMs of their own, from the module's build output
 * ({@code target/classes} plus the jar list its build writes to {@code target/classpath.txt}), as
 * the {@code tributary} launcher runs them. Nothing of the module reaches this JVM's classpath.
 */
final class ModuleJvm {
  static final String CLASSPATH_FILE = "target/classpath.txt";
  static final String CLASSES_DIR = "target/classes";

  private final Path moduleDir;

  private ModuleJvm(Path moduleDir) {
    this.moduleDir = moduleDir;
  }

  /**
   * The module in the directory named by system property {@code property} (set by the build), else
   * {@code ../module} from the working directory, which is this module's directory under Maven.
   */
  static ModuleJvm of(String property, String module) {
    String configured = System.getProperty(property);
    Path dir =
        (configured == null || configured.isBlank() ? Path.of("..", module) : Path.of(configured))
            .toAbsolutePath()
            .normalize();
    if (!Files.isRegularFile(dir.resolve(CLASSPATH_FILE))
        || !Files.isDirectory(dir.resolve(CLASSES_DIR))) {
      throw new IllegalStateException(
          dir
              + " has no "
              + CLASSPATH_FILE
              + " or "
              + CLASSES_DIR
              + ": build it first (mvn -B -pl interop -am verify builds it with this module)");
    }
    return new ModuleJvm(dir);
  }

  /** The child JVM's classpath: the module's dependency jars, then its own classes. */
  String classpath() {
    Path file = moduleDir.resolve(CLASSPATH_FILE);
    try {
      String jars = Files.readString(file, StandardCharsets.UTF_8).strip();
      String classes = moduleDir.resolve(CLASSES_DIR).toString();
      return jars.isEmpty() ? classes : jars + File.pathSeparator + classes;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Starts {@code mainClass} with {@code args}; stdout and stderr go to files in {@code logDir}.
   */
  Running start(String mainClass, List<String> args, String maxHeap, Path logDir, String name) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + maxHeap);
    command.add("-cp");
    command.add(classpath());
    command.add(mainClass);
    command.addAll(args);
    Path out = logDir.resolve(name + ".out");
    Path err = logDir.resolve(name + ".err");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      return new Running(name, process, out, err);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  /** A started child JVM. */
  record Running(String name, Process process, Path out, Path err) {
    /**
     * Waits for the JVM to exit, killing it after {@code timeout}.
     *
     * @throws IllegalStateException if it did not exit with status 0, with the tail of its stderr
     */
    String awaitSuccess(Duration timeout) {
      try {
        boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
          process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        if (!ended || process.exitValue() != 0) {
          String stderr = Files.readString(err, StandardCharsets.ISO_8859_1);
          throw new IllegalStateException(
              name
                  + (ended
                      ? " exited with status " + process.exitValue()
                      : " timed out after " + timeout)
                  + "; stdout:\n"
                  + tail(stdout)
                  + "\nstderr:\n"
                  + tail(stderr));
        }
        return stdout;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + name, e);
      } finally {
        process.destroyForcibly();
      }
    }

    private static String tail(String text) {
      return text.substring(Math.max(0, text.length() - 4000));
    }
  }
}
