package io.tributary.pipelines.lakehouse.latest;

import io.tributary.pipelines.coders.FlatRowCoder;
import io.tributary.pipelines.lakehouse.append.WriteSettings;
import io.tributary.pipelines.offsets.OffsetRanges;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.values.Row;

/**
 * The latest row per key of some input rows, and the Kafka offsets of all of them (the rows that
 * lost to a later one included: the table has accounted for them too). What {@link
 * WriteLatestState} reduces a pane to before its single committer merges it into the table.
 *
 * <p>Mutable; not thread-safe.
 */
public final class LatestRows {
  /** Per key (see {@link LatestStateLayout#key}), the latest row. */
  private final TreeMap<String, Row> rows = new TreeMap<>();

  private final OffsetRanges accounted;

  private LatestRows(OffsetRanges accounted) {
    this.accounted = accounted;
  }

  static LatestRows empty() {
    return new LatestRows(OffsetRanges.empty());
  }

  /** One row; with {@code lineage} (may be null) its Kafka offset is accounted for. */
  static LatestRows of(LatestStateLayout layout, Row row, WriteSettings.Lineage lineage) {
    LatestRows one = empty();
    one.rows.put(layout.key(row), row);
    if (lineage != null) {
      // Non-null columns (checked when the transform is built).
      one.accounted.add(
          row.getInt32(lineage.partitionColumn()), row.getInt64(lineage.offsetColumn()));
    }
    return one;
  }

  /** Offsets accounted for without a row. */
  static LatestRows accountedOnly(OffsetRanges offsets) {
    return new LatestRows(offsets.copy());
  }

  /** Keeps, per key, the later of this and {@code other}'s row; accounts for its offsets too. */
  LatestRows addAll(LatestStateLayout layout, LatestRows other) {
    other.rows.forEach(
        (key, row) -> {
          Row current = rows.get(key);
          if (current == null || layout.isLater(row, current)) {
            rows.put(key, row);
          }
        });
    accounted.addAll(other.accounted);
    return this;
  }

  /** Per key, its latest row, in key order; do not modify. */
  public Map<String, Row> rows() {
    return rows;
  }

  public OffsetRanges accounted() {
    return accounted;
  }

  /** Reduces a pane's rows and offsets to one {@link LatestRows}. */
  static final class Merge extends Combine.CombineFn<LatestRows, LatestRows, LatestRows> {
    private final LatestStateLayout layout;

    Merge(LatestStateLayout layout) {
      this.layout = layout;
    }

    @Override
    public LatestRows createAccumulator() {
      return empty();
    }

    @Override
    public LatestRows addInput(LatestRows accumulator, LatestRows input) {
      return accumulator.addAll(layout, input);
    }

    @Override
    public LatestRows mergeAccumulators(Iterable<LatestRows> accumulators) {
      Iterator<LatestRows> each = accumulators.iterator();
      LatestRows merged = each.hasNext() ? each.next() : empty();
      each.forEachRemaining(other -> merged.addAll(layout, other));
      return merged;
    }

    @Override
    public LatestRows extractOutput(LatestRows accumulator) {
      return accumulator;
    }

    @Override
    public Coder<LatestRows> getAccumulatorCoder(
        CoderRegistry registry, Coder<LatestRows> inputCoder) {
      return new LatestRowsCoder(layout);
    }

    @Override
    public Coder<LatestRows> getDefaultOutputCoder(
        CoderRegistry registry, Coder<LatestRows> inputCoder) {
      return new LatestRowsCoder(layout);
    }
  }

  static Coder<LatestRows> coder(LatestStateLayout layout) {
    return new LatestRowsCoder(layout);
  }

  /**
   * Rows with a {@link FlatRowCoder} of the table's schema (keys are recomputed), offsets as JSON.
   */
  private static final class LatestRowsCoder extends CustomCoder<LatestRows> {
    private static final long serialVersionUID = 1L;

    private final LatestStateLayout layout;
    private final Coder<Row> rowCoder;

    LatestRowsCoder(LatestStateLayout layout) {
      this.layout = layout;
      this.rowCoder = FlatRowCoder.of(layout.schema());
    }

    @Override
    public void encode(LatestRows value, OutputStream out) throws IOException {
      VarIntCoder.of().encode(value.rows.size(), out);
      for (Row row : value.rows.values()) {
        rowCoder.encode(row, out);
      }
      StringUtf8Coder.of().encode(value.accounted.toJson(), out);
    }

    @Override
    public LatestRows decode(InputStream in) throws IOException {
      int size = VarIntCoder.of().decode(in);
      LatestRows value = empty();
      for (int i = 0; i < size; i++) {
        Row row = rowCoder.decode(in);
        value.rows.put(layout.key(row), row);
      }
      value.accounted.addAll(OffsetRanges.fromJson(StringUtf8Coder.of().decode(in)));
      return value;
    }
  }
}
