package io.tributary.pipelines.runner;

import java.util.List;
import java.util.Map;
import org.apache.beam.runners.spark.SparkContextOptions;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.runners.spark.coders.SparkRunnerKryoRegistrator;
import org.apache.beam.runners.spark.io.MicrobatchSource;
import org.apache.beam.runners.spark.metrics.MetricsAccumulator;
import org.apache.beam.runners.spark.translation.SparkContextFactory;
import org.apache.beam.runners.spark.util.GlobalWatermarkHolder;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Spark side of a run. Beam always gets a provided context, so that Beam never stops one:
 *
 * <ul>
 *   <li>{@code --usesProvidedSparkContext=true} (databricks, and tests sharing one context): the
 *       context already running in this JVM, which is left running;
 *   <li>otherwise (spark-local): a context created here from {@code --sparkMaster} and stopped by
 *       {@link #close}, after a streaming run's graceful stop.
 * </ul>
 *
 * <p>A streaming run checkpoints to the directory {@link #beforeRun} is given unless the user chose
 * one: Spark restores the serialized DStream graph from an existing checkpoint, so a directory per
 * pipeline version resumes the same pipeline and never revives an older one.
 */
final class SparkRunnerSession implements RunnerSession {
  private static final Logger LOG = LoggerFactory.getLogger(SparkRunnerSession.class);

  /**
   * How long a graceful stop waits for the micro-batches already generated. Spark's default, 10
   * batch intervals, interrupts a stop that has a backlog, and a micro-batch interrupted after some
   * of its tables committed is run again on restart: those rows would be committed twice.
   */
  public static final String GRACEFUL_STOP_TIMEOUT = "spark.streaming.gracefulStopTimeout";

  public static final String GRACEFUL_STOP_TIMEOUT_VALUE = "10min";

  private final SparkContextOptions options;
  private final JavaSparkContext context;
  private final boolean ownsContext;
  private final boolean checkpointDirGiven;

  private SparkRunnerSession(
      SparkContextOptions options,
      JavaSparkContext context,
      boolean ownsContext,
      boolean checkpointDirGiven) {
    this.options = options;
    this.context = context;
    this.ownsContext = ownsContext;
    this.checkpointDirGiven = checkpointDirGiven;
  }

  /**
   * @param hadoopSettings Hadoop settings the context's own file-system calls need (the streaming
   *     checkpoint on the lakehouse's store)
   */
  static SparkRunnerSession open(
      PipelineOptions pipelineOptions,
      boolean checkpointDirGiven,
      Map<String, String> hadoopSettings) {
    SparkContextOptions options = pipelineOptions.as(SparkContextOptions.class);
    // Beam keeps its metrics accumulator, watermarks and Kafka readers in statics keyed by
    // numbers that restart with every streaming context: a run must not see the previous run's.
    // (A cached reader of another topic would be reused by a new pipeline's first source; an
    // accumulator of a stopped context breaks the next one.) In local mode this JVM is the
    // executor too; a cluster's executors drop idle readers after 1.5 micro-batches.
    MetricsAccumulator.clear();
    GlobalWatermarkHolder.clear();
    try {
      MicrobatchSource.clearCache();
    } catch (NullPointerException e) {
      // Beam 2.62's clearCache() dereferences the cache before the first read creates it.
    }
    if (options.getUsesProvidedSparkContext()) {
      JavaSparkContext running =
          options.getProvidedSparkContext() != null
              ? options.getProvidedSparkContext()
              : JavaSparkContext.fromSparkContext(runningContext());
      // The checkpoint is written with the context's Hadoop configuration: add the lakehouse's
      // store to it (a cluster may already know it; then these are the same settings).
      hadoopSettings.forEach(running.hadoopConfiguration()::set);
      provide(options, running);
      return new SparkRunnerSession(options, running, false, checkpointDirGiven);
    }
    // new SparkConf() also reads spark.* system properties (e.g. -Dspark.ui.enabled=false).
    SparkConf conf =
        new SparkConf()
            .setMaster(options.getSparkMaster())
            .setAppName(options.getAppName())
            // What Beam's own context factory registers: Kryo serializers for the SDK's types.
            .set("spark.kryo.registrator", SparkRunnerKryoRegistrator.class.getName())
            // Ctrl-C: finish the micro-batches already read, so that the checkpoint and the tables
            // agree and a restart neither loses nor repeats records.
            .set("spark.streaming.stopGracefullyOnShutdown", "true")
            .set(GRACEFUL_STOP_TIMEOUT, GRACEFUL_STOP_TIMEOUT_VALUE);
    JavaSparkContext created = new JavaSparkContext(conf);
    // Into the context's Hadoop configuration, which its checkpoint writes use, never into the
    // SparkConf: a streaming checkpoint stores the SparkConf's entries, and the UI and event log
    // show them, and these hold the storage's client secret.
    hadoopSettings.forEach(created.hadoopConfiguration()::set);
    provide(options, created);
    return new SparkRunnerSession(options, created, true, checkpointDirGiven);
  }

  @Override
  public void beforeRun(Pipeline pipeline, String streamingCheckpointDir) {
    if (streamingCheckpointDir != null && !checkpointDirGiven) {
      options.setCheckpointDir(streamingCheckpointDir);
    }
    // Every cycle of a run is a pipeline of its own on this context; Beam keeps one metrics
    // accumulator per JVM and would add each cycle's counters to the previous ones'.
    MetricsAccumulator.clear();
  }

  @Override
  public String checkpointDir() {
    return options.getCheckpointDir();
  }

  @Override
  public void close() {
    if (ownsContext) {
      SparkContextFactory.clearProvidedSparkContext();
      context.stop();
    }
  }

  private static void provide(SparkContextOptions options, JavaSparkContext context) {
    options.setUsesProvidedSparkContext(true);
    options.setProvidedSparkContext(context);
    // The options' reference does not survive serialization; the factory's does.
    SparkContextFactory.setProvidedSparkContext(context);
    LOG.info("Spark context {} (master {})", context.sc().applicationId(), context.master());
  }

  /** The SparkContext this JVM already runs (Databricks creates it before calling main). */
  private static SparkContext runningContext() {
    try {
      return SparkContext.getOrCreate();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "--usesProvidedSparkContext=true needs a SparkContext already running in this JVM, as in a"
              + " Databricks JAR task; none is ("
              + e.getMessage()
              + "). Locally use --profile=spark-local.",
          e);
    }
  }

  /**
   * Checks the Spark flags among {@code args} before anything starts, with Beam's defaults for the
   * others: what Beam itself checks only when it translates a streaming graph, with the flags
   * named.
   */
  static void checkFlags(List<String> args) {
    String[] sparkArgs =
        args.stream()
            .filter(
                arg ->
                    arg.startsWith("--")
                        && RunnerProfile.SPARK_FLAGS.contains(RunnerProfile.name(arg)))
            .toArray(String[]::new);
    SparkPipelineOptions options =
        PipelineOptionsFactory.fromArgs(sparkArgs).as(SparkPipelineOptions.class);
    if (options.getMinReadTimeMillis() >= options.getBatchIntervalMillis()) {
      throw new IllegalArgumentException(
          "--minReadTimeMillis="
              + options.getMinReadTimeMillis()
              + " must be below --batchIntervalMillis="
              + options.getBatchIntervalMillis()
              + ": each micro-batch reads for at least that long");
    }
    double share = options.getReadTimePercentage();
    if (!(share > 0 && share < 1)) {
      throw new IllegalArgumentException(
          "--readTimePercentage=" + share + " must be between 0 and 1 (exclusive)");
    }
  }
}
