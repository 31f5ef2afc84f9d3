package io.tributary.pipelines.lakehouse.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tributary.pipelines.testing.RunnerUnderTest;
import io.tributary.pipelines.testing.SharedSparkContext;
import org.junit.jupiter.api.Test;

/**
 * On Spark, an {@code abfss://} lakehouse's file access uses the cluster's {@code spark.hadoop.*}
 * settings (where a Databricks cluster keeps its ABFS credentials), then the lakehouse's own.
 */
public class ClusterHadoopSettingsTest {

  @Test
  void theClustersHadoopSettingsReachTheLakehouseConfiguration() {
    assumeTrue(RunnerUnderTest.isSpark(), "needs the Spark executions' SparkContext");
    SharedSparkContext.provide();

    assertThat(ClusterHadoopSettings.current())
        .containsEntry(SharedSparkContext.CLUSTER_SETTING, "from-the-cluster");
    LakeFiles.register(
        LakeStorage.of(
            "abfss://lake@tributarydev.dfs.core.windows.net/x",
            new LakeStorage.AuthOptions("managed-identity", "tenant", null, null)));
    assertThat(LakeFiles.hadoopConf().get(SharedSparkContext.CLUSTER_SETTING))
        .isEqualTo("from-the-cluster");
    assertThat(
            LakeFiles.hadoopConf()
                .get("fs.azure.account.oauth2.msi.tenant.tributarydev.dfs.core.windows.net"))
        .isEqualTo("tenant");
  }
}
