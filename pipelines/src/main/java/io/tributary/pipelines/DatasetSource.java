package io.tributary.pipelines;

import io.tributary.pipelines.source.ReadPartitionRanges;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;

/**
 * Where one dataset's bronze rows come from: a bounded read of planned offset ranges ({@link
 * #ofRanges}), or the unbounded stream ({@link #ofStream}).
 *
 * @param dataset the dataset (its contract and gold views)
 * @param topic the Kafka topic it is read from
 * @param read the read transform: bronze rows under {@link ReadPartitionRanges#RECORDS} and, if the
 *     read knows them, the offsets read that hold no record under {@link
 *     ReadPartitionRanges#ACCOUNTED_WITHOUT_RECORD}
 * @param bounded whether the read is bounded (a drain or a cycle)
 */
public record DatasetSource(
    String dataset, String topic, PTransform<PBegin, PCollectionTuple> read, boolean bounded) {

  /** A bounded read of planned offset ranges. */
  public static DatasetSource ofRanges(String dataset, String topic, ReadPartitionRanges read) {
    return new DatasetSource(dataset, topic, read, true);
  }

  /** An unbounded source of bronze rows only ({@code --unboundedRead}, tests). */
  public static DatasetSource ofStream(
      String dataset, String topic, PTransform<PBegin, PCollection<Row>> rows) {
    return new DatasetSource(dataset, topic, new RowsOnly(rows), false);
  }

  private static final class RowsOnly extends PTransform<PBegin, PCollectionTuple> {
    private final PTransform<PBegin, PCollection<Row>> rows;

    RowsOnly(PTransform<PBegin, PCollection<Row>> rows) {
      this.rows = rows;
    }

    @Override
    public PCollectionTuple expand(PBegin input) {
      return PCollectionTuple.of(ReadPartitionRanges.RECORDS, input.apply(rows));
    }
  }
}
