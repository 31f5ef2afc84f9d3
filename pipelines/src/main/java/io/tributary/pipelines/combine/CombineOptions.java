package io.tributary.pipelines.combine;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How bounded combines ({@link CombinePerKey}) spread their merge. */
public interface CombineOptions extends PipelineOptions {

  @Description(
      "Bounded combines: how many keys the partial results are merged under, and so the parallelism"
          + " (and the number of files) of the steps after them. Each cycle of a run sets it from its"
          + " size: 1 for a small cycle, up to 8.")
  @Default.Integer(CombinePerKey.MERGE_KEYS)
  int getMergeKeys();

  void setMergeKeys(int value);
}
