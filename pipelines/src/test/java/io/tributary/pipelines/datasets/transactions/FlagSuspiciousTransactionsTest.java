package io.tributary.pipelines.datasets.transactions;

import static io.tributary.pipelines.datasets.transactions.FlagSuspiciousTransactions.BURST;
import static io.tributary.pipelines.datasets.transactions.FlagSuspiciousTransactions.LARGE_AMOUNT;
import static io.tributary.pipelines.datasets.transactions.TransactionEvents.BASE;
import static io.tributary.pipelines.datasets.transactions.TransactionEvents.SILVER;

import io.tributary.pipelines.combine.CombineOptions;
import java.math.BigDecimal;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.testing.UsesTestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.experimental.categories.Category;

public class FlagSuspiciousTransactionsTest {
  private static final Duration ALLOWED_LATENESS = Duration.standardMinutes(2);
  private static final Instant WINDOW_END = BASE.plus(Duration.standardMinutes(1));
  private static final BigDecimal THRESHOLD = new BigDecimal("5000.00");

  /** More than 2 transactions on an account in a minute is a burst. */
  private static final FlagSuspiciousTransactions FLAG =
      new FlagSuspiciousTransactions(THRESHOLD, 2, ALLOWED_LATENESS);

  @Rule public final transient TestPipeline p = TestPipeline.create();

  @Category(UsesTestStream.class)
  @Test
  public void burstInAWindowFlagsEachOfItsTransactionsOnTime() {
    TestStream<Row> transactions =
        TestStream.create(RowCoder.of(SILVER))
            .advanceWatermarkTo(BASE)
            .addElements(event("T1", "AC-1", 5), event("T2", "AC-1", 6), event("T3", "AC-1", 50))
            // two on another account stay within the limit
            .addElements(event("T4", "AC-2", 7), event("T5", "AC-2", 8))
            .advanceWatermarkToInfinity();

    String detail = "3 transactions on AC-1 between 10:00 and 10:01";
    PAssert.that(p.apply(transactions).apply(FLAG))
        .containsInAnyOrder(
            burst("T1", "AC-1", 5, detail, 0),
            burst("T2", "AC-1", 6, detail, 0),
            burst("T3", "AC-1", 50, detail, 0));
    p.run().waitUntilFinish();
  }

  @Category(UsesTestStream.class)
  @Test
  public void lateTransactionWithinAllowedLatenessReFlagsTheWholeBurst() {
    TestStream<Row> transactions =
        TestStream.create(RowCoder.of(SILVER))
            .advanceWatermarkTo(BASE)
            .addElements(event("T1", "AC-1", 5), event("T2", "AC-1", 6), event("T3", "AC-1", 50))
            .advanceWatermarkTo(WINDOW_END.plus(Duration.standardSeconds(30)))
            .addElements(event("T4", "AC-1", 59))
            .advanceWatermarkToInfinity();

    String onTime = "3 transactions on AC-1 between 10:00 and 10:01";
    String late = "4 transactions on AC-1 between 10:00 and 10:01";
    PAssert.that(p.apply(transactions).apply(FLAG))
        .containsInAnyOrder(
            burst("T1", "AC-1", 5, onTime, 0),
            burst("T2", "AC-1", 6, onTime, 0),
            burst("T3", "AC-1", 50, onTime, 0),
            burst("T1", "AC-1", 5, late, 1),
            burst("T2", "AC-1", 6, late, 1),
            burst("T3", "AC-1", 50, late, 1),
            burst("T4", "AC-1", 59, late, 1));
    p.run().waitUntilFinish();
  }

  @Category(UsesTestStream.class)
  @Test
  public void transactionBeyondAllowedLatenessDoesNotChangeTheBurst() {
    TestStream<Row> transactions =
        TestStream.create(RowCoder.of(SILVER))
            .advanceWatermarkTo(BASE)
            .addElements(event("T1", "AC-1", 5), event("T2", "AC-1", 6), event("T3", "AC-1", 50))
            .advanceWatermarkTo(WINDOW_END.plus(ALLOWED_LATENESS).plus(Duration.standardSeconds(1)))
            .addElements(event("T4", "AC-1", 59))
            .advanceWatermarkToInfinity();

    String detail = "3 transactions on AC-1 between 10:00 and 10:01";
    PAssert.that(p.apply(transactions).apply(FLAG))
        .containsInAnyOrder(
            burst("T1", "AC-1", 5, detail, 0),
            burst("T2", "AC-1", 6, detail, 0),
            burst("T3", "AC-1", 50, detail, 0));
    p.run().waitUntilFinish();
  }

