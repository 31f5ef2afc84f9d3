/**
 * Parquet data files written through Delta Kernel, shared by both table formats: {@link
 * io.tributary.pipelines.lakehouse.files.DataFileWriter}, the written-not-committed {@link
 * io.tributary.pipelines.lakehouse.files.DataFile}, and the one mapping of Beam schemas to Kernel
 * types ({@link io.tributary.pipelines.lakehouse.files.KernelSchemas}).
 */
package io.tributary.pipelines.lakehouse.files;
