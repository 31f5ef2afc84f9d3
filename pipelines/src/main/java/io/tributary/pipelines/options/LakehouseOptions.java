package io.tributary.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Where and how tables are written. */
public interface LakehouseOptions extends PipelineOptions {

  @Description(
      "Lakehouse root directory; tables go to DIR/bronze/<dataset>, DIR/silver/<dataset>, ...")
  @Validation.Required
  String getLakehouse();

  void setLakehouse(String value);

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
