/**
 * The Delta log: {@link io.tributary.pipelines.lakehouse.delta.DeltaLog} writes commits with
 * put-if-absent and checkpoints; the two commit plans are {@link
 * io.tributary.pipelines.lakehouse.delta.AppendCommit} (add files) and {@link
 * io.tributary.pipelines.lakehouse.delta.MergeCommit} (replace a latest-state table's buckets);
 * schema changes, reading what commits added, compaction and vacuum are here too.
 */
package io.tributary.pipelines.lakehouse.delta;
