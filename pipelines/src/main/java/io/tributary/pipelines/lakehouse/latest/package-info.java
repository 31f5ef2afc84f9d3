/**
 * Latest-state tables, one row per key (gold views and the datasets' latest-state tables on Delta):
 * {@link io.tributary.pipelines.lakehouse.latest.WriteLatestState}, the bucket layout and the
 * latest row per key. Their commits are {@link
 * io.tributary.pipelines.lakehouse.delta.MergeCommit}s.
 */
package io.tributary.pipelines.lakehouse.latest;
