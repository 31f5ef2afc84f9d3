package io.tributary.pipelines;

import io.tributary.pipelines.options.MedallionOptions;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
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

  /** Runs the command; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (Arrays.asList(args).contains("--help")) {
      PipelineOptionsFactory.printHelp(out, MedallionOptions.class);
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
    try (RunnerSession session = RunnerSession.open(config.options(), checkpointDirGiven)) {
      return config.options().getDrain()
          ? drain(config, session, out, err)
          : stream(config, session, resolved, err);
    } catch (IllegalArgumentException e) {
      err.println("run: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      LOG.error("run failed", e);
      err.println("run: failed: " + rootMessage(e));
      return 1;
    }
  }

  /** What a drain reads: one source per dataset and the number of records they hold in total. */
  record DrainPlan(List<DatasetSource> sources, long records) {}

  /** Plans each dataset's offset ranges from the position its bronze table recorded. */
  static DrainPlan planDrain(RunConfig config, PrintStream err) {
    List<DatasetSource> sources = new ArrayList<>();
    long planned = 0;
    for (int i = 0; i < config.datasets().size(); i++) {
      String dataset = config.datasets().get(i);
      String topic = config.topics().get(i);
      List<PartitionRange> ranges =
          DrainPlanner.plan(
              config.connection(),
              topic,
              config
                  .lakehouse()
                  .positions(
                      config
                          .lakehouse()
                          .table(
                              MedallionPipeline.bronzeTable(dataset),
                              io.tributary.pipelines.bronze.BronzeSchema.SCHEMA),
                      topic));
      long records = ranges.stream().mapToLong(PartitionRange::size).sum();
      planned += records;
      err.printf(
          "run: draining %s from topic %s: %,d records in %d partitions%n",
          dataset, topic, records, ranges.size());
      sources.add(
          new DatasetSource(
              dataset, topic, new ReadPartitionRanges(dataset, config.connection(), ranges)));
    }
    return new DrainPlan(sources, planned);
  }

  /** One unbounded source per dataset; fails early if a topic does not exist. */
  static List<DatasetSource> streamingSources(RunConfig config) {
    List<DatasetSource> sources = new ArrayList<>();
    for (int i = 0; i < config.datasets().size(); i++) {
      String dataset = config.datasets().get(i);
      String topic = config.topics().get(i);
      DrainPlanner.plan(config.connection(), topic, java.util.Map.of());
      sources.add(
          new DatasetSource(
              dataset, topic, new ReadKafkaStream(dataset, config.connection(), topic)));
    }
    return sources;
  }

  private static int drain(
      RunConfig config, RunnerSession session, PrintStream out, PrintStream err) {
    long started = System.nanoTime();
    DrainPlan plan = planDrain(config, err);
    List<DatasetSource> sources = plan.sources();
    long planned = plan.records();
    long plannedAt = System.nanoTime();
    Pipeline pipeline = Pipeline.create(config.options());
    MedallionPipeline.build(pipeline, config.lakehouse(), sources, config.settings());
    session.beforeRun(pipeline, null);
    long built = System.nanoTime();
    PipelineResult result = pipeline.run();
    PipelineResult.State state = result.waitUntilFinish();
    long finished = System.nanoTime();
    double seconds = (finished - started) / 1e9;
    RunSummary summary = RunSummary.of(result, config.datasets());
    if (state != PipelineResult.State.DONE) {
      err.println("run: the drain ended in state " + state);
      return 1;
    }
    if (summary.totalRead() != planned) {
      err.printf("run: read %d records but %d were planned%n", summary.totalRead(), planned);
      return 1;
    }
    out.println(
        summary.toJson(
            "drain",
            seconds,
            java.util.Map.of(
                "plan_s", (plannedAt - started) / 1e9,
                "build_s", (built - plannedAt) / 1e9,
                "execute_s", (finished - built) / 1e9)));
    out.flush();
    return 0;
  }

  private static int stream(
      RunConfig config, RunnerSession session, List<String> args, PrintStream err) {
    List<DatasetSource> sources = streamingSources(config);
    config.options().as(DirectOptions.class).setBlockOnRun(false);
    Pipeline pipeline = Pipeline.create(config.options());
    MedallionPipeline.build(pipeline, config.lakehouse(), sources, config.settings());
    session.beforeRun(pipeline, checkpointDir(config, pipeline, args));
    if (!session.checkpointDir().isEmpty()) {
      err.println("run: checkpoint in " + session.checkpointDir() + " (a restart resumes from it)");
    }
    long started = System.nanoTime();
    PipelineResult result = pipeline.run();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  err.println("run: stopping...");
                  try {
                    result.cancel();
                  } catch (java.io.IOException | RuntimeException e) {
                    LOG.warn("cancel failed", e);
                  }
                  try {
                    stopped.await(30, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "run-stop"));
    err.printf(
        "run: streaming %s into %s (Ctrl-C stops)%n",
        config.datasets(), config.options().getLakehouse());
    try {
      while (true) {
        PipelineResult.State state =
            result.waitUntilFinish(org.joda.time.Duration.standardSeconds(STREAMING_LOG_SECONDS));
        double seconds = (System.nanoTime() - started) / 1e9;
        err.println(
            "run: "
                + RunSummary.of(result, config.datasets())
                    .toJson("streaming", seconds, java.util.Map.of()));
        if (state != null && state.isTerminal()) {
          return state == PipelineResult.State.CANCELLED || state == PipelineResult.State.DONE
              ? 0
              : 1;
        }
      }
    } finally {
      stopped.countDown();
    }
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
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }
}
