package io.tributary.pipelines.datasets.students;

import io.tributary.pipelines.combine.CombinePerKey;
import io.tributary.pipelines.gold.FormatViewRows;
import io.tributary.pipelines.gold.GoldWindows;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Activity per course and minute of event time ({@value #VIEW}): how many student events, how many
 * distinct students, and their average grade.
 *
 * <p>Input: students silver rows timestamped with their event time. Output panes follow {@link
 * GoldWindows}: one ON_TIME row per (window, course), then a LATE row with the accumulated values
 * for each late event within the allowed lateness.
 */
public final class ComputeCourseStats extends PTransform<PCollection<Row>, PCollection<Row>> {
  public static final String VIEW = "students_by_course_1m";
  public static final Duration WINDOW_SIZE = Duration.standardMinutes(1);

  public static final Schema SCHEMA =
      GoldWindows.viewSchema(
          Field.of("course", FieldType.STRING),
          Field.of("events", FieldType.INT64),
          Field.of("distinct_students", FieldType.INT64),
          Field.of("avg_grade", FieldType.DOUBLE));

  private final Duration allowedLateness;

  public ComputeCourseStats(Duration allowedLateness) {
    this.allowedLateness = allowedLateness;
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> events) {
    return events
        .apply(
            "KeyByCourse",
            WithKeys.of((Row event) -> event.getString("course"))
                .withKeyType(TypeDescriptors.strings()))
        .apply(
            "WindowByMinute", GoldWindows.<KV<String, Row>>tumbling(WINDOW_SIZE, allowedLateness))
        .apply("CombineEvents", CombinePerKey.of(new CombineEvents()))
        .apply(
            "FormatRows",
            FormatViewRows.of(
                SCHEMA,
                (String course, CourseStats stats) ->
                    List.of(course, stats.events(), stats.distinctStudents(), stats.avgGrade())));
  }

  /**
   * Running totals of one course in one window. Mutable, unlike the other views' accumulators,
   * because copying the student set on every event would make a window quadratic.
   */
  static final class Attendance {
    long events;
    double gradeSum;
    final Set<Integer> studentIds = new HashSet<>();
  }

  /** Writes the student ids as varints: far smaller than a serialized HashSet in runner state. */
  static final class AttendanceCoder extends CustomCoder<Attendance> {
    private static final Coder<Long> EVENTS = VarLongCoder.of();
    private static final Coder<Double> GRADE_SUM = DoubleCoder.of();
    private static final Coder<Iterable<Integer>> STUDENT_IDS = IterableCoder.of(VarIntCoder.of());

    @Override
    public void encode(Attendance attendance, OutputStream out) throws IOException {
      EVENTS.encode(attendance.events, out);
      GRADE_SUM.encode(attendance.gradeSum, out);
      STUDENT_IDS.encode(attendance.studentIds, out);
    }

    @Override
    public Attendance decode(InputStream in) throws IOException {
      Attendance attendance = new Attendance();
      attendance.events = EVENTS.decode(in);
      attendance.gradeSum = GRADE_SUM.decode(in);
      STUDENT_IDS.decode(in).forEach(attendance.studentIds::add);
      return attendance;
    }
  }

  /** What a pane reports; a separate immutable value so the accumulator never leaks downstream. */
  @DefaultCoder(SerializableCoder.class)
  record CourseStats(long events, long distinctStudents, double avgGrade) implements Serializable {}

  static final class CombineEvents extends CombineFn<Row, Attendance, CourseStats> {
    @Override
    public Coder<Attendance> getAccumulatorCoder(CoderRegistry registry, Coder<Row> inputCoder) {
      return new AttendanceCoder();
    }

    @Override
    public Attendance createAccumulator() {
      return new Attendance();
    }

    @Override
    public Attendance addInput(Attendance attendance, Row event) {
      attendance.events++;
      attendance.gradeSum += event.getDouble("grade");
      attendance.studentIds.add(event.getInt32("student_id"));
      return attendance;
    }

    @Override
    public Attendance mergeAccumulators(Iterable<Attendance> partials) {
      Attendance merged = new Attendance();
      for (Attendance partial : partials) {
        merged.events += partial.events;
        merged.gradeSum += partial.gradeSum;
        merged.studentIds.addAll(partial.studentIds);
      }
      return merged;
    }

    @Override
    public CourseStats extractOutput(Attendance attendance) {
      return new CourseStats(
          attendance.events,
          attendance.studentIds.size(),
          attendance.events == 0 ? 0.0 : attendance.gradeSum / attendance.events);
    }
  }
}
