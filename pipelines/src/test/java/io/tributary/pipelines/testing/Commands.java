package io.tributary.pipelines.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs a command's {@code run(args, out, err)} entry point in this JVM and keeps what it said. */
public final class Commands {
  private Commands() {}

  /** The shape of {@code Run.run} and {@code Generate.run}. */
  public interface Command {
    int run(String[] args, PrintStream out, PrintStream err);
  }

  /** How a command ended: its exit status, its output and how long it took. */
  public record Outcome(int status, String out, String err, double seconds) {
    /** The JSON summary line the command printed on stdout. */
    public JsonNode json() {
      try {
        return new ObjectMapper().readTree(out.strip());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public static Outcome call(Command command, List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    long started = System.nanoTime();
    int status =
        command.run(
            args.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(
        status,
        out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8),
        (System.nanoTime() - started) / 1e9);
  }

  /** Runs the command and fails the test, showing its stderr, unless it exits with 0. */
  public static Outcome succeed(Command command, List<String> args) {
    Outcome outcome = call(command, args);
    assertThat(outcome.status()).as(outcome.err()).isZero();
    return outcome;
  }

  /**
   * The JDK internals this test JVM was opened to ({@code --add-opens}, {@code --add-exports}):
   * Spark on Java 17 needs them in a child JVM too (harmless otherwise).
   */
  public static List<String> jdkOpens() {
    return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(flag -> flag.startsWith("--add-opens") || flag.startsWith("--add-exports"))
        .toList();
  }

  /**
   * A child JVM running {@code mainClass} on this test's classpath, for runs that must be killed
   * like a real process ({@code destroyForcibly} is SIGKILL). Output goes where the caller
   * redirects it.
   */
  public static ProcessBuilder childJvm(String mainClass, List<String> args) {
    List<String> command = new java.util.ArrayList<>();
    command.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.addAll(jdkOpens());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    return new ProcessBuilder(command).redirectErrorStream(true);
  }
}
