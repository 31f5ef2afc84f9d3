package io.tributary.pipelines.lakehouse.latest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableReader;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.append.WriteSettings;
import io.tributary.pipelines.lakehouse.append.WriteTable;
import io.tributary.pipelines.lakehouse.delta.MergeCommit;
import io.tributary.pipelines.lakehouse.storage.LakeFiles;
import io.tributary.pipelines.offsets.OffsetRanges;
import io.tributary.pipelines.testing.TestStreams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Latest-state tables written through {@link WriteLatestState} on the DirectRunner and read back:
 * one row per key, the latest by (event_time, kafka_offset), whatever the order, the batching or
 * the number of writers.
 */
public class WriteLatestStateTest {
  private static final String TOPIC = "students";
  private static final String PARTITION = "kafka_partition";
  private static final String OFFSET = "kafka_offset";
  private static final List<String> KEYS = List.of("student_id");
  private static final List<String> ORDERING = List.of("event_time", OFFSET);
  private static final Instant BASE = Instant.parse("2024-05-01T12:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Schema SCHEMA =
      Schema.builder()
          .addInt32Field("student_id")
          .addStringField("course")
          .addNullableField("grade", FieldType.DOUBLE)
          .addDateTimeField("event_time")
          .addInt32Field(PARTITION)
          .addInt64Field(OFFSET)
          .build();

  private static final WriteSettings SETTINGS =
      WriteSettings.DEFAULTS.withLineage(
          Optional.of(new WriteSettings.Lineage(TOPIC, PARTITION, OFFSET)));

  @TempDir Path root;

  private Lakehouse lakehouse;
  private TableSpec table;

  /**
   * The next event's Kafka offset. One sequence over all partitions, so that no two events share an
   * offset and {@link #latest} needs no further tie-break.
   */
  private long nextOffset;

  @BeforeEach
  void createTable() {
    lakehouse = Lakehouse.at(root.toString(), TableFormat.DELTA);
    table = lakehouse.table("gold/students_unique", SCHEMA);
    lakehouse.create(table, true);
  }

  @Test
  void boundedInputKeepsTheLatestRowPerKeyAndOnlyNewerRowsChangeIt() throws IOException {
    // 50 students, 20 events each, event times within 5 s: many ties, broken by the offset.
    List<Row> first = events(new Random(1), 1, 50, 20, 0, 5);
    write(first, WriteLatestState.to(table, KEYS, ORDERING, SETTINGS.withShards(3)), 50L);

    assertThat(table()).isEqualTo(latest(first));
    assertThat(TableReader.count(table.path(), TableFormat.DELTA)).isEqualTo(50);
    assertThat(lakehouse.accounted(table, TOPIC)).isEqualTo(offsetsOf(first));
    long afterFirst = lastVersion();
    assertThat(afterFirst).as("one commit for the bounded input").isEqualTo(1);
    assertThat(actions(afterFirst, "add")).hasSizeLessThanOrEqualTo(16);
    assertThat(commitInfo(afterFirst).get("operation").asText()).isEqualTo("MERGE");

    // The same rows again (a restarted pipeline): nothing to commit at all.
    write(first, WriteLatestState.to(table, KEYS, ORDERING, SETTINGS), 0L);
    assertThat(lastVersion()).isEqualTo(afterFirst);

    // Older rows for every student: the rows stay; only their offsets are recorded.
    List<Row> older = events(new Random(2), 1, 50, 3, -60, -1);
    write(older, WriteLatestState.to(table, KEYS, ORDERING, SETTINGS), 0L);
    assertThat(table()).isEqualTo(latest(first));
    assertThat(lastVersion()).isEqualTo(afterFirst + 1);
    assertThat(actions(afterFirst + 1, "add")).isEmpty();
    assertThat(actions(afterFirst + 1, "remove")).isEmpty();
    assertThat(lakehouse.accounted(table, TOPIC))
        .isEqualTo(offsetsOf(first).addAll(offsetsOf(older)));

    // Newer rows for students 3 and 7 only: their buckets are rewritten, nothing else.
    List<Row> newer = events(new Random(3), 3, 3, 2, 10, 12);
    newer.addAll(events(new Random(4), 7, 7, 2, 10, 12));
    write(newer, WriteLatestState.to(table, KEYS, ORDERING, SETTINGS), 2L);

    List<Row> all = concat(first, older, newer);
    assertThat(table()).isEqualTo(latest(all));
    assertThat(TableReader.count(table.path(), TableFormat.DELTA)).isEqualTo(50);
    long afterNewer = lastVersion();
    assertThat(afterNewer).isEqualTo(afterFirst + 2);
    LatestStateLayout layout = layout(WriteLatestState.DEFAULT_BUCKETS);
    Set<Integer> touched = new TreeSet<>();
    for (int student : List.of(3, 7)) {
      touched.add(layout.bucket(layout.key(row(student, "x", null, 0, 0, 0))));
    }
    assertThat(bucketsOf(actions(afterNewer, "remove"))).isEqualTo(touched);
    assertThat(bucketsOf(actions(afterNewer, "add"))).isEqualTo(touched);
    assertThat(actions(afterNewer, "remove"))
        .allSatisfy(remove -> assertThat(remove.get("dataChange").asBoolean()).isTrue());
    assertThat(lakehouse.accounted(table, TOPIC)).isEqualTo(offsetsOf(all));
    assertThat(lakehouse.frontiers(table, TOPIC)).isEqualTo(offsetsOf(all).frontiers());
  }

  @Tag(TestStreams.TAG)
  @Test
  void unboundedInputCommitsEachPaneByReplacingBucketFiles() throws IOException {
    List<Row> early = events(new Random(5), 1, 30, 5, 0, 10);
    List<Row> updates = events(new Random(6), 1, 10, 2, 20, 30);
    updates.addAll(events(new Random(7), 11, 20, 2, -30, -20)); // older: change nothing
    List<Row> late = events(new Random(8), 25, 40, 3, 40, 50); // 31..40 are new students
    TestStream<Row> stream =
        TestStream.create(RowCoder.of(SCHEMA))
            .addElements(early.get(0), early.subList(1, early.size()).toArray(Row[]::new))
            .advanceProcessingTime(Duration.standardSeconds(11))
            .addElements(updates.get(0), updates.subList(1, updates.size()).toArray(Row[]::new))
            .advanceProcessingTime(Duration.standardSeconds(11))
            .addElements(late.get(0), late.subList(1, late.size()).toArray(Row[]::new))
            .advanceWatermarkToInfinity();

    Pipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    pipeline
        .apply(stream)
        .apply(
            WriteLatestState.to(
                table, KEYS, ORDERING, SETTINGS.withFlushInterval(Duration.standardSeconds(10))));
    pipeline.run().waitUntilFinish();

    List<Row> all = concat(early, updates, late);
    assertThat(table()).isEqualTo(latest(all));
    assertThat(TableReader.count(table.path(), TableFormat.DELTA)).isEqualTo(40);
    assertThat(lastVersion()).as("one commit per pane").isEqualTo(3);
    for (long version = 2; version <= 3; version++) {
      assertThat(actions(version, "remove")).as("removes of version %s", version).isNotEmpty();
      assertThat(actions(version, "add")).as("adds of version %s", version).isNotEmpty();
    }
    assertThat(lakehouse.accounted(table, TOPIC)).isEqualTo(offsetsOf(all));
  }

  @Test
  @Tag("concurrent-pipelines")
  void twoPipelinesWritingAtOnceKeepTheLatestOfBoth() throws Exception {
    // Both write all 60 students, so every bucket conflicts.
    List<Row> a = events(new Random(9), 1, 60, 10, 0, 30);
    List<Row> b = events(new Random(10), 1, 60, 10, 0, 30);
    CyclicBarrier start = new CyclicBarrier(2);

    CompletableFuture<Void> first = CompletableFuture.runAsync(() -> write(start, a));
    CompletableFuture<Void> second = CompletableFuture.runAsync(() -> write(start, b));
    CompletableFuture.allOf(first, second).get(5, TimeUnit.MINUTES);

    assertThat(table()).isEqualTo(latest(concat(a, b)));
    assertThat(TableReader.count(table.path(), TableFormat.DELTA)).isEqualTo(60);
    assertThat(lakehouse.accounted(table, TOPIC)).isEqualTo(offsetsOf(concat(a, b)));
  }

  @Test
  void manyConcurrentCommitsLoseNoUpdate() throws Exception {
    // Few buckets and many small commits from 4 threads: most commits are re-planned at least once.
    LatestStateLayout layout = layout(2);
    int threads = 4;
    int commitsPerThread = 15;
    List<List<Row>> panes = new ArrayList<>();
    Random random = new Random(11);
    for (int i = 0; i < threads * commitsPerThread; i++) {
      panes.add(events(random, 1, 20, 1, i, i + 5));
    }
    CyclicBarrier start = new CyclicBarrier(threads);
    List<CompletableFuture<Void>> writers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      List<List<Row>> mine = panes.subList(t * commitsPerThread, (t + 1) * commitsPerThread);
      writers.add(
          CompletableFuture.runAsync(
              () -> {
                await(start);
                for (List<Row> pane : mine) {
                  MergeCommit.commit(
                      LakeFiles.engine(), table, layout, pane(layout, pane), Optional.of(TOPIC));
                }
              }));
    }
    CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);

