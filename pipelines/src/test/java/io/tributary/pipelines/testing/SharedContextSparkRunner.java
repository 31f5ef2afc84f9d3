package io.tributary.pipelines.testing;

import org.apache.beam.runners.spark.SparkContextOptions;
import org.apache.beam.runners.spark.TestSparkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Beam's TestSparkRunner on the {@link SharedSparkContext}: what {@code TestPipeline} tests run on
 * in the Spark executions ({@code --runner=io.tributary.pipelines.testing.SharedContextSparkRunner}
 * in {@code beamTestPipelineOptions}).
 */
public final class SharedContextSparkRunner extends PipelineRunner<PipelineResult> {
  private final PipelineOptions options;

  private SharedContextSparkRunner(PipelineOptions options) {
    this.options = options;
  }

  public static SharedContextSparkRunner fromOptions(PipelineOptions options) {
    return new SharedContextSparkRunner(options);
  }

  @Override
  public PipelineResult run(Pipeline pipeline) {
    SharedSparkContext.provide();
    options.as(SparkContextOptions.class).setUsesProvidedSparkContext(true);
    return TestSparkRunner.fromOptions(options).run(pipeline);
  }
}
