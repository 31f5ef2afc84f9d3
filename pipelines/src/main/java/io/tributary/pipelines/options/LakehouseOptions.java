package io.tributary.pipelines.options;

import io.tributary.pipelines.lakehouse.storage.LakeStorage;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Where and how tables are written. */
public interface LakehouseOptions extends PipelineOptions {

  @Description(
      "Lakehouse root: a directory, or ADLS Gen2 as abfss://CONTAINER@ACCOUNT.dfs.core.windows.net/PATH;"
          + " tables go to DIR/bronze/<dataset>, DIR/silver/<dataset>, ...")
  @Validation.Required
  String getLakehouse();

  void setLakehouse(String value);

  @Description(
      "How an abfss:// lakehouse authenticates to ADLS Gen2: cluster (the default: the Hadoop settings the"
          + " environment gives, e.g. a Databricks cluster's spark.hadoop.fs.azure.* config), service-principal"
          + " (OAuth client credentials: --azureTenantId, --azureClientId, secret in the environment variable"
          + " --azureClientSecretEnv) or managed-identity (the VMs' Azure managed identity).")
  @Default.String("cluster")
  String getLakehouseAuth();

  void setLakehouseAuth(String value);

  @Description("Microsoft Entra tenant (directory) id, for --lakehouseAuth=service-principal.")
  String getAzureTenantId();

  void setAzureTenantId(String value);

  @Description(
      "Application (client) id of the service principal, or of a user-assigned managed identity.")
  String getAzureClientId();

  void setAzureClientId(String value);

  @Description(
      "Name of the environment variable holding the service principal's client secret, read on the driver"
          + " and on every worker (never passed as an option, so it stays out of the pipeline).")
  @Default.String(LakeStorage.DEFAULT_CLIENT_SECRET_ENV)
  String getAzureClientSecretEnv();

  void setAzureClientSecretEnv(String value);

  @Description("Table format: delta (Delta Lake, the default) or parquet (plain Parquet files).")
  @Default.String("delta")
  String getFormat();

  void setFormat(String value);

  @Description(
      "Streaming: seconds between file flushes per table (fewer, larger files with a longer interval).")
  @Default.Integer(10)
  int getFlushIntervalSeconds();

  void setFlushIntervalSeconds(int value);

  @Description("Files written in parallel per table and flush.")
  @Default.Integer(2)
  int getWriteShards();

  void setWriteShards(int value);
}
