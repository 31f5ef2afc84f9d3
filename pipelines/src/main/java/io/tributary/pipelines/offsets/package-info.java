/**
 * Kafka offset accounting: which offsets of a topic a table has accounted for ({@link
 * io.tributary.pipelines.offsets.OffsetRanges}): each record at them is in the table or was never
 * meant for it. Silver and every sink use it; a restart reads from the least advanced table.
 */
package io.tributary.pipelines.offsets;
