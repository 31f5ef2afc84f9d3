package io.tributary.pipelines.datasets.transactions;

import static io.tributary.pipelines.datasets.transactions.TransactionEvents.BASE;
import static io.tributary.pipelines.datasets.transactions.TransactionEvents.SILVER;
import static io.tributary.pipelines.datasets.transactions.TransactionEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.testing.UsesTestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.experimental.categories.Category;

public class ComputeCategorySpendTest {
  private static final Duration ALLOWED_LATENESS = Duration.standardMinutes(2);
  private static final Instant WINDOW_END = BASE.plus(Duration.standardMinutes(1));

  @Rule public final transient TestPipeline p = TestPipeline.create();

  @Category(UsesTestStream.class)
  @Test
  public void transactionsInAWindowGiveOneOnTimeRowPerCategoryAndCurrency() {
    TestStream<Row> transactions =
        TestStream.create(RowCoder.of(SILVER))
            .advanceWatermarkTo(BASE)
            .addElements(
                event("T1", "AC-1", "grocery", "EUR", 5, "10.00"),
                event("T2", "AC-2", "grocery", "EUR", 20, "20.01"),
                event("T3", "AC-1", "grocery", "EUR", 30, "0.01"),
                event("T4", "AC-1", "grocery", "USD", 40, "99.99"),
                event("T5", "AC-3", "travel", "EUR", 50, "1200.50"))
            .advanceWatermarkToInfinity();

    PAssert.that(p.apply(transactions).apply(new ComputeCategorySpend(ALLOWED_LATENESS)))
        .containsInAnyOrder(
            // 30.02 / 3 = 10.00666... rounds to 10.01
            row(BASE, "grocery", "EUR", 3, "30.02", "10.01", "20.01", 0, "ON_TIME"),
            row(BASE, "grocery", "USD", 1, "99.99", "99.99", "99.99", 0, "ON_TIME"),
            row(BASE, "travel", "EUR", 1, "1200.50", "1200.50", "1200.50", 0, "ON_TIME"));
    p.run().waitUntilFinish();
  }

  @Category(UsesTestStream.class)
  @Test
  public void lateTransactionWithinAllowedLatenessReEmitsTheAccumulatedWindow() {
    TestStream<Row> transactions =
        TestStream.create(RowCoder.of(SILVER))
            .advanceWatermarkTo(BASE)
            .addElements(event("T1", "AC-1", "grocery", "EUR", 5, "10.00"))
            .advanceWatermarkTo(WINDOW_END.plus(Duration.standardSeconds(30)))
            .addElements(event("T2", "AC-2", "grocery", "EUR", 59, "10.05"))
            .advanceWatermarkToInfinity();

    PAssert.that(p.apply(transactions).apply(new ComputeCategorySpend(ALLOWED_LATENESS)))
        .containsInAnyOrder(
            row(BASE, "grocery", "EUR", 1, "10.00", "10.00", "10.00", 0, "ON_TIME"),
            // 20.05 / 2 = 10.025 rounds half-even to 10.02
            row(BASE, "grocery", "EUR", 2, "20.05", "10.02", "10.05", 1, "LATE"));
    p.run().waitUntilFinish();
  }

  @Category(UsesTestStream.class)
  @Test
  public void transactionBeyondAllowedLatenessDoesNotChangeTheWindow() {
    TestStream<Row> transactions =
        TestStream.create(RowCoder.of(SILVER))
            .advanceWatermarkTo(BASE)
            .addElements(event("T1", "AC-1", "grocery", "EUR", 5, "10.00"))
            .advanceWatermarkTo(WINDOW_END.plus(ALLOWED_LATENESS).plus(Duration.standardSeconds(1)))
            .addElements(event("T2", "AC-2", "grocery", "EUR", 59, "10.05"))
            .advanceWatermarkToInfinity();

    PAssert.that(p.apply(transactions).apply(new ComputeCategorySpend(ALLOWED_LATENESS)))
        .containsInAnyOrder(
            row(BASE, "grocery", "EUR", 1, "10.00", "10.00", "10.00", 0, "ON_TIME"));
    p.run().waitUntilFinish();
  }

  @Test
  public void boundedTransactionsAreSummedPerKeyAndMinute() {
    PCollection<Row> transactions =
        p.apply(
            Create.timestamped(
                    event("T1", "AC-1", "grocery", "EUR", 0, "0.10"),
                    event("T2", "AC-1", "grocery", "EUR", 59, "0.20"),
                    event("T3", "AC-1", "grocery", "EUR", 60, "5000.00"),
                    event("T4", "AC-2", "fuel", "EUR", 61, "40.00"),
                    event("T5", "AC-2", "fuel", "EUR", 119, "60.00"))
                .withCoder(RowCoder.of(SILVER)));

    PAssert.that(transactions.apply(new ComputeCategorySpend(ALLOWED_LATENESS)))
        .containsInAnyOrder(
            // 0.10 + 0.20 stays exactly 0.30 (a double would not); 0.15 is exact
            row(BASE, "grocery", "EUR", 2, "0.30", "0.15", "0.20", 0, "ON_TIME"),
            row(WINDOW_END, "grocery", "EUR", 1, "5000.00", "5000.00", "5000.00", 0, "ON_TIME"),
            row(WINDOW_END, "fuel", "EUR", 2, "100.00", "50.00", "60.00", 0, "ON_TIME"));
    p.run().waitUntilFinish();
  }

  @Test
  public void spendSurvivesItsCoder() throws Exception {
    ComputeCategorySpend.Spend spend =
        ComputeCategorySpend.Spend.EMPTY.add(
            event("T1", "AC-1", "grocery", "EUR", 0, "12.34").getValue());

    assertThat(CoderUtils.clone(SerializableCoder.of(ComputeCategorySpend.Spend.class), spend))
        .isEqualTo(spend);
  }

  private static Row row(
      Instant windowStart,
      String category,
      String currency,
      long transactions,
      String totalAmount,
      String avgAmount,
      String maxAmount,
      long paneIndex,
      String paneTiming) {
    return Row.withSchema(ComputeCategorySpend.SCHEMA)
        .addValues(windowStart, windowStart.plus(ComputeCategorySpend.WINDOW_SIZE))
        .addValues(category, currency, transactions)
        .addValues(new BigDecimal(totalAmount), new BigDecimal(avgAmount))
        .addValues(new BigDecimal(maxAmount), paneIndex, paneTiming)
        .build();
  }
}
