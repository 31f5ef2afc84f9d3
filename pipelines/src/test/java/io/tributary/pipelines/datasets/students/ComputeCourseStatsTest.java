package io.tributary.pipelines.datasets.students;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.contracts.Contract;
import io.tributary.pipelines.silver.SilverSchema;
import java.util.UUID;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.testing.UsesTestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.experimental.categories.Category;

public class ComputeCourseStatsTest {
  private static final Schema SILVER = SilverSchema.of(Contract.forDataset("students"));
  private static final Instant BASE = Instant.parse("2026-05-01T10:00:00Z");
  private static final Duration ALLOWED_LATENESS = Duration.standardMinutes(2);
  private static final Instant WINDOW_END = BASE.plus(Duration.standardMinutes(1));

  @Rule public final transient TestPipeline p = TestPipeline.create();

  @Category(UsesTestStream.class)
  @Test
  public void eventsInAWindowGiveOneOnTimeRowPerCourse() {
    TestStream<Row> events =
        TestStream.create(RowCoder.of(SILVER))
            .advanceWatermarkTo(BASE)
            .addElements(
                event(1, "Math", 5, 6.0),
                event(1, "Math", 20, 8.0),
                event(2, "Math", 30, 10.0),
                event(3, "Art", 40, 5.5))
            .advanceWatermarkToInfinity();

    PAssert.that(p.apply(events).apply(new ComputeCourseStats(ALLOWED_LATENESS)))
        .containsInAnyOrder(
            row(BASE, "Math", 3, 2, 8.0, 0, "ON_TIME"), row(BASE, "Art", 1, 1, 5.5, 0, "ON_TIME"));
    p.run().waitUntilFinish();
  }

  @Category(UsesTestStream.class)
  @Test
  public void lateEventWithinAllowedLatenessReEmitsTheAccumulatedWindow() {
    TestStream<Row> events =
        TestStream.create(RowCoder.of(SILVER))
            .advanceWatermarkTo(BASE)
            .addElements(event(1, "Math", 5, 6.0))
            .advanceWatermarkTo(WINDOW_END.plus(Duration.standardSeconds(30)))
            .addElements(event(2, "Math", 50, 9.0))
            .advanceWatermarkToInfinity();

    PAssert.that(p.apply(events).apply(new ComputeCourseStats(ALLOWED_LATENESS)))
        .containsInAnyOrder(
            row(BASE, "Math", 1, 1, 6.0, 0, "ON_TIME"), row(BASE, "Math", 2, 2, 7.5, 1, "LATE"));
    p.run().waitUntilFinish();
  }

  @Category(UsesTestStream.class)
  @Test
  public void eventBeyondAllowedLatenessDoesNotChangeTheWindow() {
    TestStream<Row> events =
        TestStream.create(RowCoder.of(SILVER))
            .advanceWatermarkTo(BASE)
            .addElements(event(1, "Math", 5, 6.0))
            .advanceWatermarkTo(WINDOW_END.plus(ALLOWED_LATENESS).plus(Duration.standardSeconds(1)))
            .addElements(event(2, "Math", 50, 9.0))
            .advanceWatermarkToInfinity();

    PAssert.that(p.apply(events).apply(new ComputeCourseStats(ALLOWED_LATENESS)))
        .containsInAnyOrder(row(BASE, "Math", 1, 1, 6.0, 0, "ON_TIME"));
    p.run().waitUntilFinish();
  }

  @Test
  public void boundedEventsAreCountedPerCourseAndMinute() {
    PCollection<Row> events =
        p.apply(
            Create.timestamped(
                    event(1, "Math", 0, 4.0),
                    event(1, "Math", 59, 6.0),
                    event(1, "Math", 60, 9.0),
                    event(2, "Math", 61, 7.0),
                    event(1, "Art", 10, 3.0))
                .withCoder(RowCoder.of(SILVER)));

    PAssert.that(events.apply(new ComputeCourseStats(ALLOWED_LATENESS)))
        .containsInAnyOrder(
            row(BASE, "Math", 2, 1, 5.0, 0, "ON_TIME"),
            row(WINDOW_END, "Math", 2, 2, 8.0, 0, "ON_TIME"),
            row(BASE, "Art", 1, 1, 3.0, 0, "ON_TIME"));
    p.run().waitUntilFinish();
  }

  @Test
  public void attendanceSurvivesItsCoder() throws Exception {
    ComputeCourseStats.CombineEvents combine = new ComputeCourseStats.CombineEvents();
    ComputeCourseStats.Attendance attendance = combine.createAccumulator();
    combine.addInput(attendance, event(1, "Math", 0, 4.0).getValue());
    combine.addInput(attendance, event(2, "Math", 1, 6.0).getValue());

    ComputeCourseStats.Attendance decoded =
        CoderUtils.clone(new ComputeCourseStats.AttendanceCoder(), attendance);

    assertThat(combine.extractOutput(decoded))
        .isEqualTo(new ComputeCourseStats.CourseStats(2, 2, 5.0));
  }

  /** A student event {@code second}s after {@link #BASE}, timestamped with its event time. */
  private static TimestampedValue<Row> event(
      int studentId, String course, int second, double grade) {
    Instant eventTime = BASE.plus(Duration.standardSeconds(second));
    Row event =
        Row.withSchema(SILVER)
            .withFieldValue("event_id", UUID.randomUUID().toString())
            .withFieldValue("student_id", studentId)
            .withFieldValue("first_name", "Ana")
            .withFieldValue("last_name", "Pérez")
            .withFieldValue("course", course)
            .withFieldValue("grade", grade)
            .withFieldValue("event_time", eventTime)
            .withFieldValue(SilverSchema.KAFKA_PARTITION, 0)
            .withFieldValue(SilverSchema.KAFKA_OFFSET, (long) second)
            .withFieldValue(SilverSchema.INGEST_TIME, eventTime)
            .build();
    return TimestampedValue.of(event, eventTime);
  }

  private static Row row(
      Instant windowStart,
      String course,
      long events,
      long distinctStudents,
      double avgGrade,
      long paneIndex,
      String paneTiming) {
    return Row.withSchema(ComputeCourseStats.SCHEMA)
        .addValues(windowStart, windowStart.plus(ComputeCourseStats.WINDOW_SIZE), course, events)
        .addValues(distinctStudents, avgGrade, paneIndex, paneTiming)
        .build();
  }
}
