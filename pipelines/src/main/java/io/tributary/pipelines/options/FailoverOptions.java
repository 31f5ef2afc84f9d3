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

  @Description(
      "Fail back after a failover: ALIAS@HOST:PORT, the alias the failover read the replicas of and"
          + " the secondary (plain Kafka) cluster it ran on, where MirrorMaker 2's offset syncs are. The"
          + " run reads <topic> on --bootstrapServers again, each table after what it read of"
          + " ALIAS.<topic>. Default: none.")
  String getFailbackFrom();

  void setFailbackFrom(String value);
}
