package io.tributary.pipelines.datasets.students;

import io.tributary.pipelines.gold.GoldSettings;
import io.tributary.pipelines.gold.GoldViews;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;

/** The students dataset's gold views. */
public final class StudentsGoldViews implements GoldViews {
  private static final long serialVersionUID = 1L;

  public static final String DATASET = "students";

  @Override
  public String dataset() {
    return DATASET;
  }

  /** "tbalumnos_unique": the latest event of each student. */
  @Override
  public List<LatestState> latestStates() {
    return List.of(
        new LatestState(
            "students_unique", List.of("student_id"), List.of("event_time", "kafka_offset")));
  }

  @Override
  public Duration windowSize() {
    return ComputeCourseStats.WINDOW_SIZE;
  }

  // Step names start with the dataset, like the other layers' steps, so that runner metrics
  // (late drops) can be attributed to it.
  @Override
  public Map<String, PCollection<Row>> expand(PCollection<Row> silver, GoldSettings settings) {
    return Map.of(
        ComputeCourseStats.VIEW,
        silver.apply(
            DATASET + "/ComputeCourseStats", new ComputeCourseStats(settings.allowedLateness())));
  }
}
