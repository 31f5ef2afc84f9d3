package io.tributary.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.generators.Flags;
import io.tributary.generators.Generate;
import io.tributary.generators.UsageException;
import io.tributary.kafka.local.LocalKafka;
import io.tributary.pipelines.Run;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code ./tributary bench}: generates events into a fresh topic, drains them through every layer
 * and reports events per second and where the time went. Starts its own broker (in its own JVM)
 * unless given one. The generator and each drain run in a JVM of their own, with this JVM's flags:
 * every drain starts cold, on its runner's classpath, as {@code ./tributary run --drain} would.
 */
public final class Bench {
  static final Set<String> FLAGS =
      Set.of(
          "dataset",
          "events",
          "format",
          "bootstrapServers",
          "badRatio",
          "duplicateRatio",
          "seed",
          "workDir",
          "runners",
          "mode",
          "rate",
          "duration",
          "trigger",
          "maxEventsPerCycle",
          "dedupeHorizonMinutes");

  /**
   * The system property naming a file that lists Spark's classpath, which the launcher keeps off
   * this JVM's classpath and adds to Spark drains only.
   */
  static final String SPARK_CLASSPATH_FILE = "tributary.sparkClasspathFile";

  /** Both runners by default, one after the other on the same topic. */
  static final List<String> DEFAULT_RUNNERS = List.of("DirectRunner", "SparkRunner");

  private Bench() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Flags flags;
    try {
      flags = Flags.parse(args, FLAGS);
      if (flags.has("help")) {
        out.println(
            "Usage: ./tributary bench [--dataset=weather] [--events=1000000] [--format=delta|parquet]\n"
                + "         [--runners=DirectRunner,SparkRunner] [--badRatio=0.01] [--duplicateRatio=0.01]"
                + " [--seed=1]\n"
                + "         [--bootstrapServers=H:P] [--workDir=DIR]\n"
                + "         [--mode=drain|backlog|streaming] [--rate=5000] [--duration=PT5M]\n"
                + "         [--trigger=PT1S] [--maxEventsPerCycle=N] [--dedupeHorizonMinutes=60]"
                + " (handed on to the streaming run)\n"
                + "drain (default): drains the same topic on each runner (SparkRunner: the spark-local"
                + " profile, local[2]) into a lakehouse of its own.\n"
                + "backlog: a streaming run started over the pre-filled topic; seconds until all of it"
                + " is committed.\n"
                + "streaming: paced generators (--rate events/s in all, for --duration) and a"
                + " streaming run; events/s sustained, lag, latency Kafka -> silver commit"
                + " (p50/p95/p99), cycle time, files per table, peak RSS, heap after GC per minute.\n"
                + "--dataset=all runs every dataset (streaming mode).");
        return 0;
      }
      String mode = flags.string("mode").orElse("drain");
      return switch (mode) {
        case "drain" -> bench(flags, out, err);
        case "backlog" -> backlog(flags, out, err);
        case "streaming" -> streaming(flags, out, err);
        default ->
            throw new UsageException(
                "--mode: unknown mode '" + mode + "', expected drain, backlog or streaming");
      };
    } catch (UsageException e) {
      err.println("bench: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("bench: interrupted");
      return 1;
    }
  }

  /**
   * Fills {@code topic} with {@code events} of {@code dataset} as fast as a generator in a JVM of
   * its own can; returns its summary, or null if it failed.
   */
  private static JsonNode generateBacklog(
      Flags flags, String dataset, long events, String bootstrap, String topic, PrintStream err)
      throws IOException, UsageException {
    err.printf(Locale.ROOT, "bench: generating %,d %s events into %s%n", events, dataset, topic);
    return jsonFromChildJvm(
        Generate.class,
        System.getProperty("java.class.path"),
        err,
        "--dataset=" + dataset,
        "--bootstrapServers=" + bootstrap,
        "--topic=" + topic,
        "--count=" + events,
        "--seed=" + flags.anyLong("seed").orElse(1L),
        "--badRatio=" + flags.ratio("badRatio"),
        "--duplicateRatio=" + flags.ratio("duplicateRatio"));
  }

