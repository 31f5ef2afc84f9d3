package io.tributary.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Reading a secondary cluster's MirrorMaker 2 replicas after the primary cluster was lost. */
public interface FailoverOptions extends PipelineOptions {

  @Description(
      "Fail over from the cluster replicated under this alias (./tributary replicate"
          + " --fromAlias=ALIAS): read ALIAS.<topic>, its replica on --bootstrapServers, and continue"
          + " the tables fed by <topic> from their positions translated through MirrorMaker 2's"
          + " offset syncs. Default: none (read <topic> itself).")
  String getFailoverFrom();

  void setFailoverFrom(String value);
}
