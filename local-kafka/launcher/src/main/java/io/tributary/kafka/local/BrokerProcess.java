package io.tributary.kafka.local;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the broker as a child process: started, awaited until it prints its ready line, and
 * stopped with SIGTERM so it shuts down cleanly and keeps its data.
 *
 * <p>A JVM shutdown hook stops the child if nobody else does, so a test that fails before closing
 * its broker does not leave a Kafka process (and a taken port) behind.
 */
final class BrokerProcess {

  static final int TAIL_LINES = 50;
  private static final Duration HOOK_STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration PUMP_JOIN_TIMEOUT = Duration.ofSeconds(5);
  private static final Pattern READY_LINE =
      Pattern.compile(Pattern.quote(LocalKafka.READY_PREFIX) + "(.+):(\\d+) \\(data in .*\\)");
  private static final Pattern EVENT_HUBS_READY_LINE =
      Pattern.compile(Pattern.quote(LocalKafka.EVENT_HUBS_READY_PREFIX) + "(.+):(\\d+) \\(.*\\)");

  /** The key in a printed connection string; hidden before a line is logged or kept. */
  private static final Pattern SHARED_ACCESS_KEY =
      Pattern.compile("(SharedAccessKey=)[^;\\s]+", Pattern.CASE_INSENSITIVE);

  private static final Logger LOG = LoggerFactory.getLogger(LocalKafka.class);

  /** The child's own output, under a name of its own so it can be silenced separately. */
  private static final Logger BROKER_OUTPUT = LoggerFactory.getLogger("io.tributary.kafka.broker");

  private final Process process;
  private final String description;
  private final OutputTail tail = new OutputTail(TAIL_LINES);
  private final CompletableFuture<Integer> readyPort = new CompletableFuture<>();
  private final CompletableFuture<Integer> eventHubsPort = new CompletableFuture<>();
  private final Thread cleanupHook;
  private final List<Thread> pumps;
  private volatile boolean stopping;

  private BrokerProcess(Process process, String description) {
    this.process = process;
    this.description = description;
    this.cleanupHook = new Thread(this::stopFromHook, "local-kafka-cleanup-" + process.pid());
    Runtime.getRuntime().addShutdownHook(cleanupHook);
    this.pumps =
        List.of(
            pump(process.getInputStream(), "stdout", true),
            pump(process.getErrorStream(), "stderr", false));
    process.onExit().thenRun(this::reportUnexpectedExit);
  }

  /**
   * Starts {@code command} and returns once it printed its ready line. If it exits first or stays
   * silent past {@code readyTimeout}, it is stopped and the exception carries its last output.
   */
  static BrokerProcess start(List<String> command, Duration readyTimeout, Duration stopTimeout) {
    return start(command, false, readyTimeout, stopTimeout);
  }

