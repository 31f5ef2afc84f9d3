/**
 * Plain Parquet tables: a directory of Parquet files plus a schema file and, per topic, the Kafka
 * offsets the table has accounted for ({@link
 * io.tributary.pipelines.lakehouse.parquet.ParquetTables}).
 */
package io.tributary.pipelines.lakehouse.parquet;
