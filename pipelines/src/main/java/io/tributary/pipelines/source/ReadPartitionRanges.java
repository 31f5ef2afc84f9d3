package io.tributary.pipelines.source;

import io.tributary.kafka.connection.KafkaConnection;
import io.tributary.pipelines.bronze.BronzeSchema;
import io.tributary.pipelines.offsets.OffsetRanges;
import java.time.Duration;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads fixed offset ranges of Kafka partitions as bronze rows: a bounded read that ends exactly at
 * the planned end offsets, whatever the partition sizes (unlike KafkaIO's {@code
 * withMaxNumRecords}, which waits for an even share of records per split). Output elements keep the
 * minimum timestamp; event time is assigned when they are parsed.
 *
 * <p>Consumers read committed records only ({@code isolation.level=read_committed}), so the offsets
 * of a range are not all records: transaction markers, aborted records and offsets compaction
 * removed have none. Those are output too ({@link #ACCOUNTED_WITHOUT_RECORD}, counted as {@code
 * offsets_without_record}): every table accounts for them, so that they are never read again. A
 * range whose first offsets retention deleted after it was planned is read from the earliest offset
 * still there; the records lost are counted ({@code lost_to_retention}) and accounted for the same
 * way.
 */
public final class ReadPartitionRanges extends PTransform<PBegin, PCollectionTuple> {
  /** The records read, as bronze rows. */
  public static final TupleTag<Row> RECORDS = new TupleTag<>() {};

  /** Offsets of the ranges that hold no record to read (see the class comment). */
  public static final TupleTag<OffsetRanges> ACCOUNTED_WITHOUT_RECORD = new TupleTag<>() {};

