package io.tributary.pipelines.options;

import io.tributary.pipelines.runner.RunnerOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Every option of {@code ./tributary run}. */
public interface MedallionOptions extends KafkaSourceOptions, LakehouseOptions, RunnerOptions {

  @Description("Datasets to run: a name, a comma-separated list, or all.")
  @Validation.Required
  String getDataset();

  void setDataset(String value);

  @Description(
      "Drain mode: read every partition from the position recorded in the lakehouse up to the end offsets"
          + " taken at start, process it all, flush every window, commit and exit.")
  @Default.Boolean(false)
  boolean getDrain();

  void setDrain(boolean value);

  @Description(
      "Streaming: minutes after a gold window closes during which late events still update it; later events"
          + " reach silver only (and are counted).")
  @Default.Integer(5)
  int getAllowedLatenessMinutes();

  void setAllowedLatenessMinutes(int value);

  @Description(
      "Streaming: minutes an event_id is remembered to drop duplicates (de-duplication horizon).")
  @Default.Integer(60)
  int getDedupeHorizonMinutes();

  void setDedupeHorizonMinutes(int value);

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
