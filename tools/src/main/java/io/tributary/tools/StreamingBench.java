package io.tributary.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.pipelines.Run;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableReader;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The streaming side of {@code ./tributary bench}: a streaming run ({@code ./tributary run} without
 * {@code --drain}) in a child JVM, writing one line per cycle to a cycle log, measured from that
 * log and the tables it wrote.
 *
 * <p>Latency of a record is the time its cycle's commits were done less its Kafka record timestamp:
 * an upper bound of when it became visible in silver (silver commits before gold within a cycle).
 * Records are matched to cycles by their partition and offset, read back from bronze.
 */
final class StreamingBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path cycleLog;
  private final Path gcLog;
  private final Path lakehouse;
  private final Process run;
  private final long startedMillis;

  private StreamingBench(
      Path cycleLog, Path gcLog, Path lakehouse, Process run, long startedMillis) {
    this.cycleLog = cycleLog;
    this.gcLog = gcLog;
    this.lakehouse = lakehouse;
    this.run = run;
    this.startedMillis = startedMillis;
  }

  /** Starts a streaming run of {@code runArgs} in a child JVM on {@code classpath}. */
  static StreamingBench start(
      String classpath, Path work, Path lakehouse, PrintStream err, List<String> runArgs)
      throws IOException {
    Path cycleLog = work.resolve("cycles-" + System.nanoTime() + ".jsonl");
    Path gcLog = work.resolve("gc-" + System.nanoTime() + ".log");
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-Xlog:gc:file=" + gcLog);
    command.add("-cp");
    command.add(classpath);
    command.add(Run.class.getName());
    command.addAll(runArgs);
    command.add("--lakehouse=" + lakehouse);
    command.add("--cycleLog=" + cycleLog);
    long started = System.currentTimeMillis();
    Process process =
        new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .redirectOutput(work.resolve("run-" + System.nanoTime() + ".out").toFile())
            .start();
    process.getOutputStream().close();
    err.println("bench: streaming run started (pid " + process.pid() + ")");
    return new StreamingBench(cycleLog, gcLog, lakehouse, process, started);
  }

  /** Records the run has committed so far, from its cycle log. */
  long committed() throws IOException {
    return cycles().stream().mapToLong(cycle -> cycle.path("records").asLong()).sum();
  }

  /**
   * Waits until the run committed {@code records} or {@code timeoutMillis} passed.
   *
   * @return whether it got there
   */
  boolean awaitCommitted(long records, long timeoutMillis)
      throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < deadline) {
      if (committed() >= records) {
        return true;
      }
      if (!run.isAlive()) {
        throw new IllegalStateException("the streaming run exited with status " + run.exitValue());
      }
      Thread.sleep(100);
    }
    return false;
  }

  /** Peak resident memory of the run so far (kB), from /proc; -1 where there is none. */
  long peakRssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + run.pid() + "/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or the process is gone
    }
    return -1;
  }

  /** One collection: seconds since the JVM started, and the heap in use after it (MiB). */
  record Collection(double uptimeSeconds, long heapAfterMib) {}

  private static final java.util.regex.Pattern GC_LINE =
      java.util.regex.Pattern.compile("^\\[([0-9.]+)s\\].*Pause.* [0-9]+M->([0-9]+)M\\([0-9]+M\\)");

  /** The run's collections so far, from its unified GC log ({@code -Xlog:gc}). */
  List<Collection> collections() throws IOException {
    List<Collection> collections = new ArrayList<>();
    if (!Files.exists(gcLog)) {
      return collections;
    }
    for (String line : Files.readAllLines(gcLog)) {
      java.util.regex.Matcher match = GC_LINE.matcher(line);
      if (match.find()) {
        collections.add(
            new Collection(Double.parseDouble(match.group(1)), Long.parseLong(match.group(2))));
      }
    }
    return collections;
  }

  /**
   * The lowest heap in use after a collection in each minute of {@code from} to {@code to} seconds
   * of the run's uptime: what stays live (caches, the known event ids) once each minute's garbage
   * is gone. A flat series is a flat heap. With G1, the heap after a young collection still holds
   * old garbage that only marking frees, so a minute's highest value says little.
   *
   * @return MiB per minute, -1 for a minute without a collection
   */
  long[] heapAfterGcPerMinute(double from, double to) throws IOException {
    int minutes = Math.max(1, (int) Math.ceil((to - from) / 60));
    long[] lowest = new long[minutes];
    java.util.Arrays.fill(lowest, -1);
    for (Collection collection : collections()) {
      double at = collection.uptimeSeconds();
      if (at < from || at > to) {
        continue;
      }
      int minute = Math.min(minutes - 1, (int) ((at - from) / 60));
      long heap = collection.heapAfterMib();
      lowest[minute] = lowest[minute] < 0 ? heap : Math.min(lowest[minute], heap);
    }
    return lowest;
  }

  /** Seconds since the run's JVM started, by this JVM's clock. */
  double uptimeSeconds() {
    return (System.currentTimeMillis() - startedMillis) / 1000.0;
  }

  /** Stops the run as Ctrl-C would (SIGTERM: the cycle under way commits) and waits for it. */
  int stop() throws InterruptedException {
    run.destroy();
    if (!run.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
      run.destroyForcibly();
      return -1;
    }
    return run.exitValue();
  }

  /** The run's start (this JVM's clock, before the child JVM started). */
  long startedMillis() {
    return startedMillis;
  }

  List<JsonNode> cycles() throws IOException {
    List<JsonNode> cycles = new ArrayList<>();
    if (!Files.exists(cycleLog)) {
      return cycles;
    }
    for (String line : Files.readAllLines(cycleLog)) {
      if (!line.isBlank() && line.endsWith("}")) {
        cycles.add(JSON.readTree(line));
      }
    }
    return cycles;
  }

  /**
   * Per record of bronze: commit time of its cycle less its Kafka timestamp, in ms, sorted; only
   * records produced at or after {@code fromMillis} (a streaming measurement leaves out a
   * pre-filled backlog).
   */
  long[] latenciesMillis(long fromMillis) throws IOException {
    Map<String, List<long[]>> ranges = new HashMap<>();
    for (JsonNode cycle : cycles()) {
      long committedAt = cycle.path("committed_at_ms").asLong();
      for (JsonNode range : cycle.path("ranges")) {
        ranges
            .computeIfAbsent(
                range.path("topic").asText() + "|" + range.path("partition").asText(),
                key -> new ArrayList<>())
            .add(new long[] {range.path("from").asLong(), range.path("to").asLong(), committedAt});
      }
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    java.io.File[] bronze = lakehouse.resolve("bronze").toFile().listFiles();
    for (java.io.File table : bronze == null ? new java.io.File[0] : bronze) {
      rows.addAll(
          TableReader.readColumns(
              table.getPath(),
              TableFormat.DELTA,
              List.of("topic", "partition", "offset", "kafka_timestamp")));
    }
    long[] latencies = new long[rows.size()];
    int count = 0;
    for (Map<String, Object> row : rows) {
      long produced = ((Instant) row.get("kafka_timestamp")).toEpochMilli();
      if (produced < fromMillis) {
        continue;
      }
      long offset = (Long) row.get("offset");
      String partition = row.get("topic") + "|" + row.get("partition");
      for (long[] range : ranges.getOrDefault(partition, List.of())) {
        if (offset >= range[0] && offset < range[1]) {
          latencies[count++] = range[2] - produced;
          break;
        }
      }
    }
    long[] measured = Arrays.copyOf(latencies, count);
    Arrays.sort(measured);
    return measured;
  }

  static long percentile(long[] sorted, double share) {
    if (sorted.length == 0) {
      return -1;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(share * sorted.length) - 1)];
  }

  /** Cycle seconds: median and max over the cycles that read something. */
  String cycleSummary() throws IOException {
    double[] seconds =
        cycles().stream().mapToDouble(cycle -> cycle.path("seconds").asDouble()).sorted().toArray();
    if (seconds.length == 0) {
      return "no cycles";
    }
    return String.format(
        Locale.ROOT,
        "%d cycles, median %.2f s, max %.2f s",
        seconds.length,
        seconds[seconds.length / 2],
        seconds[seconds.length - 1]);
  }
}
