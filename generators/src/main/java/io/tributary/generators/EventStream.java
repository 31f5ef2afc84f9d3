package io.tributary.generators;

import io.tributary.contracts.Contract;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The sequence of records a generator run sends, independent of where they go: valid events from
 * the dataset's model on an event clock, mixed with malformed, invalid, duplicate and late ones at
 * the configured ratios. The same seed, start time and ratios give byte-identical records.
 *
 * <p>The event clock advances by one nominal interval ({@code 1 / eventsPerSecond}) per generated
 * event, whatever the wall-clock speed, so a run generated as fast as possible still covers minutes
 * or hours of event time.
 */
public final class EventStream implements RecordSource {
  /**
   * Late events are this many minutes behind the clock, uniformly: some within a 5-minute lateness,
   * some not.
   */
  static final int MIN_LATE_MINUTES = 2;

  static final int MAX_LATE_MINUTES = 12;

  private static final int RECENT_VALID = 512;

  private final Contract contract;
  private final EventModel model;
  private final Faults faults;
  private final SplittableRandom random;
  private final JsonWriter json = new JsonWriter();
  private final FaultRatios ratios;
  private final Instant start;
  private final long stepNanos;
  private final byte[][] recentKeys = new byte[RECENT_VALID][];
  private final byte[][] recentValues = new byte[RECENT_VALID][];
  private long recentCount;
  private long ticks;

  /**
   * @param eventsPerSecond nominal rate of the event clock
   */
  public EventStream(
      DatasetGenerator generator,
      long seed,
      Instant start,
      double eventsPerSecond,
      FaultRatios ratios) {
    this.contract = Contract.forDataset(generator.dataset());
    SplittableRandom root = new SplittableRandom(seed);
    this.model = generator.newModel(root.split());
    this.faults = new Faults(contract, root.split());
    this.random = root.split();
    this.ratios = ratios;
    this.start = start;
    this.stepNanos = Math.max(1, Math.round(1e9 / eventsPerSecond));
  }

  public Contract contract() {
    return contract;
  }

  /** The event clock's current reading. */
  public Instant clock() {
    return start.plusNanos(ticks * stepNanos);
  }

  @Override
  public String position() {
    return "event time " + clock();
  }

  /** The next record; never null, the stream is endless. */
  @Override
  public GeneratedRecord next() {
    double roll = random.nextDouble();
    if (roll >= ratios.bad() && roll < ratios.bad() + ratios.duplicate() && recentCount > 0) {
      int slot = (int) (random.nextLong(Math.min(recentCount, RECENT_VALID)));
      return new GeneratedRecord(recentKeys[slot], recentValues[slot], RecordKind.DUPLICATE, false);
    }
    Instant now = clock();
    ticks++;
    Map<String, Object> event = model.next(now);
    byte[] key = String.valueOf(event.get(contract.keyField())).getBytes(StandardCharsets.UTF_8);
    if (roll < ratios.bad()) {
      if (random.nextBoolean()) {
        return new GeneratedRecord(
            key, faults.malformed(event, json.write(event)), RecordKind.MALFORMED, false);
      }
      return new GeneratedRecord(key, json.write(faults.invalid(event)), RecordKind.INVALID, false);
    }
    boolean late = ratios.late() > 0 && random.nextDouble() < ratios.late();
    if (late) {
      long minutes = MIN_LATE_MINUTES + random.nextLong(MAX_LATE_MINUTES - MIN_LATE_MINUTES + 1);
      event.put(
          "event_time", now.minus(Duration.ofMinutes(minutes)).minusMillis(random.nextInt(60_000)));
    }
    byte[] value = json.write(event);
    int slot = (int) (recentCount++ % RECENT_VALID);
    recentKeys[slot] = key;
    recentValues[slot] = value;
    return new GeneratedRecord(key, value, RecordKind.VALID, late);
  }
}
