/**
 * Reading Kafka: where a run resumes and which offset ranges each cycle reads ({@link
 * io.tributary.pipelines.source.CyclePlanner}), the bounded read of those ranges ({@link
 * io.tributary.pipelines.source.ReadPartitionRanges}), and the unbounded read of {@code
 * --unboundedRead}.
 */
package io.tributary.pipelines.source;
