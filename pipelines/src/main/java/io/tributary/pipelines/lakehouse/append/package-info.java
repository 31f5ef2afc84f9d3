/**
 * Appending rows to a table (bronze, silver, quarantine, gold on Parquet): {@link
 * io.tributary.pipelines.lakehouse.append.WriteTable} writes data files and commits them with the
 * Kafka offsets the table has accounted for, exactly once.
 */
package io.tributary.pipelines.lakehouse.append;
