package io.tributary.pipelines.lakehouse.append;

import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.files.DataFile;
import io.tributary.pipelines.lakehouse.files.DataFileWriter;
import io.tributary.pipelines.offsets.OffsetRanges;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.Row;

/**
 * Bounded input only: writes each bundle's rows as data files of at most {@code maxRowsPerFile}
 * rows, without a shuffle. A drain's largest tables (bronze, silver) arrive in large bundles, and
 * grouping millions of rows by shard would cost more than writing them. Outputs go to the global
 * window, where the committer collects them.
 */
public final class WriteBundleFiles extends DoFn<Row, DataFile> {
  private final DataFileWriter writer;
  private final int maxRowsPerFile;
  private transient List<Row> buffer;

  WriteBundleFiles(
      TableSpec table,
      TableFormat format,
      WriteSettings.Lineage lineage,
      OffsetRanges alreadyCommitted,
      int maxRowsPerFile) {
    this.writer = new DataFileWriter(table, format, lineage, alreadyCommitted);
    this.maxRowsPerFile = maxRowsPerFile;
  }

  @Setup
  public void setup() {
    writer.setup();
  }

  @StartBundle
  public void startBundle() {
    buffer = new ArrayList<>();
  }

  @ProcessElement
  public void process(@Element Row row, OutputReceiver<DataFile> out) {
    buffer.add(row);
    if (buffer.size() >= maxRowsPerFile) {
      writer.write(buffer).forEach(out::output);
      buffer = new ArrayList<>();
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    for (DataFile file : writer.write(buffer)) {
      context.output(file, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
    }
    buffer = null;
  }
}
