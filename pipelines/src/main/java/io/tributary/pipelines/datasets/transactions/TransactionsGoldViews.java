package io.tributary.pipelines.datasets.transactions;

import io.tributary.pipelines.gold.GoldSettings;
import io.tributary.pipelines.gold.GoldViews;
import io.tributary.pipelines.gold.GoldWindows;
import io.tributary.pipelines.options.OptionChecks;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;

/**
 * The transactions dataset's gold views: spend per category, and alerts, whose rules are the
 * dataset's own options ({@link TransactionsOptions}).
 */
public final class TransactionsGoldViews implements GoldViews {
  private static final long serialVersionUID = 1L;

  public static final String DATASET = "transactions";

  @Override
  public String dataset() {
    return DATASET;
  }

  @Override
  public List<String> keyColumns(String view, Schema schema) {
    return view.equals(FlagSuspiciousTransactions.VIEW)
        ? List.of("transaction_id", "rule")
        : List.of(GoldWindows.WINDOW_START, "merchant_category", "currency");
  }

  @Override
  public Duration windowSize() {
    return Collections.max(
        List.of(ComputeCategorySpend.WINDOW_SIZE, FlagSuspiciousTransactions.BURST_WINDOW_SIZE));
  }

  @Override
  public List<Class<? extends PipelineOptions>> options() {
    return List.of(TransactionsOptions.class);
  }

  @Override
  public void validate(PipelineOptions options) {
    largeAmountThreshold(options);
    burstTransactions(options);
  }

  // Step names start with the dataset, like the other layers' steps, so that runner metrics
  // (late drops) can be attributed to it.
  @Override
  public Map<String, PCollection<Row>> expand(PCollection<Row> silver, GoldSettings settings) {
    PipelineOptions options = silver.getPipeline().getOptions();
    return Map.of(
        ComputeCategorySpend.VIEW,
        silver.apply(
            DATASET + "/ComputeCategorySpend",
            new ComputeCategorySpend(settings.allowedLateness())),
        FlagSuspiciousTransactions.VIEW,
        silver.apply(
            DATASET + "/FlagSuspiciousTransactions",
            new FlagSuspiciousTransactions(
                largeAmountThreshold(options),
                burstTransactions(options),
                settings.allowedLateness())));
  }

  private static BigDecimal largeAmountThreshold(PipelineOptions options) {
    return OptionChecks.positiveAmount(
        "largeAmountThreshold", options.as(TransactionsOptions.class).getLargeAmountThreshold());
  }

  private static int burstTransactions(PipelineOptions options) {
    return OptionChecks.atLeast(
        "burstTransactions", options.as(TransactionsOptions.class).getBurstTransactions(), 1);
  }
}
