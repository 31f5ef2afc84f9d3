package io.tributary.pipelines.combine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.testing.UsesTestStream;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.experimental.categories.Category;

/**
 * {@link CombinePerKey} gives what {@code Combine.perKey} gives: per key and window, on bounded
 * input (partials combined within bundles, then merged) and on unbounded input (a plain combine).
 */
public class CombinePerKeyTest {
  private static final Instant BASE = Instant.parse("2026-01-01T10:00:00Z");
  private static final KvCoder<String, Long> CODER =
      KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of());

  @Rule public final transient TestPipeline p = TestPipeline.create();

  /**
   * Key {@code k<i % keys>}, value {@code i}, event time {@code i} seconds after the base: keys
   * spread over many bundles, each key's values over many windows.
   */
  private static List<TimestampedValue<KV<String, Long>>> events(int count, int keys) {
    List<TimestampedValue<KV<String, Long>>> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(
          TimestampedValue.of(
              KV.of("k" + (i % keys), (long) i), BASE.plus(Duration.standardSeconds(i))));
    }
    return events;
  }

  /** Each result as "key [window) = value", what both combines must agree on. */
  private static PCollection<String> described(PCollection<KV<String, Long>> results, String name) {
    return results.apply(name, ParDo.of(new DescribeFn(false)));
  }

  private static final class DescribeFn extends DoFn<KV<String, Long>, String> {
    private final boolean withTimestamp;

    DescribeFn(boolean withTimestamp) {
      this.withTimestamp = withTimestamp;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Long> result,
        @Timestamp Instant timestamp,
        BoundedWindow window,
        OutputReceiver<String> out) {
      out.output(
          describe(result.getKey(), window, result.getValue())
              + (withTimestamp ? " @" + timestamp : ""));
    }
  }

  private static String describe(String key, BoundedWindow window, long value) {
    String span =
        window instanceof IntervalWindow interval
            ? "[" + interval.start() + ", " + interval.end() + ")"
            : "global";
    return key + " " + span + " = " + value;
  }

  @Test
  public void boundedGlobalWindowSumsEveryKeyAsCombinePerKeyDoes() {
    int count = 20_000;
    int keys = 1_000;
    PCollection<KV<String, Long>> input =
        p.apply("Events", Create.timestamped(events(count, keys)).withCoder(CODER));

    PCollection<KV<String, Long>> lifted = input.apply("Lifted", CombinePerKey.of(Sum.ofLongs()));
    PCollection<KV<String, Long>> plain = input.apply("Plain", Combine.perKey(Sum.ofLongs()));

    Map<String, Long> sums = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      sums.merge("k" + (i % keys), (long) i, Long::sum);
    }
    List<String> expected = new ArrayList<>();
    sums.forEach((key, sum) -> expected.add(describe(key, GlobalWindow.INSTANCE, sum)));
    assertThat(expected).hasSize(keys);
    PAssert.that(described(lifted, "DescribeLifted")).containsInAnyOrder(expected);
    PAssert.that(described(plain, "DescribePlain")).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }

  @Test
  public void boundedFixedWindowsGiveOneResultPerKeyAndWindowAtItsEarliestEvent() {
    // 3 keys, an event every second for 5 minutes: each key has 100 events in 5 one-minute windows.
    PCollection<KV<String, Long>> input =
        p.apply("Events", Create.timestamped(events(300, 3)).withCoder(CODER))
            .apply(
                "Minutes",
                Window.<KV<String, Long>>into(FixedWindows.of(Duration.standardMinutes(1))));

    PCollection<KV<String, Long>> lifted = input.apply("Lifted", CombinePerKey.of(Sum.ofLongs()));
    PCollection<KV<String, Long>> plain = input.apply("Plain", Combine.perKey(Sum.ofLongs()));

    List<String> expected = new ArrayList<>();
    List<String> expectedAtEarliest = new ArrayList<>();
    for (int minute = 0; minute < 5; minute++) {
      Instant start = BASE.plus(Duration.standardMinutes(minute));
      IntervalWindow window = new IntervalWindow(start, Duration.standardMinutes(1));
      for (int key = 0; key < 3; key++) {
        long sum = 0;
        int first = minute * 60 + key;
        for (int i = first; i < (minute + 1) * 60; i += 3) {
          sum += i;
        }
        String result = describe("k" + key, window, sum);
        expected.add(result);
        expectedAtEarliest.add(result + " @" + BASE.plus(Duration.standardSeconds(first)));
      }
    }
    assertThat(expected).hasSize(15);
    PAssert.that(described(lifted, "DescribeLifted")).containsInAnyOrder(expected);
    PAssert.that(described(plain, "DescribePlain")).containsInAnyOrder(expected);
    // Downstream windowed steps see each result at its (key, window)'s earliest event, never late.
    PAssert.that(lifted.apply("WithTimestamps", ParDo.of(new DescribeFn(true))))
        .containsInAnyOrder(expectedAtEarliest);
    assertThat(lifted.getWindowingStrategy()).isEqualTo(input.getWindowingStrategy());
    p.run().waitUntilFinish();
  }

  @Test
  public void boundedSlidingWindowsCountAnEventInEachOfItsWindows() {
    PCollection<KV<String, Long>> input =
        p.apply("Events", Create.timestamped(events(600, 7)).withCoder(CODER))
            .apply(
                "Sliding",
                Window.<KV<String, Long>>into(
                    SlidingWindows.of(Duration.standardMinutes(2))
                        .every(Duration.standardMinutes(1))));

    PCollection<KV<String, Long>> lifted = input.apply("Lifted", CombinePerKey.of(Sum.ofLongs()));

    List<String> expected = new ArrayList<>();
    // Windows start a minute before the first event and end with the one holding the last.
    for (int minute = -1; minute < 10; minute++) {
      Instant start = BASE.plus(Duration.standardMinutes(minute));
      IntervalWindow window = new IntervalWindow(start, Duration.standardMinutes(2));
      for (int key = 0; key < 7; key++) {
        long sum = 0;
        for (int i = Math.max(0, minute * 60); i < Math.min(600, (minute + 2) * 60); i++) {
          if (i % 7 == key) {
            sum += i;
          }
        }
        expected.add(describe("k" + key, window, sum));
      }
    }
    PAssert.that(described(lifted, "DescribeLifted")).containsInAnyOrder(expected);
    PAssert.that(described(input.apply("Plain", Combine.perKey(Sum.ofLongs())), "DescribePlain"))
        .containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }

  @Test
  public void oneMergeKeyGivesTheSameResults() {
    p.getOptions().as(CombineOptions.class).setMergeKeys(1);
    PCollection<KV<String, Long>> input =
        p.apply("Events", Create.timestamped(events(5_000, 250)).withCoder(CODER));

    PCollection<KV<String, Long>> lifted = input.apply("Lifted", CombinePerKey.of(Sum.ofLongs()));

    List<String> expected = new ArrayList<>();
    for (int key = 0; key < 250; key++) {
      long sum = 0;
      for (int i = key; i < 5_000; i += 250) {
        sum += i;
      }
      expected.add(describe("k" + key, GlobalWindow.INSTANCE, sum));
    }
    PAssert.that(described(lifted, "DescribeLifted")).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }

  @Test
  public void emptyBoundedInputGivesNoResults() {
    PCollection<KV<String, Long>> lifted =
        p.apply("Nothing", Create.empty(CODER)).apply("Lifted", CombinePerKey.of(Sum.ofLongs()));

    PAssert.that(lifted).empty();
    assertThat(lifted.getCoder()).isEqualTo(CODER);
    p.run().waitUntilFinish();
  }

  @Test
  public void boundedInputIsCombinedWithinBundlesAndUnboundedInputIsNot() {
    Pipeline pipeline = Pipeline.create();
    pipeline
        .apply("Bounded", Create.empty(CODER))
        .apply("LiftedBounded", CombinePerKey.of(Sum.ofLongs()));
    pipeline
        .apply("Unbounded", TestStream.create(CODER).advanceWatermarkToInfinity())
        .apply("Minutes", Window.into(FixedWindows.of(Duration.standardMinutes(1))))
        .apply("LiftedUnbounded", CombinePerKey.of(Sum.ofLongs()));

    assertThat(transformNames(pipeline))
        .contains(
            "LiftedBounded/CombineWithinBundles",
            "LiftedBounded/GatherPartials",
            "LiftedBounded/MergeIntoWindows",
            "LiftedUnbounded/Combine")
        .noneMatch(name -> name.startsWith("LiftedBounded/Combine/"))
        .noneMatch(name -> name.startsWith("LiftedUnbounded/CombineWithinBundles"));
  }

  private static List<String> transformNames(Pipeline pipeline) {
    List<String> names = new ArrayList<>();
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            names.add(node.getFullName());
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            names.add(node.getFullName());
          }
        });
    return names;
  }

  /**
   * Streaming: on-time results, and an event behind the watermark by more than the allowed lateness
   * dropped (not folded into a partial first), exactly as {@code Combine.perKey} does.
   */
  @Category(UsesTestStream.class)
  @Test
  public void unboundedInputCombinesPerWindowAndDropsLateEventsAsCombinePerKey() {
    Duration minute = Duration.standardMinutes(1);
    TestStream<KV<String, Long>> stream =
        TestStream.create(CODER)
            .advanceWatermarkTo(BASE)
            .addElements(
                TimestampedValue.of(KV.of("a", 1L), BASE.plus(Duration.standardSeconds(5))),
                TimestampedValue.of(KV.of("a", 2L), BASE.plus(Duration.standardSeconds(50))),
                TimestampedValue.of(KV.of("b", 10L), BASE.plus(Duration.standardSeconds(30))))
            .advanceWatermarkTo(BASE.plus(Duration.standardSeconds(70)))
            .addElements(
                // Late: its window closed at 10:01 and no lateness is allowed.
                TimestampedValue.of(KV.of("a", 100L), BASE.plus(Duration.standardSeconds(20))),
                TimestampedValue.of(KV.of("a", 4L), BASE.plus(Duration.standardSeconds(75))))
            .advanceWatermarkToInfinity();
    PCollection<KV<String, Long>> input =
        p.apply("Events", stream)
            .apply("Minutes", Window.<KV<String, Long>>into(FixedWindows.of(minute)));

    PCollection<KV<String, Long>> lifted = input.apply("Lifted", CombinePerKey.of(Sum.ofLongs()));
    PCollection<KV<String, Long>> plain = input.apply("Plain", Combine.perKey(Sum.ofLongs()));

    IntervalWindow first = new IntervalWindow(BASE, minute);
    IntervalWindow second = new IntervalWindow(BASE.plus(minute), minute);
    for (PCollection<KV<String, Long>> results : List.of(lifted, plain)) {
      String name = results == lifted ? "Lifted" : "Plain";
      PAssert.that(name + "First", results)
          .inOnTimePane(first)
          .containsInAnyOrder(KV.of("a", 3L), KV.of("b", 10L));
      PAssert.that(name + "Second", results)
          .inOnTimePane(second)
          .containsInAnyOrder(KV.of("a", 4L));
      PAssert.that(name + "All", results)
          .containsInAnyOrder(KV.of("a", 3L), KV.of("b", 10L), KV.of("a", 4L));
    }
    p.run().waitUntilFinish();
  }
}
