/** Bronze: every Kafka record as received, with its topic, partition and offset. */
package io.tributary.pipelines.bronze;
