package io.tributary.pipelines.lakehouse.append;

import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.files.DataFile;
import io.tributary.pipelines.lakehouse.files.DataFileWriter;
import io.tributary.pipelines.offsets.OffsetRanges;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Writes one shard's rows of a pane as one Parquet file (see {@link DataFileWriter}) and emits its
 * {@link DataFile}.
 */
public final class WriteDataFiles
    extends DoFn<KV<Integer, Iterable<org.apache.beam.sdk.values.Row>>, DataFile> {
  private final DataFileWriter writer;

  WriteDataFiles(
      TableSpec table,
      TableFormat format,
      WriteSettings.Lineage lineage,
      OffsetRanges alreadyCommitted) {
    this.writer = new DataFileWriter(table, format, lineage, alreadyCommitted);
  }

  @Setup
  public void setup() {
    writer.setup();
  }

  @ProcessElement
  public void process(
      @Element KV<Integer, Iterable<org.apache.beam.sdk.values.Row>> shard,
      OutputReceiver<DataFile> out) {
    writer.write(shard.getValue()).forEach(out::output);
  }
}
