package io.tributary.pipelines;

import io.tributary.pipelines.combine.CombinePerKey;
import io.tributary.pipelines.gold.GoldInput;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.offsets.OffsetRanges;
import io.tributary.pipelines.runner.RunnerSession;
import io.tributary.pipelines.source.CyclePlanner;
import io.tributary.pipelines.source.PartitionRange;
import io.tributary.pipelines.source.ReadPartitionRanges;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streaming and drains as a loop of bounded cycles (micro-batches, as Spark Structured Streaming
 * runs them): each cycle plans the offset ranges that arrived since the previous one, runs them
 * through bronze, silver, quarantine and gold as one bounded pipeline, and commits each table once
 * with its offsets. All cycles run in this JVM, which stays warm, and on Spark in one SparkContext.
 *
 * <p>What a cycle guarantees is what a drain guarantees: every table skips the offsets it has
 * accounted for and commits its rows with their offsets atomically, so a cycle killed half-way is
 * completed by the next run, without loss or duplicates; gold rows are aggregates of whole windows
 * of silver. A drain ({@code --drain}) is this loop run up to the end offsets taken at its start,
 * in cycles of at most {@code --maxEventsPerCycle} records (Spark's {@code Trigger.AvailableNow}).
 */
final class Cycles implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Cycles.class);

  /** A streaming run logs one progress line at most this often. */
  static final long PROGRESS_SECONDS = 10;

  /** With nothing to read and no trigger interval, the next look at the end offsets waits this. */
  static final long IDLE_POLL_MILLIS = 50;

  private final RunConfig config;
  private final RunnerSession session;
  private final PrintStream err;
  private final CyclePlanner planner;
  private final Map<String, DatasetTables> tables = new java.util.HashMap<>();
  private final Map<String, List<TableSpec>> goldViewTables = new java.util.HashMap<>();
  private final RunSummary total;
  private final Optional<CycleLog> cycleLog;
  private long cycles;
  private final TableUpkeep upkeep;
  private double planSeconds;
  private double buildSeconds;
  private double executeSeconds;

  /**
   * Starts each dataset's topic where its tables stand, once its tables are checked against the
   * topic there now ({@link TopicIncarnations}).
   *
   * @throws IllegalArgumentException if a topic does not exist or cannot be read, or was recreated
   *     and {@code --startTopicAfresh} does not name it
   */
  Cycles(RunConfig config, RunnerSession session, PrintStream err) {
    this.config = config;
    this.session = session;
    this.err = err;
    this.total = RunSummary.empty(config.datasets());
    this.planner = new CyclePlanner(config.connection());
    this.upkeep =
        new TableUpkeep(
            config.lakehouse().format(),
            java.time.Duration.ofMinutes(config.options().getVacuumRetentionMinutes()));
    try {
      for (int i = 0; i < config.datasets().size(); i++) {
        String dataset = config.datasets().get(i);
        String topic = config.topics().get(i);
        DatasetTables datasetTables = DatasetTables.of(config.lakehouse(), dataset);
        goldViewTables.put(
            dataset,
            datasetTables.createAll(
                config.lakehouse(), config.settings().gold(), config.options()));
        tables.put(dataset, datasetTables);
        Map<TableSpec, OffsetRanges> accounted =
            TopicIncarnations.check(config, datasetTables, topic, planner.endOffsets(topic), err);
        planner.start(topic, List.copyOf(accounted.values()));
      }
      this.cycleLog = Optional.ofNullable(CycleLog.open(config.options().getCycleLog()));
    } catch (RuntimeException e) {
      planner.close();
      throw e;
    }
  }

  /**
   * Cycles up to the end offsets of this moment, then one JSON summary line on {@code out}.
   *
   * @return the exit status
   */
  int drain(double runnerStartSeconds, PrintStream out) {
    long started = System.nanoTime();
    Map<String, Map<Integer, Long>> upTo = planner.endOffsets();
    Map<String, List<PartitionRange>> remaining = planner.plan(Long.MAX_VALUE, upTo);
    for (int i = 0; i < config.datasets().size(); i++) {
      List<PartitionRange> ranges = remaining.getOrDefault(config.topics().get(i), List.of());
      err.printf(
          "run: draining %s from topic %s: %,d records in %d partitions%n",
          config.datasets().get(i),
          config.topics().get(i),
          ranges.stream().mapToLong(PartitionRange::size).sum(),
          ranges.size());
    }
    planSeconds += (System.nanoTime() - started) / 1e9;
    while (!planner.reached(upTo)) {
      if (cycle(upTo) == 0) {
        throw new IllegalStateException(
            "a drain cycle found nothing to read before the end offsets taken at start");
      }
    }
    double seconds = runnerStartSeconds + (System.nanoTime() - started) / 1e9;
    out.println(summaryJson("drain", seconds, runnerStartSeconds));
    out.flush();
    return 0;
  }

  /**
   * Cycles until {@code stop} is counted down, starting one every trigger interval (at once when a
   * cycle took longer); the cycle under way when it is finishes its commits first. Ends with one
   * JSON summary line on {@code out}.
   *
   * @return the exit status
   */
  int stream(CountDownLatch stop, PrintStream out) throws InterruptedException {
    long started = System.nanoTime();
    long lastProgress = started;
    long readSinceProgress = 0;
    long cyclesAtProgress = cycles;
    long triggerMillis = config.trigger().toMillis();
    err.printf(
        "run: streaming %s into %s in cycles every %s (Ctrl-C stops after the cycle under way)%n",
        config.datasets(), config.options().getLakehouse(), config.trigger());
    while (stop.getCount() > 0) {
      long cycleStart = System.nanoTime();
      long read = cycle(null);
      long now = System.nanoTime();
      readSinceProgress += read;
      if (now - lastProgress >= PROGRESS_SECONDS * 1_000_000_000L) {
        double seconds = (now - lastProgress) / 1e9;
        err.println(progressLine(cycles - cyclesAtProgress, readSinceProgress, seconds));
        lastProgress = now;
        readSinceProgress = 0;
        cyclesAtProgress = cycles;
      }
      long elapsedMillis = (now - cycleStart) / 1_000_000;
      long waitMillis =
          read == 0
              ? Math.max(triggerMillis, IDLE_POLL_MILLIS) - elapsedMillis
              : triggerMillis - elapsedMillis;
      if (waitMillis > 0) {
        stop.await(waitMillis, TimeUnit.MILLISECONDS);
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    err.println("run: stopped after " + cycles + " cycles");
    out.println(summaryJson("streaming", seconds, 0));
    out.flush();
    return 0;
  }

  /**
   * One round of cycles: plans what arrived on every topic, then runs one cycle per dataset with
   * records, one after the other.
   *
   * <p>Each dataset is a pipeline of its own: the DirectRunner's bookkeeping after every bundle
   * (watermarks, fired timers) scans all the transforms of its pipeline, so one pipeline of four
   * datasets (279 transforms) spent two thirds of its time there, and a cycle of 250,000 records of
   * four datasets took 25 s; four pipelines of a quarter of the transforms do the same work without
   * it.
   *
   * @param upTo a drain's end offsets, or null to read up to the end offsets now
   * @return the offsets accounted for (0: nothing had arrived, and nothing ran)
   */
  long cycle(Map<String, Map<Integer, Long>> upTo) {
    long started = System.nanoTime();
    Map<String, List<PartitionRange>> plan =
        planner.plan(config.options().getMaxEventsPerCycle(), upTo);
    // Offsets retention deleted before they were read: the cycle accounts for them in every table.
    Map<String, OffsetRanges> lost = planner.lost();
    double planned = (System.nanoTime() - started) / 1e9;
    planSeconds += planned;
    long accounted = 0;
    for (int i = 0; i < config.datasets().size(); i++) {
      String topic = config.topics().get(i);
      List<PartitionRange> ranges = plan.getOrDefault(topic, List.of());
      OffsetRanges gone = lost.getOrDefault(topic, OffsetRanges.empty());
      if (!ranges.isEmpty() || !gone.isEmpty()) {
        accounted +=
            cycle(config.datasets().get(i), topic, ranges, gone, accounted == 0 ? planned : 0);
      }
    }
    return accounted;
  }

  /**
   * One cycle of one dataset: builds and runs the pipeline of its planned ranges (and of the
   * offsets retention deleted before they were read, which every table accounts for), and moves its
   * positions on once every table committed.
   *
   * @return the offsets accounted for
   */
  private long cycle(
      String dataset,
      String topic,
      List<PartitionRange> ranges,
      OffsetRanges gone,
      double planSecondsShare) {
    long started = System.nanoTime();
    long records = ranges.stream().mapToLong(PartitionRange::size).sum();
    DatasetSource source =
        DatasetSource.ofRanges(
            dataset, topic, new ReadPartitionRanges(dataset, config.connection(), ranges, gone));
    // A small cycle merges under one key, so that silver and gold are one file each, and runs on
    // one DirectRunner thread: the runner's driver loop then takes turns with the work instead of
    // spinning beside it (a 5,000-record cycle: 0.84 s on one thread, 1.0 s on two or three).
    config.options().setMergeKeys(mergeKeys(records));
    if (!config.targetParallelismGiven()) {
      config
          .options()
          .as(org.apache.beam.runners.direct.DirectOptions.class)
          .setTargetParallelism(
              records < RECORDS_PER_MERGE_KEY
                  ? 1
                  : Math.max(2, Runtime.getRuntime().availableProcessors()));
    }
    MedallionPipeline.Prepared prepared =
        MedallionPipeline.prepare(
            config.lakehouse(), source, tables.get(dataset), config.settings(), config.options());
    Pipeline pipeline = Pipeline.create(config.options());
    MedallionPipeline.build(pipeline, config.lakehouse(), List.of(prepared), config.settings());
    session.beforeRun(pipeline, null);
    if (cycles == 0) {
      LOG.info("a cycle's pipeline has {} primitive transforms", primitiveTransforms(pipeline));
    }
    long built = System.nanoTime();
    buildSeconds += (built - started) / 1e9;
    PipelineResult result = pipeline.run();
    PipelineResult.State state = result.waitUntilFinish();
    long finished = System.nanoTime();
    executeSeconds += (finished - built) / 1e9;
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException(
          "cycle " + (cycles + 1) + " of " + dataset + " ended in state " + state);
    }
    RunSummary summary = RunSummary.of(result, config.datasets());
    // Offsets without a record (transaction markers, aborted or compacted-away records) and
    // records retention deleted after the plan were planned but cannot be read.
    long accounted =
        summary.totalRead()
            + summary.total(ReadPartitionRanges.OFFSETS_WITHOUT_RECORD_COUNTER)
            + summary.total(ReadPartitionRanges.LOST_TO_RETENTION_COUNTER);
    if (accounted < records) {
      throw new IllegalStateException(
          "cycle "
              + (cycles + 1)
              + " of "
              + dataset
              + " accounted for "
              + accounted
              + " offsets of the "
              + records
              + " planned ("
              + summary.totalRead()
              + " records read)");
    }
    if (accounted > records) {
      // Spark evaluates a partition again when it lost a cached one (memory pressure) and counts
      // its metrics again; the tables still hold each record once (they skip what they accounted).
      LOG.warn(
          "cycle {} of {}: the runner counted {} offsets read of the {} planned: a recomputed"
              + " partition is counted twice, so this cycle's counters are too high",
          cycles + 1,
          dataset,
          accounted,
          records);
    }
    long committedMillis = System.currentTimeMillis();
    // Gold now holds whole windows of silver as of the versions the cycle read and its commits.
    prepared
        .silverVersionRead()
        .ifPresent(
            version ->
                GoldInput.recordFoldedAfterCycle(
                    config.lakehouse(), tables.get(dataset).silver(), version));
    planner.advance(Map.of(topic, ranges));
    total.add(summary);
    total.count(dataset, ReadPartitionRanges.LOST_TO_RETENTION_COUNTER, gone.count());
    cycles++;
    long folded = System.nanoTime();
    long cycleNumber = cycles;
    cycleLog.ifPresent(
        log ->
            log.write(
                cycleNumber,
                ranges,
                records,
                planSecondsShare + (folded - started) / 1e9,
                new double[] {
                  planSecondsShare,
                  (built - started) / 1e9,
                  (finished - built) / 1e9,
                  (folded - finished) / 1e9
                },
                committedMillis));
    LOG.debug(
        "cycle {}: {} records of {} in {} s", cycles, records, dataset, (folded - started) / 1e9);
    upkeep.afterCycle(tables.get(dataset), goldViewTables.get(dataset));
    return records + gone.count();
  }

  /**
   * Records per merge key of a cycle's combines (and so per silver file), up to {@link
   * CombinePerKey#MERGE_KEYS} keys.
   */
  static final long RECORDS_PER_MERGE_KEY = 100_000;

  static int mergeKeys(long records) {
    return (int) Math.max(1, Math.min(CombinePerKey.MERGE_KEYS, records / RECORDS_PER_MERGE_KEY));
  }

  /** The DirectRunner's bookkeeping per step grows with this number. */
  private static int primitiveTransforms(Pipeline pipeline) {
    int[] count = {0};
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public void visitPrimitiveTransform(
              org.apache.beam.sdk.runners.TransformHierarchy.Node node) {
            count[0]++;
          }
        });
    return count[0];
  }

  private String progressLine(long cyclesRun, long read, double seconds) {
    StringBuilder lag = new StringBuilder();
    Map<String, Long> byTopic = planner.lag();
    for (int i = 0; i < config.datasets().size(); i++) {
      lag.append(lag.length() == 0 ? "" : ", ")
          .append(config.datasets().get(i))
          .append(' ')
          .append(
              String.format(Locale.ROOT, "%,d", byTopic.getOrDefault(config.topics().get(i), 0L)));
    }
    return String.format(
        Locale.ROOT,
        "run: %,d events in %d cycles in the last %.0f s (%,.0f events/s, %.2f s a cycle); lag %s",
        read,
        cyclesRun,
        seconds,
        read / seconds,
        cyclesRun == 0 ? 0.0 : seconds / cyclesRun,
        lag);
  }

  private String summaryJson(String mode, double seconds, double runnerStartSeconds) {
    Map<String, Double> timings = new LinkedHashMap<>();
    timings.put("runner_start_s", runnerStartSeconds);
    timings.put("plan_s", planSeconds);
    timings.put("build_s", buildSeconds);
    timings.put("execute_s", executeSeconds);
    timings.put("compact_s", upkeep.seconds());
    return total.toJson(mode, seconds, Map.of("cycles", cycles), timings);
  }

  @Override
  public void close() {
    planner.close();
    cycleLog.ifPresent(
        writer -> {
          try {
            writer.close();
          } catch (IOException e) {
            LOG.warn("cannot close the cycle log", e);
          }
        });
  }
}
