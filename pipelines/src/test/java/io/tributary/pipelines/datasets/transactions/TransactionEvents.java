package io.tributary.pipelines.datasets.transactions;

import io.tributary.contracts.Contract;
import io.tributary.pipelines.silver.SilverSchema;
import java.math.BigDecimal;
import java.util.UUID;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;

/** Transactions silver rows for tests, placed in event time around {@link #BASE}. */
final class TransactionEvents {
  static final Schema SILVER = SilverSchema.of(Contract.forDataset("transactions"));
  static final Instant BASE = Instant.parse("2026-05-01T10:00:00Z");

  private TransactionEvents() {}

  /** A transaction {@code second}s after {@link #BASE}, timestamped with its event time. */
  static TimestampedValue<Row> event(
      String transactionId,
      String accountId,
      String category,
      String currency,
      int second,
      String amount) {
    Instant eventTime = BASE.plus(Duration.standardSeconds(second));
    Row transaction =
        Row.withSchema(SILVER)
            .withFieldValue("event_id", UUID.randomUUID().toString())
            .withFieldValue("transaction_id", transactionId)
            .withFieldValue("account_id", accountId)
            .withFieldValue("event_time", eventTime)
            .withFieldValue("amount", new BigDecimal(amount))
            .withFieldValue("currency", currency)
            .withFieldValue("merchant_category", category)
            .withFieldValue("channel", "pos")
            .withFieldValue("card_present", true)
            .withFieldValue(SilverSchema.KAFKA_PARTITION, 0)
            .withFieldValue(SilverSchema.KAFKA_OFFSET, (long) second)
            .withFieldValue(SilverSchema.INGEST_TIME, eventTime)
            .build();
    return TimestampedValue.of(transaction, eventTime);
  }
}
