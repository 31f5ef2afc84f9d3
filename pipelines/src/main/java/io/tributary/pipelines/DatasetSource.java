package io.tributary.pipelines;

import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Where one dataset's bronze rows come from: a bounded drain of planned offset ranges, or the
 * unbounded stream.
 *
 * @param dataset the dataset (its contract and gold views)
 * @param topic the Kafka topic it is read from
 * @param read the read transform producing bronze rows
 */
public record DatasetSource(
    String dataset, String topic, PTransform<PBegin, PCollection<Row>> read) {}