    List<Row> all = panes.stream().flatMap(List::stream).toList();
    assertThat(table()).isEqualTo(latest(all));
    assertThat(lakehouse.accounted(table, TOPIC)).isEqualTo(offsetsOf(all));
    assertThat(activeFiles()).allSatisfy(path -> assertThat(path).matches("bucket-0000[01]/.*"));
    assertThat(bucketsOf(activeFiles())).hasSize(activeFiles().size());
  }

  @Test
  void filesOfOtherWritersAreFoldedIntoTheBuckets() throws IOException {
    // An append-only writer (or an OPTIMIZE) left files outside the buckets, with several rows per
    // key: the next commit folds them in.
    List<Row> appended = events(new Random(12), 1, 20, 4, 0, 10);
    Pipeline append = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    append
        .apply(Create.of(appended).withRowSchema(SCHEMA))
        .apply(WriteTable.to(table, TableFormat.DELTA, SETTINGS));
    append.run().waitUntilFinish();
    assertThat(TableReader.count(table.path(), TableFormat.DELTA)).isEqualTo(80);

    // An older row: no key changes (the output counts changed keys), yet every bucket is rewritten.
    List<Row> one = events(new Random(13), 1, 1, 1, -100, -99);
    write(one, WriteLatestState.to(table, KEYS, ORDERING, SETTINGS).withBuckets(4), 0L);

    assertThat(table()).isEqualTo(latest(concat(appended, one)));
    assertThat(TableReader.count(table.path(), TableFormat.DELTA)).isEqualTo(20);
    assertThat(activeFiles()).allSatisfy(path -> assertThat(path).startsWith("bucket-"));
  }

  @Test
  void offsetsWithoutRowsAreCommittedWithTheRows() throws IOException {
    List<Row> rows = events(new Random(16), 1, 10, 3, 0, 5);
    OffsetRanges withoutRows = OffsetRanges.empty().add(0, 1_000, 1_500).add(7, 0, 10);
    Pipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollection<OffsetRanges> accounted =
        pipeline.apply(
            "WithoutRows",
            Create.of(withoutRows, OffsetRanges.empty().add(7, 10, 20))
                .withCoder(SerializableCoder.of(OffsetRanges.class)));
    PCollection<Long> output =
        pipeline
            .apply("Rows", Create.of(rows).withRowSchema(SCHEMA))
            .apply(WriteLatestState.to(table, KEYS, ORDERING, SETTINGS).accountingFor(accounted));
    PAssert.that(output).containsInAnyOrder(10L);
    pipeline.run().waitUntilFinish();

    assertThat(table()).isEqualTo(latest(rows));
    assertThat(lastVersion()).as("rows and offsets in one commit").isEqualTo(1);
    assertThat(lakehouse.accounted(table, TOPIC))
        .isEqualTo(offsetsOf(rows).addAll(withoutRows).add(7, 10, 20));
    assertThat(actions(1, "txn"))
        .extracting(txn -> txn.get("appId").asText())
        .contains("tributary.kafka.students.7");
  }

  @Test
  void withoutLineageNoOffsetsAreRecorded() {
    List<Row> rows = events(new Random(17), 1, 10, 3, 0, 5);
    write(rows, WriteLatestState.to(table, KEYS, ORDERING, WriteSettings.DEFAULTS), 10L);

    assertThat(table()).isEqualTo(latest(rows));
    assertThat(lakehouse.accounted(table, TOPIC).isEmpty()).isTrue();
  }

  @Test
  void anotherBucketCountThanTheTableHasIsRefused() {
    write(
        events(new Random(14), 1, 5, 1, 0, 1),
        WriteLatestState.to(table, KEYS, ORDERING, SETTINGS).withBuckets(4));

    assertThatThrownBy(
            () ->
                write(
                    events(new Random(15), 1, 5, 1, 2, 3),
                    WriteLatestState.to(table, KEYS, ORDERING, SETTINGS).withBuckets(8)))
        .rootCause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("latest-state table gold/students_unique was written with layout")
        .hasMessageContaining("\"buckets\":4")
        .hasMessageContaining("\"buckets\":8")
        .hasMessageContaining("or write to a new table");
  }

  @Test
  void unknownKeyOrOrderingColumnsAreRefusedWhenBuilt() {
    assertThatThrownBy(() -> WriteLatestState.to(table, List.of("studentid"), ORDERING, SETTINGS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "key column 'studentid' of latest-state table gold/students_unique is not one of its"
                + " columns [student_id, course, grade, event_time, kafka_partition,"
                + " kafka_offset]");
    assertThatThrownBy(() -> WriteLatestState.to(table, KEYS, List.of(), SETTINGS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs at least one ordering column");
    assertThatThrownBy(() -> WriteLatestState.to(table, KEYS, ORDERING, SETTINGS).withBuckets(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("between 1 and 4096 buckets, got 0");
  }

  @Test
  void rowsEqualInEveryOrderingColumnAreDecidedByTheirOtherColumnsInAnyOrder() {
    LatestStateLayout layout = layout(4);
    Row physics = row(1, "physics", 7.5, 0, 0, 42);
    Row maths = row(1, "maths", 9.0, 0, 0, 42);

    LatestRows oneWay = pane(layout, List.of(physics, maths));
    LatestRows otherWay = pane(layout, List.of(maths, physics));

    assertThat(oneWay.rows().values()).containsExactly(physics);
    assertThat(otherWay.rows().values()).containsExactly(physics);
    assertThat(layout.isLater(physics, physics)).isFalse();
  }

  // ---- fixtures ----

  /**
   * {@code perKey} events for each student of {@code [from, to]}, in random order, with event times
   * at whole seconds in {@code [fromSecond, toSecond)} after {@link #BASE}: equal times are common
   * and only the offset tells them apart.
   */
  private List<Row> events(
      Random random, int from, int to, int perKey, int fromSecond, int toSecond) {
    List<Row> rows = new ArrayList<>();
    for (int student = from; student <= to; student++) {
      for (int i = 0; i < perKey; i++) {
        int partition = random.nextInt(3);
        long offset = nextOffset++;
        int second = fromSecond + random.nextInt(Math.max(1, toSecond - fromSecond));
        Double grade = random.nextInt(10) == 0 ? null : random.nextInt(100) / 10.0;
        rows.add(row(student, "course-" + random.nextInt(5), grade, second, partition, offset));
      }
    }
    Collections.shuffle(rows, random);
    return rows;
  }

  private static Row row(
      int student, String course, Double grade, int second, int partition, long offset) {
    return Row.withSchema(SCHEMA)
        .addValues(
            student, course, grade, BASE.plus(Duration.standardSeconds(second)), partition, offset)
        .build();
  }

  /**
   * Per student, the row with the greatest (event_time, kafka_offset), as the reader returns it.
   */
  private static Map<Integer, Map<String, Object>> latest(List<Row> rows) {
    Comparator<Row> order =
        Comparator.<Row>comparingLong(r -> r.getDateTime("event_time").getMillis())
            .thenComparingLong(r -> r.getInt64(OFFSET));
    Map<Integer, Row> latest = new TreeMap<>();
    for (Row row : rows) {
      latest.merge(row.getInt32("student_id"), row, (a, b) -> order.compare(a, b) >= 0 ? a : b);
    }
    Map<Integer, Map<String, Object>> expected = new TreeMap<>();
    latest.forEach((student, row) -> expected.put(student, asRead(row)));
    return expected;
  }

  private static Map<String, Object> asRead(Row row) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Schema.Field field : SCHEMA.getFields()) {
      Object value = row.getValue(field.getName());
      values.put(
          field.getName(),
          value instanceof Instant instant
              ? java.time.Instant.ofEpochMilli(instant.getMillis())
              : value);
    }
    return values;
  }

  /** The table's rows by student; fails on a student with two rows. */
  private Map<Integer, Map<String, Object>> table() {
    Map<Integer, Map<String, Object>> rows = new TreeMap<>();
    for (Map<String, Object> row : TableReader.read(table.path(), TableFormat.DELTA)) {
      Map<String, Object> before = rows.put((Integer) row.get("student_id"), row);
      assertThat(before).as("a second row for student %s", row.get("student_id")).isNull();
    }
    return rows;
  }

  private static OffsetRanges offsetsOf(List<Row> rows) {
    OffsetRanges offsets = OffsetRanges.empty();
    rows.forEach(row -> offsets.add(row.getInt32(PARTITION), row.getInt64(OFFSET)));
    return offsets;
  }

  @SafeVarargs
  private static List<Row> concat(List<Row>... parts) {
    return java.util.Arrays.stream(parts).flatMap(List::stream).toList();
  }

  private static LatestStateLayout layout(int buckets) {
    return new LatestStateLayout("test", SCHEMA, KEYS, ORDERING, buckets);
  }

  private static LatestRows pane(LatestStateLayout layout, List<Row> rows) {
    LatestRows pane = LatestRows.empty();
    WriteSettings.Lineage lineage = SETTINGS.lineage().orElseThrow();
    rows.forEach(row -> pane.addAll(layout, LatestRows.of(layout, row, lineage)));
    return pane;
  }

  /** Writes the rows in one pipeline run; its output must be {@code committed} (any if none). */
  private void write(List<Row> rows, WriteLatestState transform, Long... committed) {
    Pipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollection<Long> output =
        pipeline.apply("Rows", Create.of(rows).withRowSchema(SCHEMA)).apply("Write", transform);
    if (committed.length > 0) {
      PAssert.that(output).containsInAnyOrder(committed);
    }
    pipeline.run().waitUntilFinish();
  }

  private void write(CyclicBarrier start, List<Row> rows) {
    await(start);
    write(rows, WriteLatestState.to(table, KEYS, ORDERING, SETTINGS));
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await(1, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- the Delta log ----

  private Path log() {
    return Path.of(table.path(), "_delta_log");
  }

  private long lastVersion() throws IOException {
    try (Stream<Path> files = Files.list(log())) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(name -> name.matches("\\d{20}\\.json"))
          .mapToLong(name -> Long.parseLong(name.substring(0, 20)))
          .max()
          .orElseThrow();
    }
  }

  /** The actions of one kind ({@code add}, {@code remove}, ...) in a version. */
  private List<JsonNode> actions(long version, String kind) throws IOException {
    List<JsonNode> actions = new ArrayList<>();
    for (String line : Files.readAllLines(log().resolve(String.format("%020d.json", version)))) {
      JsonNode action = JSON.readTree(line);
      if (action.has(kind)) {
        actions.add(action.get(kind));
      }
    }
    return actions;
  }

  private JsonNode commitInfo(long version) throws IOException {
    return actions(version, "commitInfo").get(0);
  }

  /** Paths (as the log has them) of the files in the table's latest version. */
  private List<String> activeFiles() throws IOException {
    Map<String, Boolean> active = new TreeMap<>();
    for (long version = 0; version <= lastVersion(); version++) {
      for (JsonNode add : actions(version, "add")) {
        active.put(add.get("path").asText(), true);
      }
      for (JsonNode remove : actions(version, "remove")) {
        active.remove(remove.get("path").asText());
      }
    }
    return new ArrayList<>(active.keySet());
  }

  private static Set<Integer> bucketsOf(List<?> pathsOrActions) {
    Set<Integer> buckets = new TreeSet<>();
    for (Object item : pathsOrActions) {
      String path = item instanceof JsonNode node ? node.get("path").asText() : (String) item;
      LatestStateFiles.bucketOf(path).ifPresent(buckets::add);
    }
    return buckets;
  }
}
