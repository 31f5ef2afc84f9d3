package io.tributary.pipelines.options;

import io.tributary.pipelines.runner.RunnerOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/**
 * The options of {@code ./tributary run} every dataset shares; a dataset's own options are declared
 * by its gold views ({@code GoldViews.options()}).
 */
public interface MedallionOptions
    extends KafkaSourceOptions,
        FailoverOptions,
        LakehouseOptions,
        RunnerOptions,
        io.tributary.pipelines.combine.CombineOptions {

  @Description("Datasets to run: a name, a comma-separated list, or all.")
  @Validation.Required
  String getDataset();

  void setDataset(String value);

  @Description(
      "Drain mode: read every partition from the position recorded in the lakehouse up to the end offsets"
          + " taken at start, in cycles of at most --maxEventsPerCycle records, commit each and exit"
          + " (Spark's Trigger.AvailableNow).")
  @Default.Boolean(false)
  boolean getDrain();

  void setDrain(boolean value);

  @Description(
      "Streaming: how often a cycle starts (ISO-8601, e.g. PT1S, PT30S; PT0S runs cycles back to back)."
          + " Each cycle reads what arrived since the last one, runs it through every layer and commits"
          + " each table once: a shorter trigger gives fresher tables and more, smaller files.")
  @Default.String("PT1S")
  String getTrigger();

  void setTrigger(String value);

  @Description(
      "Streaming and drain: the most records one cycle reads, in all datasets; a backlog is taken in"
          + " cycles of this size, each committed on its own.")
  @Default.Long(1_000_000L)
  long getMaxEventsPerCycle();

  void setMaxEventsPerCycle(long value);

  @Description(
      "Streaming and drain: data files a Delta table stopped using (gold buckets a cycle replaced,"
          + " small files compaction merged) are deleted this many minutes after their removal, as"
          + " Delta's VACUUM does; readers and time travel can read them until then. At least 1.")
  @Default.Integer(60)
  int getVacuumRetentionMinutes();

  void setVacuumRetentionMinutes(int value);

  @Description(
      "Streaming and drain: append one JSON line per cycle to this file (the offset ranges it read, its"
          + " time, when its commits were done); ./tributary bench measures latency with it.")
  String getCycleLog();

  void setCycleLog(String value);

  @Description(
      "Streaming: run the former continuous pipeline (KafkaIO's unbounded read, event-time windows"
          + " closed by the watermark) instead of cycles. It keeps up with a few hundred events/s only"
          + " (README, Performance).")
  @Default.Boolean(false)
  boolean getUnboundedRead();

  void setUnboundedRead(boolean value);

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
}
