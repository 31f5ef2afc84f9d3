package io.tributary.pipelines.datasets.transactions;

import io.tributary.pipelines.combine.CombineOptions;
import io.tributary.pipelines.gold.GoldWindows;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.joda.time.format.DateTimeFormat;
import org.joda.time.format.DateTimeFormatter;

/**
 * Alerts on suspicious transactions ({@value #VIEW}), one row per flagged transaction and rule.
 *
 * <ul>
 *   <li>{@value #LARGE_AMOUNT}: the amount is above a threshold. Decided per element and emitted at
 *       once, without window columns and with pane_index 0.
 *   <li>{@value #BURST}: more than a limit of transactions on one account fall in one {@link
 *       GoldWindows} minute of event time. Every transaction of that account-window is flagged when
 *       the window fires. A late transaction within the allowed lateness fires the window again
 *       with the whole accumulated group and a higher pane_index, so readers de-duplicate by
 *       (transaction_id, rule) keeping the highest pane_index.
 * </ul>
 *
 * <p>The output is in the global window with the default trigger, whatever the input's windowing.
 */
public final class FlagSuspiciousTransactions
    extends PTransform<PCollection<Row>, PCollection<Row>> {
  public static final String VIEW = "transaction_alerts";
  public static final String LARGE_AMOUNT = "large_amount";
  public static final String BURST = "burst";
  public static final Duration BURST_WINDOW_SIZE = Duration.standardMinutes(1);

  public static final Schema SCHEMA =
      Schema.builder()
          .addStringField("transaction_id")
          .addStringField("account_id")
          .addDateTimeField("event_time")
          .addField("amount", ComputeCategorySpend.AMOUNT)
          .addStringField("currency")
          .addStringField("rule")
          .addStringField("detail")
          .addNullableField(GoldWindows.WINDOW_START, FieldType.DATETIME)
          .addNullableField(GoldWindows.WINDOW_END, FieldType.DATETIME)
          .addInt64Field(GoldWindows.PANE_INDEX)
          .build();

  private static final DateTimeFormatter MINUTE = DateTimeFormat.forPattern("HH:mm").withZoneUTC();

  private final BigDecimal largeAmountThreshold;
  private final int burstTransactions;
  private final Duration allowedLateness;

  /**
   * @param largeAmountThreshold amounts above this raise {@value #LARGE_AMOUNT}
   * @param burstTransactions more than this many transactions on one account in one window raise
   *     {@value #BURST}
   * @param allowedLateness how long after a burst window closes late transactions still update it
   */
  public FlagSuspiciousTransactions(
      BigDecimal largeAmountThreshold, int burstTransactions, Duration allowedLateness) {
    this.largeAmountThreshold = largeAmountThreshold;
    this.burstTransactions = burstTransactions;
    this.allowedLateness = allowedLateness;
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> transactions) {
    PCollection<Row> largeAmounts =
        transactions
            .apply("FlagLargeAmounts", ParDo.of(new FlagLargeAmountFn(largeAmountThreshold)))
            .setRowSchema(SCHEMA)
            .apply("LargeAmountsIntoGlobalWindow", intoGlobalWindow());
    // A drain or cycle groups the accounts of each window under a few keys (the combines' merge
    // keys), not one key per account: on the DirectRunner every key of a group-by-key becomes a
    // bundle of its own in each step after it, and thousands of one-account bundles cost more in
    // per-bundle bookkeeping than the alerts themselves. A stream keeps one key per account, so
    // that
    // a late transaction fires its own account's window again, not its neighbours'.
    int mergeKeys =
        Math.max(
            1, transactions.getPipeline().getOptions().as(CombineOptions.class).getMergeKeys());
    boolean bounded = transactions.isBounded() == PCollection.IsBounded.BOUNDED;
    PCollection<Row> bursts =
        transactions
            .apply(
                "KeyByAccount",
                WithKeys.of(
                        (Row transaction) ->
                            bounded
                                ? Integer.toString(
                                    Math.floorMod(
                                        transaction.getString("account_id").hashCode(), mergeKeys))
                                : transaction.getString("account_id"))
                    .withKeyType(TypeDescriptors.strings()))
            .apply(
                "WindowByMinute",
                GoldWindows.<KV<String, Row>>tumbling(BURST_WINDOW_SIZE, allowedLateness))
            .apply("GroupByAccount", GroupByKey.create())
            .apply("FlagBursts", ParDo.of(new FlagBurstFn(burstTransactions)))
            .setRowSchema(SCHEMA)
            .apply("BurstsIntoGlobalWindow", intoGlobalWindow());
    return PCollectionList.of(largeAmounts)
        .and(bursts)
        .apply("MergeAlerts", Flatten.pCollections())
        .setRowSchema(SCHEMA);
  }

  /**
   * Flatten rejects inputs whose window functions or triggers differ, and the burst rule leaves its
   * windows with a late-firing trigger: both rules' alerts are reset to one windowing before they
   * are merged. This only relabels elements; nothing is held back or dropped.
   */
  private static Window<Row> intoGlobalWindow() {
    return Window.<Row>into(new GlobalWindows())
        .triggering(DefaultTrigger.of())
        .withAllowedLateness(Duration.ZERO)
        .discardingFiredPanes();
  }

  private static Row alert(
      Row transaction,
      String rule,
      String detail,
      Instant windowStart,
      Instant windowEnd,
      long paneIndex) {
    return Row.withSchema(SCHEMA)
        .addValues(
            transaction.getString("transaction_id"),
            transaction.getString("account_id"),
            transaction.getDateTime("event_time"),
            transaction.getValue("amount"),
            transaction.getString("currency"))
        .addValues(rule, detail, windowStart, windowEnd, paneIndex)
        .build();
  }

  private static final class FlagLargeAmountFn extends DoFn<Row, Row> {
    private final BigDecimal threshold;

    FlagLargeAmountFn(BigDecimal threshold) {
      this.threshold = threshold;
    }

    @ProcessElement
    public void process(@Element Row transaction, OutputReceiver<Row> out) {
      BigDecimal amount = transaction.getValue("amount");
      if (amount.compareTo(threshold) > 0) {
        String detail = "amount " + amount.toPlainString() + " above " + threshold.toPlainString();
        out.output(alert(transaction, LARGE_AMOUNT, detail, null, null, 0));
      }
    }
  }

  /** Flags the accounts of a group (one account, or a hash bucket of them) with a burst. */
  private static final class FlagBurstFn extends DoFn<KV<String, Iterable<Row>>, Row> {
    private final int limit;

    FlagBurstFn(int limit) {
      this.limit = limit;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<Row>> group,
        IntervalWindow window,
        PaneInfo pane,
        OutputReceiver<Row> out) {
      Map<String, List<Row>> byAccount = new HashMap<>();
      for (Row transaction : group.getValue()) {
        byAccount
            .computeIfAbsent(transaction.getString("account_id"), account -> new ArrayList<>())
            .add(transaction);
      }
      byAccount.forEach(
          (account, transactions) -> {
            if (transactions.size() <= limit) {
              return;
            }
            String detail =
                transactions.size()
                    + " transactions on "
                    + account
                    + " between "
                    + MINUTE.print(window.start())
                    + " and "
                    + MINUTE.print(window.end());
            for (Row transaction : transactions) {
              out.output(
                  alert(transaction, BURST, detail, window.start(), window.end(), pane.getIndex()));
            }
          });
    }
  }
}
