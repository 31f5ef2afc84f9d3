/**
 * Failing over to a secondary Kafka cluster fed by MirrorMaker 2: reading its replica topics from
 * where each table stands, through MirrorMaker's offset syncs ({@link
 * io.tributary.pipelines.failover.OffsetSyncs}).
 */
package io.tributary.pipelines.failover;
