package io.tributary.pipelines.datasets.transactions;

import io.tributary.pipelines.gold.GoldSettings;
import io.tributary.pipelines.gold.GoldViews;
import io.tributary.pipelines.gold.GoldWindows;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/** The transactions dataset's gold views: spend per category, and alerts. */
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

  // Step names start with the dataset, like the other layers' steps, so that runner metrics
  // (late drops) can be attributed to it.
  @Override
  public Map<String, PCollection<Row>> expand(PCollection<Row> silver, GoldSettings settings) {
    return Map.of(
        ComputeCategorySpend.VIEW,
        silver.apply(
            DATASET + "/ComputeCategorySpend",
            new ComputeCategorySpend(settings.allowedLateness())),
        FlagSuspiciousTransactions.VIEW,
        silver.apply(
            DATASET + "/FlagSuspiciousTransactions",
            new FlagSuspiciousTransactions(
                settings.largeAmountThreshold(),
                settings.burstTransactions(),
                settings.allowedLateness())));
  }
}
