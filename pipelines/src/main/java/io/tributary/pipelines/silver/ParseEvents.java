package io.tributary.pipelines.silver;

import io.tributary.contracts.Contract;
import io.tributary.contracts.ParseOutcome;
import io.tributary.contracts.ParseOutcome.Rejected;
import io.tributary.contracts.ParseOutcome.Valid;
import io.tributary.pipelines.bronze.BronzeSchema;
import io.tributary.pipelines.offsets.OffsetRanges;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;

/**
 * Parses and validates bronze rows against the dataset's contract, once per record, with {@link
 * RecordParser} (which also holds {@code event_time} to the record's Kafka timestamp).
 *
 * <p>Outputs {@link #VALID}: silver rows (not yet de-duplicated), each timestamped with its {@code
 * event_time}; and {@link #QUARANTINED}: every record that failed, with its original bytes, the
 * stage ({@code parse} or {@code validate}), the rule and a human-readable reason. Nothing is
 * dropped: each input lands in exactly one output.
 *
 * <p>Per bundle it also outputs the Kafka offsets each table will not get a row for: {@link
 * #SILVER_ACCOUNTED_WITHOUT_ROWS} (records quarantined, which silver accounts for without a row)
 * and {@link #QUARANTINE_ACCOUNTED_WITHOUT_ROWS} (valid records, which quarantine accounts for
 * without a row). See {@link io.tributary.pipelines.offsets.OffsetRanges}.
 */
public final class ParseEvents extends PTransform<PCollection<Row>, PCollectionTuple> {
  public static final TupleTag<Row> VALID = new TupleTag<>() {};
  public static final TupleTag<Row> QUARANTINED = new TupleTag<>() {};
  public static final TupleTag<OffsetRanges> SILVER_ACCOUNTED_WITHOUT_ROWS = new TupleTag<>() {};
  public static final TupleTag<OffsetRanges> QUARANTINE_ACCOUNTED_WITHOUT_ROWS =
      new TupleTag<>() {};

  private final String dataset;

  public ParseEvents(String dataset) {
    this.dataset = dataset;
  }

  @Override
  public PCollectionTuple expand(PCollection<Row> bronze) {
    PCollectionTuple outputs =
        bronze.apply(
            "ParseAndValidate",
            ParDo.of(new ParseFn(dataset))
                .withOutputTags(
                    VALID,
                    TupleTagList.of(QUARANTINED)
                        .and(SILVER_ACCOUNTED_WITHOUT_ROWS)
                        .and(QUARANTINE_ACCOUNTED_WITHOUT_ROWS)));
    outputs.get(VALID).setRowSchema(SilverSchema.of(Contract.forDataset(dataset)));
    outputs.get(QUARANTINED).setRowSchema(QuarantineSchema.SCHEMA);
    outputs.get(SILVER_ACCOUNTED_WITHOUT_ROWS).setCoder(SerializableCoder.of(OffsetRanges.class));
    outputs
        .get(QUARANTINE_ACCOUNTED_WITHOUT_ROWS)
        .setCoder(SerializableCoder.of(OffsetRanges.class));
    return outputs;
  }

  static final class ParseFn extends DoFn<Row, Row> {
    private final String dataset;
    private final String namespace;
    private final Counter valid;
    private transient Contract contract;
    private transient RecordParser parser;
    private transient Map<String, Counter> quarantinedByReason;
    private transient OffsetRanges notValid;
    private transient OffsetRanges notQuarantined;
    // Counted per bundle and added to the counters once: a runner may report metrics after every
    // element (the DirectRunner does), which costs per updated counter.
    private transient long validInBundle;
    private transient Map<String, Long> quarantinedInBundle;

    ParseFn(String dataset) {
      this.dataset = dataset;
      this.namespace = "tributary." + dataset;
      this.valid = Metrics.counter(namespace, "parsed_valid");
    }

    @Setup
    public void setup() {
      contract = Contract.forDataset(dataset);
      parser = new RecordParser(dataset);
      quarantinedByReason = new HashMap<>();
    }

    @StartBundle
    public void startBundle() {
      notValid = OffsetRanges.empty();
      notQuarantined = OffsetRanges.empty();
      validInBundle = 0;
      quarantinedInBundle = new HashMap<>();
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      valid.inc(validInBundle);
      quarantinedInBundle.forEach(
          (reason, count) ->
              quarantinedByReason
                  .computeIfAbsent(reason, name -> Metrics.counter(namespace, name))
                  .inc(count));
      // Offsets carry no event time: they go to the global window, where the writers batch them.
      if (!notValid.isEmpty()) {
        context.output(
            SILVER_ACCOUNTED_WITHOUT_ROWS,
            notValid,
            GlobalWindow.INSTANCE.maxTimestamp(),
            GlobalWindow.INSTANCE);
      }
      if (!notQuarantined.isEmpty()) {
        context.output(
            QUARANTINE_ACCOUNTED_WITHOUT_ROWS,
            notQuarantined,
            GlobalWindow.INSTANCE.maxTimestamp(),
            GlobalWindow.INSTANCE);
      }
    }

    @ProcessElement
    public void process(@Element Row record, MultiOutputReceiver out) {
      byte[] payload = record.getBytes(BronzeSchema.VALUE);
      ParseOutcome outcome =
          parser.parse(payload, record.getDateTime(BronzeSchema.KAFKA_TIMESTAMP).getMillis());
      long ingest = record.getDateTime(BronzeSchema.INGEST_TIME).getMillis();
      int partition = record.getInt32(BronzeSchema.PARTITION);
      long offset = record.getInt64(BronzeSchema.OFFSET);
      if (outcome instanceof Valid event) {
        validInBundle++;
        notQuarantined.add(partition, offset);
        Row row = SilverSchema.row(contract, event.values(), partition, offset, ingest);
        // Within Beam's timestamps: the contract bounds event_time to years 1900 to 9999. In
        // streaming the element already has this timestamp (EventTimePolicy parses alike).
        out.get(VALID).outputWithTimestamp(row, new Instant(parser.eventTimeMillis(event)));
        return;
      }
      notValid.add(partition, offset);
      Rejected rejected = (Rejected) outcome;
      String reason = "quarantined." + rejected.stage().label() + "." + rejected.rule();
      quarantinedInBundle.merge(reason, 1L, Long::sum);
      out.get(QUARANTINED)
          .output(
              Row.withSchema(QuarantineSchema.SCHEMA)
                  .addValues(
                      payload,
                      record.getBytes(BronzeSchema.KEY),
                      record.getString(BronzeSchema.TOPIC),
                      partition,
                      offset,
                      record.getDateTime(BronzeSchema.KAFKA_TIMESTAMP),
                      rejected.stage().label(),
                      rejected.rule(),
                      rejected.field(),
                      rejected.reason(),
                      record.getDateTime(BronzeSchema.INGEST_TIME))
                  .build());
    }
  }
}
