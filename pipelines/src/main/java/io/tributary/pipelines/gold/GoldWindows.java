package io.tributary.pipelines.gold;

import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.joda.time.Duration;

/**
 * The event-time windowing shared by every gold aggregate, and the columns it adds to their rows.
 *
 * <p>A window fires once when the watermark passes its end ({@code ON_TIME}, pane 0), then once per
 * late element until {@code allowedLateness} after its end ({@code LATE}, pane 1, 2, ...). Panes
 * accumulate, so each firing carries the whole window so far: a reader keeps, per window and key,
 * the row with the highest {@code pane_index}. Elements later than that are dropped by the runner,
 * which counts them. On bounded input each (window, key) fires exactly once, ON_TIME.
 *
 * <p>Only a watermark trigger is used (no user timers), so this runs on the Spark streaming runner.
 */
public final class GoldWindows {
  public static final String WINDOW_START = "window_start";
  public static final String WINDOW_END = "window_end";
  public static final String PANE_INDEX = "pane_index";
  public static final String PANE_TIMING = "pane_timing";

  private GoldWindows() {}

  /** Tumbling windows of {@code size}, firing on time and then on every late element. */
  public static <T> Window<T> tumbling(Duration size, Duration allowedLateness) {
    return Window.<T>into(FixedWindows.of(size))
        .triggering(
            AfterWatermark.pastEndOfWindow().withLateFirings(AfterPane.elementCountAtLeast(1)))
        .withAllowedLateness(allowedLateness)
        // A window that has elements is never empty when it closes, so this changes nothing on a
        // correct runner; on the Spark runner it stops an expired window's end-of-window timer,
        // which Spark does not evict (Beam issue BEAM-5690), from emitting an empty ON_TIME pane in
        // every micro-batch until the window is garbage-collected.
        .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY)
        .accumulatingFiredPanes();
  }

  /**
   * The row schema of an aggregate view: the window bounds (UTC), the view's own columns, then the
   * pane that produced the row.
   */
  public static Schema viewSchema(Schema.Field... columns) {
    return Schema.builder()
        .addDateTimeField(WINDOW_START)
        .addDateTimeField(WINDOW_END)
        .addFields(columns)
        .addInt64Field(PANE_INDEX)
        .addField(PANE_TIMING, FieldType.STRING)
        .build();
  }
}
