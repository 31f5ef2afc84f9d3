package io.tributary.pipelines.lakehouse;

import io.tributary.pipelines.lakehouse.append.WriteTable;

/**
 * How a lakehouse table is stored. The pipelines never see the difference: it stays behind {@link
 * WriteTable}.
 */
public enum TableFormat {
  /** Delta Lake: Parquet files plus a {@code _delta_log}, committed atomically (Delta Kernel). */
  DELTA,
  /** Plain Parquet files in the table directory. */
  PARQUET
}
