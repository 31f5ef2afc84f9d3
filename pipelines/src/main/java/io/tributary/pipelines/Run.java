package io.tributary.pipelines;

import io.tributary.pipelines.offsets.OffsetRanges;
import io.tributary.pipelines.runner.PipelineFingerprint;
import io.tributary.pipelines.runner.RunnerProfile;
import io.tributary.pipelines.runner.RunnerSession;
import io.tributary.pipelines.source.DrainPlanner;
import io.tributary.pipelines.source.PartitionRange;
import io.tributary.pipelines.source.ReadKafkaStream;
import io.tributary.pipelines.source.ReadPartitionRanges;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./tributary run}: builds the medallion pipelines for the chosen datasets from Beam options
 * and runs them, either streaming until stopped or as a drain that exits when everything up to the
 * start-time end offsets is committed. Exit status: 0 done, 1 the run failed, 2 bad options or
 * configuration.
 */
public final class Run {
  private static final Logger LOG = LoggerFactory.getLogger(Run.class);

  /** Lakehouse directory holding the streaming checkpoints, one subdirectory per version. */
  public static final String CHECKPOINTS_DIR = "_checkpoints";

  /** How often streaming logs its counters. */
  static final long STREAMING_LOG_SECONDS = 30;

  private Run() {}

  public static void main(String[] args) {
    // Kafka and DirectRunner threads are not daemons: exit explicitly once the run is over.
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns the exit status. A streaming run stops when the JVM shuts down. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, null);
  }

  /**
   * Runs the command; returns the exit status.
   *
   * @param stop a streaming run stops gracefully (what was read is processed and committed) once
   *     this is counted down; null to stop when the JVM shuts down (Ctrl-C)
   */
  public static int run(String[] args, PrintStream out, PrintStream err, CountDownLatch stop) {
    if (Arrays.asList(args).contains("--help")) {
      RunConfig.printHelp(out);
      return 0;
    }
    RunConfig config;
    List<String> resolved;
    try {
      resolved = RunnerProfile.resolve(args);
      config = RunConfig.from(resolved.toArray(String[]::new));
    } catch (IllegalArgumentException e) {
      err.println("run: " + e.getMessage());
      err.println("Run ./tributary run --help for the options.");
      return 2;
    }
    boolean checkpointDirGiven = RunnerProfile.value(resolved, "checkpointDir").isPresent();
    long opening = System.nanoTime();
    try (RunnerSession session =
        RunnerSession.open(
            config.options(),
            checkpointDirGiven,
            config.lakehouse().storage().resolvedSettings(System::getenv))) {
      // Starting the runner (a SparkContext) is part of a drain's time.
      double runnerStartSeconds = (System.nanoTime() - opening) / 1e9;
      if (config.options().getUnboundedRead()) {
        return stream(config, session, resolved, err, stop);
      }
      try (Cycles cycles = new Cycles(config, session, err)) {
        return config.options().getDrain()
            ? cycles.drain(runnerStartSeconds, out)
            : cycles.stream(stop != null ? stop : stopOnSignal(err), out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("run: interrupted");
      return 1;
    } catch (IllegalArgumentException e) {
      err.println("run: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      LOG.error("run failed", e);
      err.println("run: failed: " + rootMessage(e));
      return 1;
    }
  }

  /**
   * What one drain of everything there is reads: one source per dataset and the number of records
   * they hold in total (the cycles of {@link Cycles} plan their own, a piece at a time).
   */
  record DrainPlan(List<DatasetSource> sources, long records) {}

  /** Plans each dataset's offset ranges from the position its bronze table recorded. */
  static DrainPlan planDrain(RunConfig config, PrintStream err) {
    List<DatasetSource> sources = new ArrayList<>();
    long planned = 0;
    for (int i = 0; i < config.datasets().size(); i++) {
      String dataset = config.datasets().get(i);
      String topic = config.topics().get(i);
      List<PartitionRange> ranges =
          DrainPlanner.plan(config.connection(), topic, accountedByTable(config, dataset, topic));
      long records = ranges.stream().mapToLong(PartitionRange::size).sum();
      planned += records;
      err.printf(
          "run: draining %s from topic %s: %,d records in %d partitions%n",
          dataset, topic, records, ranges.size());
      sources.add(
          DatasetSource.ofRanges(
              dataset, topic, new ReadPartitionRanges(dataset, config.connection(), ranges)));
    }
    return new DrainPlan(sources, planned);
  }

  /**
   * One unbounded source per dataset, starting where the least advanced of its tables stands (set
   * as the consumer group's position); fails early if a topic does not exist.
   */
  static List<DatasetSource> streamingSources(RunConfig config) {
    List<DatasetSource> sources = new ArrayList<>();
    for (int i = 0; i < config.datasets().size(); i++) {
      String dataset = config.datasets().get(i);
      String topic = config.topics().get(i);
      Map<Integer, Long> start =
          DrainPlanner.resumeStream(
              config.connection(), dataset, topic, accountedByTable(config, dataset, topic));
      if (!start.isEmpty()) {
        LOG.info("{}: resuming topic {} at offsets {}", dataset, topic, start);
      }
      sources.add(
          DatasetSource.ofStream(
              dataset, topic, new ReadKafkaStream(dataset, config.connection(), topic)));
    }
    return sources;
  }

  /** The offsets each table fed by the dataset's topic has accounted for. */
  private static List<OffsetRanges> accountedByTable(
      RunConfig config, String dataset, String topic) {
    return List.copyOf(
        DatasetTables.of(config.lakehouse(), dataset)
            .accounted(config.lakehouse(), topic)
            .values());
  }

  private static int stream(
      RunConfig config,
      RunnerSession session,
      List<String> args,
      PrintStream err,
      CountDownLatch stopSignal) {
    try (io.tributary.pipelines.source.CyclePlanner offsets =
        new io.tributary.pipelines.source.CyclePlanner(config.connection())) {
      for (int i = 0; i < config.datasets().size(); i++) {
        String topic = config.topics().get(i);
        DatasetTables tables = DatasetTables.of(config.lakehouse(), config.datasets().get(i));
        tables.createAll(config.lakehouse(), config.settings().gold(), config.options());
        TopicIncarnations.check(config, tables, topic, offsets.endOffsets(topic), err);
      }
    }
    List<DatasetSource> sources = streamingSources(config);
    config.options().as(DirectOptions.class).setBlockOnRun(false);
    List<MedallionPipeline.Prepared> prepared =
        MedallionPipeline.prepare(config.lakehouse(), sources, config.settings(), config.options());
    Pipeline pipeline = Pipeline.create(config.options());
    MedallionPipeline.build(pipeline, config.lakehouse(), prepared, config.settings());
    session.beforeRun(pipeline, checkpointDir(config, pipeline, args));
    if (!session.checkpointDir().isEmpty()) {
      err.println("run: checkpoint in " + session.checkpointDir() + " (a restart resumes from it)");
    }
    long started = System.nanoTime();
    PipelineResult result = pipeline.run();
    CountDownLatch stop = stopSignal != null ? stopSignal : stopOnSignal(err);
    err.printf(
        "run: streaming %s into %s (Ctrl-C stops)%n",
        config.datasets(), config.options().getLakehouse());
    long lastLog = System.nanoTime();
    boolean cancelled = false;
    try {
      while (true) {
        PipelineResult.State state =
            result.waitUntilFinish(org.joda.time.Duration.standardSeconds(1));
        boolean finished = state != null && state.isTerminal();
        if (finished || System.nanoTime() - lastLog >= STREAMING_LOG_SECONDS * 1_000_000_000L) {
          double seconds = (System.nanoTime() - started) / 1e9;
          err.println(
              "run: "
                  + RunSummary.of(result, config.datasets())
                      .toJson("streaming", seconds, java.util.Map.of()));
          lastLog = System.nanoTime();
        }
        if (finished) {
          return state == PipelineResult.State.CANCELLED || state == PipelineResult.State.DONE
              ? 0
              : 1;
        }
        if (stop.getCount() == 0 && !cancelled) {
          err.println("run: stopping...");
          cancelled = true;
          // Spark stops gracefully: the micro-batches already read are processed and checkpointed.
          try {
            result.cancel();
          } catch (RuntimeException e) {
            if (!(rootCause(e) instanceof InterruptedException)) {
              throw e;
            }
            err.println(
                "run: the stop timed out and interrupted micro-batches in flight; a restart runs"
                    + " them again from the checkpoint");
          }
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot stop the pipeline", e);
    }
  }

  /**
   * Counted down on Ctrl-C (SIGINT) or SIGTERM, before any shutdown hook runs: the run then stops
   * gracefully while Spark and Kafka are still up (a JVM shutdown would stop the SparkContext under
   * a graceful stop). A second signal exits at once.
   */
  @SuppressWarnings("removal")
  private static CountDownLatch stopOnSignal(PrintStream err) {
    CountDownLatch stop = new CountDownLatch(1);
    long[] firstSignal = {0};
    sun.misc.SignalHandler handler =
        signal -> {
          long now = System.nanoTime();
          // One Ctrl-C can arrive twice (to the process and to its group): a second signal counts
          // only after a moment.
          if (stop.getCount() == 0 && now - firstSignal[0] > 2_000_000_000L) {
            err.println("run: stopped at once, without finishing the micro-batches in flight");
            Runtime.getRuntime().halt(130);
          }
          if (stop.getCount() > 0) {
            firstSignal[0] = now;
            stop.countDown();
          }
        };
    sun.misc.Signal.handle(new sun.misc.Signal("INT"), handler);
    sun.misc.Signal.handle(new sun.misc.Signal("TERM"), handler);
    return stop;
  }

  /**
   * One streaming checkpoint directory per pipeline version, inside the lakehouse: a restart of the
   * same version resumes, another version starts afresh (see {@link PipelineFingerprint}).
   */
  static String checkpointDir(RunConfig config, Pipeline pipeline, List<String> args) {
    return config.lakehouse().root()
        + "/"
        + CHECKPOINTS_DIR
        + "/"
        + PipelineFingerprint.of(pipeline, args);
  }

  static String rootMessage(Throwable e) {
    Throwable root = rootCause(e);
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }

  private static Throwable rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }
}
