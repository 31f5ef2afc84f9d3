package io.tributary.pipelines.runner;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Which runner profile a run uses (see runner-profiles/README.md). */
public interface RunnerOptions extends PipelineOptions {

  @Description(
      "Runner profile: direct (the default), spark-local (SparkRunner in local[N] mode; also chosen by"
          + " --runner=SparkRunner alone) or databricks (inside a Databricks JAR task). A profile is a set of"
          + " Beam flags, runner-profiles/NAME/pipeline.options; flags given on the command line win.")
  String getProfile();

  void setProfile(String value);
}