  /** A streaming run over a pre-filled topic: how long until all of it is committed. */
  private static int backlog(Flags flags, PrintStream out, PrintStream err)
      throws IOException, InterruptedException, UsageException {
    String dataset = flags.string("dataset").orElse("weather");
    long events = flags.positiveLong("events").orElse(1_000_000L);
    Path work =
        flags.string("workDir").map(Path::of).orElse(Files.createTempDirectory("tributary-bench-"));
    String topic = "bench-" + dataset + "-" + System.currentTimeMillis();
    try (LocalKafka kafka = LocalKafka.start(work.resolve("kafka"))) {
      JsonNode generated =
          generateBacklog(flags, dataset, events, kafka.bootstrapServers(), topic, err);
      if (generated == null) {
        return 1;
      }
      StringBuilder report = new StringBuilder(header(dataset, "delta", generated));
      for (String runner : runners(flags)) {
        Path lakehouse = work.resolve("lakehouse-backlog-" + runner);
        StreamingBench run =
            StreamingBench.start(
                classpath(runner),
                work,
                lakehouse,
                err,
                List.of(
                    "--dataset=" + dataset,
                    "--topic=" + topic,
                    "--bootstrapServers=" + kafka.bootstrapServers(),
                    "--runner=" + runner));
        boolean done = run.awaitCommitted(events, 15 * 60_000L);
        long peak = run.peakRssKb();
        List<JsonNode> cycles = run.cycles();
        run.stop();
        long last =
            cycles.isEmpty() ? 0 : cycles.get(cycles.size() - 1).path("committed_at_ms").asLong();
        double seconds = (last - run.startedMillis()) / 1000.0;
        report.append(
            String.format(
                Locale.ROOT,
                "backlog on %s: %s %,d events in every layer %.1f s after the JVM started (%,.0f"
                    + " events/s), %s, peak RSS %,d MiB%n",
                runner,
                done ? "all" : "NOT all of the",
                events,
                seconds,
                events / seconds,
                run.cycleSummary(),
                peak / 1024));
        appendFiles(report, lakehouse);
      }
      out.print(report);
      return 0;
    }
  }

