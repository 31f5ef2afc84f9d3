/**
 * The lakehouse as the pipelines see it: a root holding tables ({@link
 * io.tributary.pipelines.lakehouse.Lakehouse}, {@link io.tributary.pipelines.lakehouse.TableSpec})
 * and reading them back ({@link io.tributary.pipelines.lakehouse.TableReader}, {@link
 * io.tributary.pipelines.lakehouse.TableSnapshot}). How tables are written lives in the
 * sub-packages: {@code append} and {@code latest} (the two writers), {@code delta} (the Delta log
 * and its commits), {@code parquet} (plain Parquet tables), {@code files} (data files) and {@code
 * storage} (local disk or ADLS).
 */
package io.tributary.pipelines.lakehouse;
