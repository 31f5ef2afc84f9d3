package io.tributary.pipelines.source;

import io.tributary.kafka.connection.KafkaConnection;
import io.tributary.pipelines.bronze.BronzeSchema;
import java.time.Duration;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads fixed offset ranges of Kafka partitions as bronze rows: a bounded read that ends exactly at
 * the planned end offsets, whatever the partition sizes (unlike KafkaIO's {@code
 * withMaxNumRecords}, which waits for an even share of records per split). Output elements keep the
 * minimum timestamp; event time is assigned when they are parsed.
 */
public final class ReadPartitionRanges extends PTransform<PBegin, PCollection<Row>> {
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

  private final KafkaConnection connection;
  private final List<PartitionRange> ranges;
  private final String dataset;

  public ReadPartitionRanges(
      String dataset, KafkaConnection connection, List<PartitionRange> ranges) {
    this.dataset = dataset;
    this.connection = connection;
    this.ranges = List.copyOf(ranges);
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
  public PCollection<Row> expand(PBegin input) {
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
    return input
        .apply(
            "PlannedRanges",
            Create.of(pieces)
                .withCoder(org.apache.beam.sdk.coders.SerializableCoder.of(Piece.class)))
        // One range per worker: without this the runner may read every partition in one bundle.
        .apply("SpreadRanges", Reshuffle.viaRandomKey())
        .apply("ReadRange", ParDo.of(new ReadRangeFn(dataset, connection)))
        .setRowSchema(BronzeSchema.SCHEMA);
  }

  /** Ranges read one after the other, as one bundle. */
  record Piece(List<PartitionRange> ranges) implements java.io.Serializable {}

  static final class ReadRangeFn extends DoFn<Piece, Row> {
    private final KafkaConnection connection;
    private final Counter read;
    private transient Consumer<byte[], byte[]> consumer;

    ReadRangeFn(String dataset, KafkaConnection connection) {
      this.connection = connection;
      this.read = Metrics.counter("tributary." + dataset, "read");
    }

    @Setup
    public void setup() {
      consumer = KafkaSettings.newConsumer(connection);
    }

    @ProcessElement
    public void process(@Element Piece piece, OutputReceiver<Row> out) {
      for (PartitionRange range : piece.ranges()) {
        read(range, out);
      }
    }

    private void read(PartitionRange range, OutputReceiver<Row> out) {
      TopicPartition partition = new TopicPartition(range.topic(), range.partition());
      consumer.assign(List.of(partition));
      consumer.seek(partition, range.fromOffset());
      long lastProgress = System.nanoTime();
      while (consumer.position(partition) < range.toOffset()) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
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
    }

    @Teardown
    public void teardown() {
      if (consumer != null) {
        consumer.close(Duration.ofSeconds(5));
      }
    }
  }
}