  /** Paced generators and a streaming run: throughput, lag and latency. */
  private static int streaming(Flags flags, PrintStream out, PrintStream err)
      throws IOException, InterruptedException, UsageException {
    String datasetFlag = flags.string("dataset").orElse("weather");
    List<String> datasets =
        "all".equals(datasetFlag) ? Demo.datasets() : List.of(datasetFlag.split(","));
    long rate = flags.positiveLong("rate").orElse(5_000L);
    java.time.Duration duration = java.time.Duration.parse(flags.string("duration").orElse("PT5M"));
    Path work =
        flags.string("workDir").map(Path::of).orElse(Files.createTempDirectory("tributary-bench-"));
    StringBuilder report =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "streaming %s at %,d events/s in all for %s%n",
                datasets,
                rate,
                duration));
    try (LocalKafka kafka = LocalKafka.start(work.resolve("kafka"))) {
      for (String runner : runners(flags)) {
        List<String> topics = new ArrayList<>();
        for (String dataset : datasets) {
          String topic = "bench-" + dataset + "-" + runner + "-" + System.currentTimeMillis();
          kafka.createTopic(topic, 4);
          topics.add(topic);
        }
        Path lakehouse = work.resolve("lakehouse-streaming-" + runner);
        StreamingBench run =
            StreamingBench.start(
                classpath(runner),
                work,
                lakehouse,
                err,
                runArgs(
                    flags,
                    "--dataset=" + String.join(",", datasets),
                    "--topic=" + String.join(",", topics),
                    "--bootstrapServers=" + kafka.bootstrapServers(),
                    "--runner=" + runner));
        // The run is up once its first (empty) cycles ran: give the JVM its start.
        Thread.sleep(runner.equals("SparkRunner") ? 15_000 : 8_000);
        long generateFrom = System.currentTimeMillis();
        double generateFromUptime = run.uptimeSeconds();
        List<Thread> generators = new ArrayList<>();
        long[] sent = new long[datasets.size()];
        for (int i = 0; i < datasets.size(); i++) {
          int index = i;
          String[] args = {
            "--dataset=" + datasets.get(i),
            "--bootstrapServers=" + kafka.bootstrapServers(),
            "--topic=" + topics.get(i),
            "--rate=" + Math.max(1, rate / datasets.size()),
            "--duration=" + duration,
            "--startTime=now",
            "--badRatio=" + flags.ratio("badRatio"),
            "--duplicateRatio=" + flags.ratio("duplicateRatio")
          };
          Thread thread =
              new Thread(
                  () -> {
                    try {
                      JsonNode summary =
                          jsonFromChildJvm(
                              Generate.class, System.getProperty("java.class.path"), err, args);
                      sent[index] = summary == null ? 0 : summary.get("sent").asLong();
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  },
                  "bench-generate-" + datasets.get(i));
          thread.start();
          generators.add(thread);
        }
        for (Thread generator : generators) {
          generator.join();
        }
        long generatedAt = System.currentTimeMillis();
        long[] heap = run.heapAfterGcPerMinute(generateFromUptime, run.uptimeSeconds());
        long total = Arrays.stream(sent).sum();
        long committedAtEnd = run.committed();
        boolean caughtUp = run.awaitCommitted(total, 120_000);
        long peak = run.peakRssKb();
        int status = run.stop();
        long[] latencies = run.latenciesMillis(generateFrom);
        double seconds = (generatedAt - generateFrom) / 1000.0;
        report.append(
            String.format(
                Locale.ROOT,
                "%s: sent %,d in %.0f s (%,.0f events/s); committed by then %,d (lag %,d), %s;"
                    + " latency Kafka -> silver commit p50 %.2f s, p95 %.2f s, p99 %.2f s over %,d"
                    + " records; %s; peak RSS %,d MiB; heap after GC, lowest each minute: %s MiB;"
                    + " exit %d%n",
                runner,
                total,
                seconds,
                total / seconds,
                committedAtEnd,
                Math.max(0, total - committedAtEnd),
                caughtUp ? "all committed after" : "NOT all committed",
                StreamingBench.percentile(latencies, 0.50) / 1000.0,
                StreamingBench.percentile(latencies, 0.95) / 1000.0,
                StreamingBench.percentile(latencies, 0.99) / 1000.0,
                latencies.length,
                run.cycleSummary(),
                peak / 1024,
                Arrays.stream(heap)
                    .mapToObj(mib -> String.format(Locale.ROOT, "%,d", mib))
                    .collect(java.util.stream.Collectors.joining(", ")),
                status));
        com.fasterxml.jackson.databind.node.ObjectNode json =
            new ObjectMapper()
                .createObjectNode()
                .put("mode", "streaming")
                .put("runner", runner)
                .put("datasets", String.join(",", datasets))
                .put("sent", total)
                .put("events_per_s", Math.round(total / seconds))
                .put("lag_at_end", Math.max(0, total - committedAtEnd))
                .put("caught_up", caughtUp)
                .put("latency_p50_s", StreamingBench.percentile(latencies, 0.50) / 1000.0)
                .put("latency_p95_s", StreamingBench.percentile(latencies, 0.95) / 1000.0)
                .put("latency_p99_s", StreamingBench.percentile(latencies, 0.99) / 1000.0)
                .put("peak_rss_mib", peak / 1024)
                .put("exit", status);
        com.fasterxml.jackson.databind.node.ArrayNode perMinute =
            json.putArray("heap_after_gc_lowest_per_minute_mib");
        for (long mib : heap) {
          perMinute.add(mib);
        }
        report.append(json).append('\n');
        appendFiles(report, lakehouse);
      }
      out.print(report);
      return 0;
    }
  }

  /** Flags of the bench that are handed on to the streaming run as they are. */
  static final List<String> RUN_FLAGS =
      List.of("trigger", "maxEventsPerCycle", "dedupeHorizonMinutes");

  private static List<String> runArgs(Flags flags, String... args) {
    List<String> runArgs = new ArrayList<>(List.of(args));
    for (String name : RUN_FLAGS) {
      flags.string(name).ifPresent(value -> runArgs.add("--" + name + "=" + value));
    }
    return runArgs;
  }

  private static void appendFiles(StringBuilder report, Path lakehouse) throws IOException {
    for (String table : tables(lakehouse)) {
      long[] files = files(lakehouse.resolve(table));
      // Live: in the table's latest version; on disk also what compaction and latest-state merges
      // replaced, until a VACUUM.
      int live =
          io.tributary.pipelines.lakehouse.TableSnapshot.latest(
                  lakehouse.resolve(table).toString(),
                  io.tributary.pipelines.lakehouse.TableFormat.DELTA)
              .map(snapshot -> snapshot.counts().files())
              .orElse(-1);
      report.append(
          String.format(
              Locale.ROOT,
              "  %-40s %,6d live data files (%,6d on disk), %,10.1f MiB%n",
              table,
              live,
              files[0],
              files[1] / 1048576.0));
    }
  }

  private static int bench(Flags flags, PrintStream out, PrintStream err) throws IOException {
    String dataset = flags.string("dataset").orElse("weather");
    long events = flags.positiveLong("events").orElse(1_000_000L);
    String format = flags.string("format").orElse("delta");
    Path work =
        flags.string("workDir").map(Path::of).orElse(Files.createTempDirectory("tributary-bench-"));
    String topic = "bench-" + dataset + "-" + System.currentTimeMillis();
    LocalKafka kafka = null;
    try {
      String bootstrap;
      if (flags.has("bootstrapServers")) {
        bootstrap = flags.hostPorts("bootstrapServers", "127.0.0.1:9092");
      } else {
        err.println("bench: starting a local broker in " + work.resolve("kafka"));
        kafka = LocalKafka.start(work.resolve("kafka"));
        bootstrap = kafka.bootstrapServers();
      }
      JsonNode generated = generateBacklog(flags, dataset, events, bootstrap, topic, err);
      if (generated == null) {
        return 1;
      }
      List<String> runners = runners(flags);
      List<String> reports = new ArrayList<>();
      List<String> rates = new ArrayList<>();
      for (String runner : runners) {
        Path lakehouse = work.resolve("lakehouse-" + runner);
        err.printf("bench: draining %s into %s (%s, %s)%n", topic, lakehouse, format, runner);
        JsonNode drained =
            jsonFromChildJvm(
                Run.class,
                classpath(runner),
                err,
                "--dataset=" + dataset,
                "--topic=" + topic,
                "--bootstrapServers=" + bootstrap,
                "--lakehouse=" + lakehouse,
                "--format=" + format,
                "--drain",
                "--runner=" + runner);
        if (drained == null) {
          return 1;
        }
        reports.add(report(runner, format, drained, lakehouse));
        rates.add(
            String.format(
                Locale.ROOT,
                "  %-13s %8.1f s %,10.0f events/s%n",
                runner,
                drained.get("seconds").asDouble(),
                drained.get("read").asLong() / drained.get("seconds").asDouble()));
      }
      StringBuilder out0 = new StringBuilder(header(dataset, format, generated));
      reports.forEach(out0::append);
      out0.append("drain, side by side (same topic, same run):\n");
      rates.forEach(out0::append);
      out.print(out0);
      out.flush();
      return 0;
    } finally {
      if (kafka != null) {
        kafka.close();
      }
    }
  }

  /**
   * The classpath of a drain on {@code runner}: this JVM's, plus Spark's for the Spark runner when
   * the launcher keeps it apart ({@value #SPARK_CLASSPATH_FILE}, a file that lists it), so that a
   * DirectRunner drain does not look up its classes among Spark's jars.
   */
  private static String classpath(String runner) throws IOException {
    String own = System.getProperty("java.class.path");
    String sparkFile = System.getProperty(SPARK_CLASSPATH_FILE);
    if (!"SparkRunner".equals(runner) || sparkFile == null) {
      return own;
    }
    Path list = Path.of(sparkFile);
    if (!Files.isRegularFile(list)) {
      throw new IllegalStateException(
          "Spark's classpath list "
              + list
              + " is missing: build the project again (mvn -DskipTests package)");
    }
    return own + File.pathSeparator + Files.readString(list).strip();
  }

  /**
   * Runs {@code main} in a child JVM (this JVM's java and flags, the given classpath) and returns
   * its JSON summary line, or null if it failed; its error output goes to {@code err} as it comes.
   */
  private static JsonNode jsonFromChildJvm(
      Class<?> main, String classpath, PrintStream err, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-cp");
    command.add(classpath);
    command.add(main.getName());
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
    process.getOutputStream().close();
    Thread relay =
        new Thread(
            () -> {
              try {
                process.getErrorStream().transferTo(err);
              } catch (IOException e) {
                // the child is gone; its exit status tells what happened
              }
            },
            "bench-child-stderr");
    relay.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int status;
    try {
      status = process.waitFor();
      relay.join();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + main.getSimpleName(), e);
    }
    if (status != 0) {
      err.println("bench: " + main.getSimpleName() + " failed with status " + status);
      return null;
    }
    return summaryLine(output);
  }

  /** The JSON summary a command prints as its last line of output. */
  private static JsonNode summaryLine(String output) throws IOException {
    String[] lines = output.strip().split("\n");
    return new ObjectMapper().readTree(lines[lines.length - 1]);
  }

  private static List<String> runners(Flags flags) throws UsageException {
    List<String> runners =
        flags.string("runners").map(value -> List.of(value.split(","))).orElse(DEFAULT_RUNNERS);
    for (String runner : runners) {
      if (!DEFAULT_RUNNERS.contains(runner)) {
        throw new UsageException(
            "--runners: unknown runner '" + runner + "', expected DirectRunner and/or SparkRunner");
      }
    }
    return runners;
  }

  static String header(String dataset, String format, JsonNode generated) {
    long sent = generated.get("sent").asLong();
    return String.format(Locale.ROOT, "dataset %s, %,d events, format %s%n", dataset, sent, format)
        + String.format(
            Locale.ROOT,
            "generate: %.1f s, %,.0f events/s%n",
            generated.get("seconds").asDouble(),
            sent / generated.get("seconds").asDouble());
  }

  static String report(String runner, String format, JsonNode drained, Path lakehouse)
      throws IOException {
    double drainSeconds = drained.get("seconds").asDouble();
    StringBuilder report = new StringBuilder();
    report.append(
        String.format(
            Locale.ROOT,
            "drain on %s: %.1f s, %,.0f events/s (Kafka -> bronze + silver + quarantine + gold, %s)%n",
            runner,
            drainSeconds,
            drained.get("read").asLong() / drainSeconds,
            format));
    JsonNode timings = drained.get("timings");
    report.append(
        String.format(
            Locale.ROOT,
            "  where the time went: start the runner %.1f s, plan offsets %.1f s, build pipeline +"
                + " create tables %.1f s, execute %.1f s%n",
            timings.path("runner_start_s").asDouble(),
            timings.path("plan_s").asDouble(),
            timings.path("build_s").asDouble(),
            timings.path("execute_s").asDouble()));
    appendFiles(report, lakehouse);
    JsonNode counters = drained.get("datasets");
    counters
        .fieldNames()
        .forEachRemaining(
            dataset -> report.append("  counters: ").append(counters.get(dataset)).append('\n'));
    return report.toString();
  }

  private static List<String> tables(Path lakehouse) throws IOException {
    List<String> tables = new ArrayList<>();
    for (String layer : List.of("bronze", "silver", "quarantine", "gold")) {
      Path dir = lakehouse.resolve(layer);
      if (Files.isDirectory(dir)) {
        try (Stream<Path> children = Files.list(dir)) {
          children.sorted().forEach(table -> tables.add(layer + "/" + table.getFileName()));
        }
      }
    }
    return tables;
  }

  private static long[] files(Path table) throws IOException {
    try (Stream<Path> walk = Files.walk(table)) {
      long[] totals = new long[2];
      walk.filter(
              path ->
                  path.toString().endsWith(".parquet") && !path.toString().contains("_delta_log"))
          .forEach(
              path -> {
                totals[0]++;
                totals[1] += path.toFile().length();
              });
      return totals;
    }
  }
}
