package io.tributary.pipelines.datasets.transactions;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The transactions dataset's own options: the rules of {@code transaction_alerts}. Declared by
 * {@link TransactionsGoldViews#options()}, so {@code ./tributary run} accepts and lists them.
 */
public interface TransactionsOptions extends PipelineOptions {

  @Description("transaction_alerts: amounts above this raise a large_amount alert.")
  @Default.String("5000.00")
  String getLargeAmountThreshold();

  void setLargeAmountThreshold(String value);

  @Description(
      "transaction_alerts: more than this many transactions on one account within one minute raise a burst"
          + " alert.")
  @Default.Integer(5)
  int getBurstTransactions();

  void setBurstTransactions(int value);
}
