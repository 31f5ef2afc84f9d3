package io.tributary.pipelines.runner;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * What a runner needs around one run besides the pipeline: on Spark, the SparkContext (created and
 * stopped here in spark-local, borrowed from the cluster on Databricks) and the streaming
 * checkpoint directory. The DirectRunner needs nothing.
 *
 * <p>Only Spark runs load the Spark classes: the DirectRunner's classpath does not have them.
 */
public interface RunnerSession extends AutoCloseable {

  /**
   * Prepares the runner chosen in {@code options}.
   *
   * @param checkpointDirGiven true when the user chose the checkpoint directory ({@code
   *     --checkpointDir}); otherwise streaming runs get one per pipeline version
   * @throws IllegalArgumentException for Spark settings that cannot work
   */
  static RunnerSession open(PipelineOptions options, boolean checkpointDirGiven) {
    if (RunnerProfile.isSparkRunner(options.getRunner().getName())) {
      return SparkRunnerSession.open(options, checkpointDirGiven);
    }
    return new RunnerSession() {};
  }

  /**
   * Called with the built pipeline just before it runs.
   *
   * @param streamingCheckpointDir where a streaming run keeps its checkpoint unless the user chose
   *     one; null for a bounded run
   */
  default void beforeRun(Pipeline pipeline, String streamingCheckpointDir) {}

  /** Where the streaming checkpoint is, for the log; empty if the runner has none. */
  default String checkpointDir() {
    return "";
  }

  @Override
  default void close() {}
}
