package io.tributary.pipelines;

import io.tributary.pipelines.lakehouse.DataFileReads;
import io.tributary.pipelines.lakehouse.TableReader;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.storage.LakeStorage;
import io.tributary.pipelines.offsets.OffsetRanges;
import io.tributary.pipelines.offsets.UnionOffsets;
import io.tributary.pipelines.silver.SilverSchema;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * What a latest-state table lacks of silver, read from silver inside the pipeline: silver's rows at
 * Kafka offsets the table has not accounted for (a run killed between silver's commit and the
 * table's, or a table added to an existing lakehouse), and, for bounded input, the offsets silver
 * accounted for without a row that the table lacks (invalid records, duplicates, offsets without a
 * record), so that the table's gap closes without reading them from Kafka again.
 *
 * <p>Only silver's log is read when the pipeline is built, to list the data files whose statistics
 * may hold those offsets; each file is then read by a worker of its own, so neither the driver nor
 * the serialized pipeline holds the rows, however large silver is.
 */
final class ReadCatchUp extends PTransform<PBegin, PCollectionTuple> {
  /** Silver's rows the table has not accounted for. */
  static final TupleTag<Row> ROWS = new TupleTag<>() {};

  /** Offsets silver accounted for without a row that the table lacks (bounded input only). */
  static final TupleTag<OffsetRanges> ACCOUNTED_WITHOUT_ROWS = new TupleTag<>() {};

  private static final TupleTag<OffsetRanges> FOUND = new TupleTag<>() {};

  private final TableSpec silver;
  private final long version;
  private final OffsetRanges missing;
  private final boolean bounded;

  /**
   * @param version silver's version to read (negative: silver has none yet)
   * @param missing the offsets silver accounted for at that version and the table has not
   * @param bounded whether the pipeline is bounded: then {@link #ACCOUNTED_WITHOUT_ROWS} is
   *     computed, and committed by the table together with the rows
   */
  ReadCatchUp(TableSpec silver, long version, OffsetRanges missing, boolean bounded) {
    this.silver = silver;
    this.version = version;
    this.missing = missing.copy();
    this.bounded = bounded;
  }

  @Override
  public PCollectionTuple expand(PBegin input) {
    List<String> files =
        version < 0 || missing.isEmpty()
            ? List.of()
            : DataFileReads.filesWithOffsets(
                silver.path(),
                version,
                SilverSchema.KAFKA_PARTITION,
                SilverSchema.KAFKA_OFFSET,
                missing);
    SerializableCoder<OffsetRanges> offsetsCoder = SerializableCoder.of(OffsetRanges.class);
    PCollectionTuple read =
        input
            .apply("SilverFiles", Create.of(files).withCoder(StringUtf8Coder.of()))
            .apply("OneFileEach", Reshuffle.viaRandomKey())
            .apply(
                "ReadMissing",
                ParDo.of(
                        new ReadFileFn(
                            silver.path(), silver.storage(), version, silver.schema(), missing))
                    .withOutputTags(ROWS, TupleTagList.of(FOUND)));
    read.get(ROWS).setRowSchema(silver.schema());
    read.get(FOUND).setCoder(offsetsCoder);
    PCollectionTuple result = PCollectionTuple.of(ROWS, read.get(ROWS));
    if (!bounded) {
      return result;
    }
    PCollection<OffsetRanges> withoutRows =
        read.get(FOUND)
            .apply("UnionFound", Combine.globally(UnionOffsets.of()))
            .setCoder(offsetsCoder)
            .apply(
                "NotFound",
                MapElements.into(TypeDescriptor.of(OffsetRanges.class)).via(missing::minus))
            .setCoder(offsetsCoder)
            .apply("NotEmpty", Filter.by(offsets -> !offsets.isEmpty()))
            .setCoder(offsetsCoder);
    return result.and(ACCOUNTED_WITHOUT_ROWS, withoutRows);
  }

  private static final class ReadFileFn extends DoFn<String, Row> {
    private final String path;
    private final LakeStorage storage;
    private final long version;
    private final Schema schema;
    private final OffsetRanges missing;

    ReadFileFn(
        String path, LakeStorage storage, long version, Schema schema, OffsetRanges missing) {
      this.path = path;
      this.storage = storage;
      this.version = version;
      this.schema = schema;
      this.missing = missing;
    }

    @ProcessElement
    public void process(@Element String file, MultiOutputReceiver out) {
      TableReader.register(storage);
      OffsetRanges found = OffsetRanges.empty();
      DataFileReads.readOffsetsOfFile(
          path,
          version,
          file,
          SilverSchema.KAFKA_PARTITION,
          SilverSchema.KAFKA_OFFSET,
          missing,
          schema,
          row -> {
            found.add(
                row.getInt32(SilverSchema.KAFKA_PARTITION),
                row.getInt64(SilverSchema.KAFKA_OFFSET));
            out.get(ROWS).output(row);
          });
      out.get(FOUND).output(found);
    }
  }
}