  @Test
  public void amountsAboveTheThresholdAreFlaggedWithoutAWindow() {
    PCollection<Row> transactions =
        p.apply(
            Create.timestamped(
                    event("T1", "AC-1", "grocery", 5, "12000.00"),
                    event("T2", "AC-2", "grocery", 70, "5000.00"), // equal is not above
                    event("T3", "AC-3", "grocery", 130, "5000.01"),
                    event("T4", "AC-4", "grocery", 190, "4999.99"))
                .withCoder(RowCoder.of(SILVER)));

    PAssert.that(transactions.apply(FLAG))
        .containsInAnyOrder(
            large("T1", "AC-1", 5, "12000.00", "amount 12000.00 above 5000.00"),
            large("T3", "AC-3", 130, "5000.01", "amount 5000.01 above 5000.00"));
    p.run().waitUntilFinish();
  }

  @Test
  public void boundedBurstsAreFlaggedPerAccountAndMinute() {
    assertBoundedBursts();
  }

  /**
   * A small cycle groups all accounts of a window under one key: an account under the limit stays
   * unflagged beside one over it.
   */
  @Test
  public void boundedBurstsAreFlaggedPerAccountWhenAccountsShareAGroup() {
    p.getOptions().as(CombineOptions.class).setMergeKeys(1);
    assertBoundedBursts();
  }

  private void assertBoundedBursts() {
    PCollection<Row> transactions =
        p.apply(
            Create.timestamped(
                    // AC-1: 3 in 10:00 (burst), 2 in 10:01 (not), one of them also large
                    event("T1", "AC-1", 0),
                    event("T2", "AC-1", 30),
                    event("T3", "AC-1", 59),
                    event("T4", "AC-1", 60),
                    event("T5", "AC-1", "grocery", 61, "9000.00"),
                    // AC-2: 3 in 10:01 (burst)
                    event("T6", "AC-2", 70),
                    event("T7", "AC-2", 80),
                    event("T8", "AC-2", 90))
                .withCoder(RowCoder.of(SILVER)));

    String first = "3 transactions on AC-1 between 10:00 and 10:01";
    String second = "3 transactions on AC-2 between 10:01 and 10:02";
    PAssert.that(transactions.apply(FLAG))
        .containsInAnyOrder(
            burst("T1", "AC-1", 0, first, 0),
            burst("T2", "AC-1", 30, first, 0),
            burst("T3", "AC-1", 59, first, 0),
            burst("T6", "AC-2", 70, second, 0),
            burst("T7", "AC-2", 80, second, 0),
            burst("T8", "AC-2", 90, second, 0),
            large("T5", "AC-1", 61, "9000.00", "amount 9000.00 above 5000.00"));
    p.run().waitUntilFinish();
  }

  /** A small transaction on {@code accountId}, {@code second}s after the base time. */
  private static TimestampedValue<Row> event(String transactionId, String accountId, int second) {
    return event(transactionId, accountId, "grocery", second, "25.00");
  }

  private static TimestampedValue<Row> event(
      String transactionId, String accountId, String category, int second, String amount) {
    return TransactionEvents.event(transactionId, accountId, category, "EUR", second, amount);
  }

  private static Row burst(
      String transactionId, String accountId, int second, String detail, long paneIndex) {
    Instant eventTime = BASE.plus(Duration.standardSeconds(second));
    Instant windowStart = eventTime.minus(Duration.standardSeconds(second % 60));
    return alert(transactionId, accountId, eventTime, "25.00", BURST, detail)
        .addValues(windowStart, windowStart.plus(Duration.standardMinutes(1)), paneIndex)
        .build();
  }

  private static Row large(
      String transactionId, String accountId, int second, String amount, String detail) {
    Instant eventTime = BASE.plus(Duration.standardSeconds(second));
    return alert(transactionId, accountId, eventTime, amount, LARGE_AMOUNT, detail)
        .addValues(null, null, 0L)
        .build();
  }

  private static Row.Builder alert(
      String transactionId,
      String accountId,
      Instant eventTime,
      String amount,
      String rule,
      String detail) {
    return Row.withSchema(FlagSuspiciousTransactions.SCHEMA)
        .addValues(
            transactionId, accountId, eventTime, new BigDecimal(amount), "EUR", rule, detail);
  }
}