  /**
   * As {@link #start(List, Duration, Duration)}; with {@code eventHubsMode} it also waits for the
   * line announcing the Event Hubs stand-in, which follows the ready line.
   */
  static BrokerProcess start(
      List<String> command, boolean eventHubsMode, Duration readyTimeout, Duration stopTimeout) {
    String description = describe(command);
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the Kafka broker (" + description + ")", e);
    }
    BrokerProcess broker = new BrokerProcess(process, description);
    LOG.info("started Kafka broker pid {}: {}", process.pid(), description);
    broker.awaitReady(
        eventHubsMode
            ? broker.readyPort.thenCombine(broker.eventHubsPort, (port, eh) -> port)
            : broker.readyPort,
        readyTimeout,
        stopTimeout);
    return broker;
  }

  /** The port announced in a ready line, if {@code line} is one. */
  static OptionalInt readyPort(String line) {
    Matcher matcher = READY_LINE.matcher(line);
    return matcher.matches()
        ? OptionalInt.of(Integer.parseInt(matcher.group(2)))
        : OptionalInt.empty();
  }

  /** The port of the Event Hubs stand-in, if {@code line} is the line that announces it. */
  static OptionalInt eventHubsPort(String line) {
    Matcher matcher = EVENT_HUBS_READY_LINE.matcher(line);
    return matcher.matches()
        ? OptionalInt.of(Integer.parseInt(matcher.group(2)))
        : OptionalInt.empty();
  }

  /**
   * {@code line} with any SharedAccessKey hidden: the broker prints its connection string for the
   * user on purpose, but it must not reach a test log or an exception message from here.
   */
  static String redact(String line) {
    return SHARED_ACCESS_KEY.matcher(line).replaceAll("$1<hidden>");
  }

  /** The port the Event Hubs stand-in announced; only once started in Event Hubs mode. */
  int eventHubsPort() {
    return eventHubsPort.join();
  }

  /** The port the broker announced in its ready line. */
  int port() {
    return readyPort.join();
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  /** SIGTERM, up to {@code timeout} for a clean shutdown, then SIGKILL. Safe to call twice. */
  void stop(Duration timeout) {
    stopping = true;
    if (process.isAlive()) {
      process.destroy();
      if (!waitForExit(timeout)) {
        LOG.warn(
            "Kafka broker pid {} did not stop within {} of SIGTERM, killing it",
            process.pid(),
            timeout);
        process.destroyForcibly();
        waitForExit(KILL_TIMEOUT);
      }
      LOG.info("Kafka broker pid {} stopped with status {}", process.pid(), exitCode());
    }
    joinPumps();
    removeCleanupHook();
  }

  private void awaitReady(
      CompletableFuture<Integer> ready, Duration timeout, Duration stopTimeout) {
    try {
      int port = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      LOG.info("Kafka broker pid {} ready on port {}", process.pid(), port);
    } catch (TimeoutException e) {
      stop(stopTimeout);
      throw new IllegalStateException(
          "Kafka broker printed no ready line within " + timeout + lastOutput(), e);
    } catch (ExecutionException e) {
      // Stdout closed before the ready line: the broker is exiting, so wait for its status.
      stopping = true;
      waitForExit(stopTimeout);
      String status = process.isAlive() ? "closed its output" : "exited with status " + exitCode();
      stop(stopTimeout);
      throw new IllegalStateException(
          "Kafka broker " + status + " before it was ready" + lastOutput(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(stopTimeout);
      throw new IllegalStateException("interrupted while waiting for the Kafka broker to start", e);
    }
  }

  private Thread pump(InputStream stream, String name, boolean isStdout) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                  String shown = redact(line);
                  tail.add(shown);
                  if (isStdout) {
                    BROKER_OUTPUT.info("{}", shown);
                    readyPort(line).ifPresent(readyPort::complete);
                    eventHubsPort(line).ifPresent(eventHubsPort::complete);
                  } else {
                    // The broker logs at WARN and above by default, so stderr is worth a warning.
                    BROKER_OUTPUT.warn("{}", shown);
                  }
                }
              } catch (IOException e) {
                LOG.debug("stopped reading the Kafka broker's {}", name, e);
              } finally {
                if (isStdout) {
                  EOFException closed = new EOFException("broker closed its stdout");
                  readyPort.completeExceptionally(closed);
                  eventHubsPort.completeExceptionally(closed);
                }
              }
            },
            "local-kafka-" + name + "-" + process.pid());
    // Daemon: a broker that outlives its pumps must never keep the test JVM alive.
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private void reportUnexpectedExit() {
    if (!stopping && readyPort.isDone() && !readyPort.isCompletedExceptionally()) {
      joinPumps();
      LOG.error(
          "Kafka broker pid {} exited unexpectedly with status {}{}",
          process.pid(),
          exitCode(),
          lastOutput());
    }
  }

  private void stopFromHook() {
    if (process.isAlive()) {
      LOG.warn(
          "JVM exiting without LocalKafka.close(): stopping Kafka broker pid {}", process.pid());
      stopping = true;
      process.destroy();
      if (!waitForExit(HOOK_STOP_TIMEOUT)) {
        process.destroyForcibly();
      }
    }
  }

  private boolean waitForExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      // Never leave a broker behind because the caller was interrupted.
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void joinPumps() {
    for (Thread pump : pumps) {
      if (pump == Thread.currentThread()) {
        continue;
      }
      try {
        pump.join(PUMP_JOIN_TIMEOUT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void removeCleanupHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(cleanupHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the hook is running or about to, and is harmless.
    }
  }

  private String exitCode() {
    return process.isAlive() ? "(still running)" : Integer.toString(process.exitValue());
  }

  private String lastOutput() {
    return " (" + description + "); last output:" + System.lineSeparator() + tail;
  }

  /** The command without the long classpath, which says nothing when something fails. */
  private static String describe(List<String> command) {
    int mainClass = command.indexOf(LocalKafka.MAIN_CLASS);
    List<String> shown = mainClass < 0 ? command : command.subList(mainClass, command.size());
    return String.join(" ", shown);
  }
}
