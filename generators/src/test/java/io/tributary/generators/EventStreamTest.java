package io.tributary.generators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tributary.contracts.Contract;
import io.tributary.contracts.EventParser;
import io.tributary.contracts.ParseOutcome;
import io.tributary.contracts.ParseOutcome.Rejected;
import io.tributary.contracts.ParseOutcome.Stage;
import io.tributary.contracts.ParseOutcome.Valid;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventStreamTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final FaultRatios FAULTS = new FaultRatios(0.05, 0.04, 0.03);
  private static final int EVENTS = 40_000;

  private static EventStream stream(String dataset, long seed, FaultRatios ratios) {
    Contract contract = Contract.forDataset(dataset);
    return new EventStream(
        DatasetGenerator.forDataset(dataset), seed, START, contract.eventsPerSecond(), ratios);
  }

  private static List<GeneratedRecord> take(EventStream stream, int n) {
    List<GeneratedRecord> records = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      records.add(stream.next());
    }
    return records;
  }

  @ParameterizedTest
  @ValueSource(strings = {"weather", "students", "trips", "transactions"})
  void theSameSeedGivesByteIdenticalRecordsAndAnotherSeedDoesNot(String dataset) {
    List<GeneratedRecord> first = take(stream(dataset, 7, FAULTS), 5_000);
    List<GeneratedRecord> second = take(stream(dataset, 7, FAULTS), 5_000);
    List<GeneratedRecord> other = take(stream(dataset, 8, FAULTS), 5_000);

    for (int i = 0; i < first.size(); i++) {
      assertThat(second.get(i).value()).as("record %d", i).isEqualTo(first.get(i).value());
      assertThat(second.get(i).key()).isEqualTo(first.get(i).key());
      assertThat(second.get(i).kind()).isEqualTo(first.get(i).kind());
    }
    assertThat(Arrays.equals(first.get(0).value(), other.get(0).value())).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"weather", "students", "trips", "transactions"})
  void everyRecordBreaksOrKeepsTheRulesExactlyAsItsKindSays(String dataset) {
    Contract contract = Contract.forDataset(dataset);
    EventParser parser = contract.parser();
    Map<RecordKind, Integer> kinds = new EnumMap<>(RecordKind.class);
    Set<String> validIds = new HashSet<>();
    Map<String, byte[]> validById = new java.util.HashMap<>();

    for (GeneratedRecord record : take(stream(dataset, 42, FAULTS), EVENTS)) {
      kinds.merge(record.kind(), 1, Integer::sum);
      ParseOutcome outcome = parser.parse(record.value());
      switch (record.kind()) {
        case VALID -> {
          assertThat(outcome)
              .as(new String(record.value(), StandardCharsets.UTF_8))
              .isInstanceOf(Valid.class);
          Valid valid = (Valid) outcome;
          assertThat(validIds.add((String) valid.get("event_id")))
              .as("event ids are unique")
              .isTrue();
          validById.put((String) valid.get("event_id"), record.value());
          assertThat(new String(record.key(), StandardCharsets.UTF_8))
              .isEqualTo(String.valueOf(valid.get(contract.keyField())));
        }
        case DUPLICATE -> {
          assertThat(outcome).isInstanceOf(Valid.class);
          String id = (String) ((Valid) outcome).get("event_id");
          assertThat(validById.get(id))
              .as("a duplicate re-sends an earlier valid event")
              .isEqualTo(record.value());
        }
        case MALFORMED ->
            assertThat(outcome)
                .as(new String(record.value(), StandardCharsets.UTF_8))
                .isInstanceOfSatisfying(
                    Rejected.class, r -> assertThat(r.stage()).isEqualTo(Stage.PARSE));
        case INVALID ->
            assertThat(outcome)
                .as(new String(record.value(), StandardCharsets.UTF_8))
                .isInstanceOfSatisfying(
                    Rejected.class, r -> assertThat(r.stage()).isEqualTo(Stage.VALIDATE));
      }
    }

    double bad =
        kinds.getOrDefault(RecordKind.MALFORMED, 0) + kinds.getOrDefault(RecordKind.INVALID, 0);
    assertThat(bad / EVENTS).isCloseTo(0.05, within(0.005));
    assertThat(kinds.get(RecordKind.DUPLICATE) / (double) EVENTS).isCloseTo(0.04, within(0.005));
    assertThat(kinds.get(RecordKind.MALFORMED) / bad).isCloseTo(0.5, within(0.05));
  }

  @Test
  void lateEventsAreMinutesBehindTheClockAndCountedAmongTheValidOnes() {
    EventStream stream = stream("weather", 3, new FaultRatios(0, 0, 0.1));
    EventParser parser = Contract.forDataset("weather").parser();
    int late = 0;
    for (int i = 0; i < 10_000; i++) {
      Instant clock = stream.clock();
      GeneratedRecord record = stream.next();
      Instant eventTime = (Instant) ((Valid) parser.parse(record.value())).get("event_time");
      Duration behind = Duration.between(eventTime, clock);
      if (record.late()) {
        late++;
        assertThat(behind)
            .isBetween(
                Duration.ofMinutes(EventStream.MIN_LATE_MINUTES),
                Duration.ofMinutes(EventStream.MAX_LATE_MINUTES + 1));
      } else {
        assertThat(behind).isZero();
      }
    }
    assertThat(late / 10_000.0).isCloseTo(0.1, within(0.01));
  }

  @Test
  void theEventClockAdvancesAtTheNominalRateSoFastRunsCoverMinutesOfEventTime() {
    EventStream stream = stream("students", 1, FaultRatios.NONE);
    take(stream, 50 * 600);

    // 100 students every 2 seconds = 50 events per event-time second: 30,000 events span 10
    // minutes.
    assertThat(stream.clock()).isEqualTo(START.plus(Duration.ofMinutes(10)));
  }

  @Test
  void studentsCycleThroughTheWholeRosterOfOneHundred() {
    EventParser parser = Contract.forDataset("students").parser();
    EventStream stream = stream("students", 1, FaultRatios.NONE);
    Set<Object> ids = new HashSet<>();
    for (GeneratedRecord record : take(stream, 100)) {
      ids.add(((Valid) parser.parse(record.value())).get("student_id"));
    }
    assertThat(ids).hasSize(100).contains(1, 100);
  }

  @Test
  void tripsGoFromStartThroughPositionsToAnEndWithAFare() {
    EventParser parser = Contract.forDataset("trips").parser();
    Map<String, List<Valid>> byTrip = new java.util.HashMap<>();
    for (GeneratedRecord record : take(stream("trips", 5, FaultRatios.NONE), 200_000)) {
      Valid event = (Valid) parser.parse(record.value());
      byTrip.computeIfAbsent((String) event.get("trip_id"), k -> new ArrayList<>()).add(event);
    }
    long completed = 0;
    for (List<Valid> trip : byTrip.values()) {
      assertThat(trip.get(0).get("event_type")).isEqualTo("start");
      for (int i = 1; i < trip.size(); i++) {
        assertThat((Double) trip.get(i).get("distance_km"))
            .isGreaterThanOrEqualTo((Double) trip.get(i - 1).get("distance_km"));
      }
      Valid last = trip.get(trip.size() - 1);
      if ("end".equals(last.get("event_type"))) {
        completed++;
        assertThat((Double) last.get("fare")).isGreaterThan(2.5);
        assertThat(trip.subList(1, trip.size() - 1))
            .allMatch(e -> "position".equals(e.get("event_type")) && e.get("fare") == null);
      }
    }
    assertThat(completed).isGreaterThan(100);
  }

  @Test
  void transactionsContainVeryLargeAmountsAndBurstsOnOneAccount() {
    EventParser parser = Contract.forDataset("transactions").parser();
    long large = 0;
    long longestRun = 0;
    long run = 0;
    String previous = null;
    for (GeneratedRecord record : take(stream("transactions", 9, FaultRatios.NONE), 50_000)) {
      Valid event = (Valid) parser.parse(record.value());
      if (((java.math.BigDecimal) event.get("amount")).doubleValue() >= 5_000) {
        large++;
      }
      String account = (String) event.get("account_id");
      run = account.equals(previous) ? run + 1 : 1;
      longestRun = Math.max(longestRun, run);
      previous = account;
    }
    assertThat(large).isBetween(50L, 300L);
    assertThat(longestRun).isGreaterThanOrEqualTo(6);
  }
}