  /**
   * A partition that yields nothing for this long while records are still due means the broker is
   * gone.
   */
  static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);

  /**
   * Records per read: each partition's range is read in pieces of at most this many, so that
   * parsing and writing start on the first piece while later ones are still read, and all workers
   * have work even with fewer partitions than workers. Each piece is a bundle, and so a bronze
   * file.
   */
  static final long PIECE_RECORDS = 100_000;

  /** The counter of offsets read that held no record (see the class comment). */
  public static final String OFFSETS_WITHOUT_RECORD_COUNTER = "offsets_without_record";

  /** The counter of records retention deleted before they were read. */
  public static final String LOST_TO_RETENTION_COUNTER = "lost_to_retention";

  private static final Logger LOG = LoggerFactory.getLogger(ReadPartitionRanges.class);

  private final KafkaConnection connection;
  private final List<PartitionRange> ranges;
  private final String dataset;
  private final OffsetRanges lost;

  public ReadPartitionRanges(
      String dataset, KafkaConnection connection, List<PartitionRange> ranges) {
    this(dataset, connection, ranges, OffsetRanges.empty());
  }

  /**
   * @param lost offsets retention deleted before the plan could read them: output as offsets
   *     without a record, so that every table accounts for them
   */
  public ReadPartitionRanges(
      String dataset, KafkaConnection connection, List<PartitionRange> ranges, OffsetRanges lost) {
    this.dataset = dataset;
    this.connection = connection;
    this.ranges = List.copyOf(ranges);
    this.lost = lost.copy();
  }

  /** Shown in runner UIs: where the ranges come from, never how to log in there. */
  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("source", connection.describe()).withLabel("Source"))
        .add(
            DisplayData.item(
                    "topics",
                    String.join(
                        ",", ranges.stream().map(PartitionRange::topic).distinct().toList()))
                .withLabel("Topics"))
        .add(
            DisplayData.item("records", ranges.stream().mapToLong(PartitionRange::size).sum())
                .withLabel("Records planned"));
  }

  @Override
  public PCollectionTuple expand(PBegin input) {
    long records = ranges.stream().mapToLong(PartitionRange::size).sum();
    // A piece is read as one bundle, and so makes one bronze file: a read of at most one piece's
    // records (a small cycle) is one piece over every partition.
    List<Piece> pieces =
        records <= PIECE_RECORDS
            ? List.of(new Piece(List.copyOf(ranges)))
            : ranges.stream()
                .flatMap(range -> range.split(PIECE_RECORDS).stream())
                .map(range -> new Piece(List.of(range)))
                .toList();
    PCollectionTuple read =
        input
            .apply(
                "PlannedRanges",
                Create.of(pieces)
                    .withCoder(org.apache.beam.sdk.coders.SerializableCoder.of(Piece.class)))
            // One range per worker: without this the runner may read every partition in one
            // bundle.
            .apply("SpreadRanges", Reshuffle.viaRandomKey())
            .apply(
                "ReadRange",
                ParDo.of(new ReadRangeFn(dataset, connection))
                    .withOutputTags(RECORDS, TupleTagList.of(ACCOUNTED_WITHOUT_RECORD)));
    read.get(RECORDS).setRowSchema(BronzeSchema.SCHEMA);
    SerializableCoder<OffsetRanges> coder = SerializableCoder.of(OffsetRanges.class);
    read.get(ACCOUNTED_WITHOUT_RECORD).setCoder(coder);
    PCollection<OffsetRanges> planned =
        input.apply(
            "LostBeforeRead",
            Create.of(lost.isEmpty() ? List.<OffsetRanges>of() : List.of(lost)).withCoder(coder));
    return PCollectionTuple.of(RECORDS, read.get(RECORDS))
        .and(
            ACCOUNTED_WITHOUT_RECORD,
            PCollectionList.of(read.get(ACCOUNTED_WITHOUT_RECORD))
                .and(planned)
                .apply("OffsetsWithoutRecord", Flatten.pCollections())
                .setCoder(coder));
  }

  /** Ranges read one after the other, as one bundle. */
  record Piece(List<PartitionRange> ranges) implements java.io.Serializable {}

  static final class ReadRangeFn extends DoFn<Piece, Row> {
    private final KafkaConnection connection;
    private final Counter read;
    private final Counter withoutRecord;
    private final Counter lost;
    private transient Consumer<byte[], byte[]> consumer;

    ReadRangeFn(String dataset, KafkaConnection connection) {
      this.connection = connection;
      this.read = Metrics.counter("tributary." + dataset, "read");
      this.withoutRecord = Metrics.counter("tributary." + dataset, OFFSETS_WITHOUT_RECORD_COUNTER);
      this.lost = Metrics.counter("tributary." + dataset, LOST_TO_RETENTION_COUNTER);
    }

    @Setup
    public void setup() {
      consumer = KafkaSettings.newConsumer(connection);
    }

    @ProcessElement
    public void process(@Element Piece piece, MultiOutputReceiver out) {
      OffsetRanges none = OffsetRanges.empty();
      for (PartitionRange range : piece.ranges()) {
        read(range, out.get(RECORDS), none);
      }
      if (!none.isEmpty()) {
        out.get(ACCOUNTED_WITHOUT_RECORD).output(none);
      }
    }

    /** Reads one range; adds its offsets that have no record to {@code none}. */
    private void read(PartitionRange range, OutputReceiver<Row> out, OffsetRanges none) {
      TopicPartition partition = new TopicPartition(range.topic(), range.partition());
      consumer.assign(List.of(partition));
      consumer.seek(partition, range.fromOffset());
      long lastProgress = System.nanoTime();
      // The next offset a record was expected at: anything skipped up to a record has none.
      long expected = range.fromOffset();
      while (consumer.position(partition) < range.toOffset()) {
        ConsumerRecords<byte[], byte[]> records;
        try {
          records = consumer.poll(Duration.ofMillis(500));
        } catch (OffsetOutOfRangeException e) {
          // Retention deleted records of the range after it was planned: go on from the earliest.
          long earliest = consumer.beginningOffsets(List.of(partition)).get(partition);
          long resumeAt = Math.min(Math.max(earliest, expected), range.toOffset());
          if (resumeAt > expected) {
            lost.inc(resumeAt - expected);
            none.add(range.partition(), expected, resumeAt);
            LOG.warn(
                "{}: offsets {} to {} were deleted by retention before they were read; {} records"
                    + " lost",
                partition,
                expected,
                resumeAt - 1,
                resumeAt - expected);
            expected = resumeAt;
          }
          consumer.seek(partition, resumeAt);
          continue;
        }
        if (records.isEmpty()) {
          if (System.nanoTime() - lastProgress > STALL_TIMEOUT.toNanos()) {
            throw new IllegalStateException(
                "no records from "
                    + partition
                    + " in "
                    + connection.describe()
                    + " for "
                    + STALL_TIMEOUT.toSeconds()
                    + " s, at offset "
                    + consumer.position(partition)
                    + " of "
                    + range.toOffset());
          }
          continue;
        }
        lastProgress = System.nanoTime();
        long ingestMillis = System.currentTimeMillis();
        for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
          if (record.offset() >= range.toOffset()) {
            break;
          }
          if (record.offset() > expected) {
            none.add(range.partition(), expected, record.offset());
            withoutRecord.inc(record.offset() - expected);
          }
          expected = record.offset() + 1;
          out.output(
              BronzeSchema.row(
                  record.key(),
                  record.value(),
                  record.topic(),
                  record.partition(),
                  record.offset(),
                  record.timestamp(),
                  ingestMillis));
          read.inc();
        }
      }
      if (expected < range.toOffset()) {
        none.add(range.partition(), expected, range.toOffset());
        withoutRecord.inc(range.toOffset() - expected);
      }
    }

    @Teardown
    public void teardown() {
      if (consumer != null) {
        consumer.close(Duration.ofSeconds(5));
      }
    }
  }
}
