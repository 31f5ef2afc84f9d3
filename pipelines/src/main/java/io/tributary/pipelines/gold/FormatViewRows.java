package io.tributary.pipelines.gold;

import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Turns each combined (key, result) of a {@link GoldWindows} pane into a view row shaped by {@link
 * GoldWindows#viewSchema}: window_start, window_end, the view's columns, pane_index, pane_timing.
 */
public final class FormatViewRows<K, R>
    extends PTransform<PCollection<KV<K, R>>, PCollection<Row>> {

  /** The view's own columns for one key's result, in schema order. */
  @FunctionalInterface
  public interface Columns<K, R> extends Serializable {
    List<Object> of(K key, R result);
  }

  private final Schema schema;
  private final Columns<K, R> columns;

  private FormatViewRows(Schema schema, Columns<K, R> columns) {
    this.schema = schema;
    this.columns = columns;
  }

  public static <K, R> FormatViewRows<K, R> of(Schema schema, Columns<K, R> columns) {
    return new FormatViewRows<>(schema, columns);
  }

  @Override
  public PCollection<Row> expand(PCollection<KV<K, R>> results) {
    return results.apply(ParDo.of(new FormatFn<>(schema, columns))).setRowSchema(schema);
  }

  private static final class FormatFn<K, R> extends DoFn<KV<K, R>, Row> {
    private final Schema schema;
    private final Columns<K, R> columns;

    FormatFn(Schema schema, Columns<K, R> columns) {
      this.schema = schema;
      this.columns = columns;
    }

    // Typed as IntervalWindow so that applying this outside fixed windows fails at construction.
    @ProcessElement
    public void process(
        @Element KV<K, R> result, IntervalWindow window, PaneInfo pane, OutputReceiver<Row> out) {
      List<Object> own = columns.of(result.getKey(), result.getValue());
      List<Object> values = new java.util.ArrayList<>(own.size() + 4);
      values.add(window.start());
      values.add(window.end());
      values.addAll(own);
      values.add(pane.getIndex());
      values.add(timing(pane));
      // The views give values of exactly their schema's types (the view tests encode every
      // column): attachValues skips Row.Builder's per-row conversion, a tenth of a drain's gold.
      out.output(Row.withSchema(schema).attachValues(values));
    }
  }

  /**
   * A bounded input's results are computed once, outside any trigger (no pane): that single result
   * is the window's on-time and final one.
   */
  static String timing(PaneInfo pane) {
    return pane.getTiming() == PaneInfo.Timing.UNKNOWN
        ? PaneInfo.Timing.ON_TIME.name()
        : pane.getTiming().name();
  }
}
