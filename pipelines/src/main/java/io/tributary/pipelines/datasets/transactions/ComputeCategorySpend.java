package io.tributary.pipelines.datasets.transactions;

import io.tributary.pipelines.combine.CombinePerKey;
import io.tributary.pipelines.gold.Aggregate;
import io.tributary.pipelines.gold.FormatViewRows;
import io.tributary.pipelines.gold.GoldWindows;
import io.tributary.pipelines.silver.SilverSchema;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.FixedPrecisionNumeric;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Spend per merchant category and currency and minute of event time ({@value #VIEW}): how many
 * transactions, and their total, average and largest amount. Amounts stay exact decimals with 2
 * places; the average is rounded half-even. Currencies are never mixed, so totals are meaningful.
 *
 * <p>Input: transactions silver rows timestamped with their event time. Output panes follow {@link
 * GoldWindows}: one ON_TIME row per (window, category, currency), then a LATE row with the
 * accumulated values for each late transaction within the allowed lateness.
 */
public final class ComputeCategorySpend extends PTransform<PCollection<Row>, PCollection<Row>> {
  public static final String VIEW = "transactions_by_category_1m";
  public static final Duration WINDOW_SIZE = Duration.standardMinutes(1);
  public static final int AMOUNT_SCALE = 2;
  public static final FieldType AMOUNT =
      FieldType.logicalType(FixedPrecisionNumeric.of(SilverSchema.DECIMAL_PRECISION, AMOUNT_SCALE));

  public static final Schema SCHEMA =
      GoldWindows.viewSchema(
          Field.of("merchant_category", FieldType.STRING),
          Field.of("currency", FieldType.STRING),
          Field.of("transactions", FieldType.INT64),
          Field.of("total_amount", AMOUNT),
          Field.of("avg_amount", AMOUNT),
          Field.of("max_amount", AMOUNT));

  private final Duration allowedLateness;

  public ComputeCategorySpend(Duration allowedLateness) {
    this.allowedLateness = allowedLateness;
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> transactions) {
    return transactions
        .apply(
            "KeyByCategoryAndCurrency",
            WithKeys.of(
                    (Row transaction) ->
                        KV.of(
                            transaction.getString("merchant_category"),
                            transaction.getString("currency")))
                .withKeyType(
                    TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings())))
        .apply(
            "WindowByMinute",
            GoldWindows.<KV<KV<String, String>, Row>>tumbling(WINDOW_SIZE, allowedLateness))
        .apply("CombineAmounts", CombinePerKey.of(Aggregate.combineFn(Spend.EMPTY)))
        .apply(
            "FormatRows",
            FormatViewRows.of(
                SCHEMA,
                (KV<String, String> categoryAndCurrency, Spend spend) ->
                    List.of(
                        categoryAndCurrency.getKey(),
                        categoryAndCurrency.getValue(),
                        spend.transactions(),
                        scaled(spend.total()),
                        spend.average(),
                        scaled(spend.max()))));
  }

  /** Silver amounts already have 2 places; this only guards the column's exact scale. */
  private static BigDecimal scaled(BigDecimal amount) {
    return amount.setScale(AMOUNT_SCALE, RoundingMode.HALF_EVEN);
  }

  /**
   * One key's transactions in one window. Immutable, so that it can be both the accumulator and the
   * result without a pane's output being changed by a later addition.
   */
  @DefaultCoder(SerializableCoder.class)
  record Spend(long transactions, BigDecimal total, BigDecimal max) implements Aggregate<Spend> {
    static final Spend EMPTY = new Spend(0, BigDecimal.ZERO, null);

    @Override
    public Spend add(Row transaction) {
      BigDecimal amount = transaction.getValue("amount");
      return merge(new Spend(1, amount, amount));
    }

    BigDecimal average() {
      return total.divide(BigDecimal.valueOf(transactions), AMOUNT_SCALE, RoundingMode.HALF_EVEN);
    }

    @Override
    public Spend merge(Spend other) {
      BigDecimal largest = max == null ? other.max : other.max == null ? max : max.max(other.max);
      return new Spend(transactions + other.transactions, total.add(other.total), largest);
    }
  }
}
