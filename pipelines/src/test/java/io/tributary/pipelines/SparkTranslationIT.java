package io.tributary.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.kafka.connection.KafkaConnection;
import io.tributary.pipelines.bronze.BronzeSchema;
import io.tributary.pipelines.gold.GoldSettings;
import io.tributary.pipelines.gold.GoldViews;
import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.append.WriteSettings;
import io.tributary.pipelines.lakehouse.append.WriteTable;
import io.tributary.pipelines.lakehouse.latest.WriteLatestState;
import io.tributary.pipelines.source.ReadKafkaStream;
import io.tributary.pipelines.testing.Broker;
import io.tributary.pipelines.testing.SharedSparkContext;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.runners.spark.SparkContextOptions;
import org.apache.beam.runners.spark.SparkRunner;
import org.apache.beam.runners.spark.SparkTransformOverrides;
import org.apache.beam.runners.spark.translation.streaming.Checkpoint.CheckpointDir;
import org.apache.beam.runners.spark.translation.streaming.SparkRunnerStreamingContextFactory;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.util.construction.SplittableParDo;
import org.apache.beam.sdk.util.construction.graph.ProjectionPushdownOptimizer;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.dstream.ForEachDStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every streaming pipeline translates on the Spark runner in streaming mode, without running it:
 * what the Spark streaming runner rejects (timers, splittable DoFns on unbounded input,
 * {@code @RequiresStableInput}, OnWindowExpiration, GroupIntoBatches) fails here, not on a cluster.
 * Each dataset alone, and all of them in one pipeline ({@code --dataset=all}).
 */
class SparkTranslationIT {
  @TempDir Path dir;
  @RegisterExtension static final Broker broker = Broker.plaintext();

  @BeforeAll
  static void prepare() {
    // The Kafka source lists the topic's partitions while it is translated.
    GoldViews.registered().keySet().forEach(dataset -> broker.kafka().createTopic(dataset, 4));
  }

  static Stream<List<String>> pipelines() {
    List<String> all = List.copyOf(GoldViews.registered().keySet());
    return Stream.concat(all.stream().map(List::of), Stream.of(all));
  }

  @ParameterizedTest
  @MethodSource("pipelines")
  void translatesInStreamingMode(List<String> datasets) {
    Pipeline pipeline = Pipeline.create(sparkOptions());
    Lakehouse lakehouse = Lakehouse.at(dir.resolve("lakehouse").toString(), TableFormat.DELTA);
    MedallionPipeline.Settings settings =
        new MedallionPipeline.Settings(
            org.joda.time.Duration.standardMinutes(60),
            GoldSettings.DEFAULTS,
            WriteSettings.DEFAULTS);
    List<DatasetSource> sources =
        datasets.stream()
            .map(
                dataset ->
                    DatasetSource.ofStream(
                        dataset,
                        dataset,
                        new ReadKafkaStream(
                            dataset,
                            KafkaConnection.plaintext(broker.bootstrapServers()),
                            dataset)))
            .toList();
    datasets.forEach(
        dataset ->
            DatasetTables.of(lakehouse, dataset)
                .createAll(lakehouse, settings.gold(), pipeline.getOptions()));
    MedallionPipeline.build(
        pipeline,
        lakehouse,
        MedallionPipeline.prepare(lakehouse, sources, settings, pipeline.getOptions()),
        settings);
    int tables = writeTables(pipeline);

    JavaStreamingContext translated = translate(pipeline);

    // Bronze, silver, quarantine and at least one gold view per dataset (gold and latest-state
    // tables written by WriteLatestState), each one Spark output
    // (besides those, each Kafka source reports its reads through an output of its own).
    assertThat(tables).isGreaterThanOrEqualTo(4 * datasets.size());
    assertThat(translated.ssc().graph().getOutputStreams())
        .filteredOn(output -> output instanceof ForEachDStream)
        .hasSize(tables);
    translated.stop(false, false);
  }

  @Test
  void aTimerFailsTranslation() {
    Pipeline pipeline = Pipeline.create(sparkOptions());
    pipeline
        .apply(
            new ReadKafkaStream(
                "weather", KafkaConnection.plaintext(broker.bootstrapServers()), "weather"))
        .apply(WithKeys.<String, Row>of(row -> "k").withKeyType(TypeDescriptors.strings()))
        .setCoder(
            org.apache.beam.sdk.coders.KvCoder.of(
                org.apache.beam.sdk.coders.StringUtf8Coder.of(),
                org.apache.beam.sdk.coders.RowCoder.of(BronzeSchema.SCHEMA)))
        .apply(ParDo.of(new WithTimerFn()))
        .setRowSchema(BronzeSchema.SCHEMA);

    assertThatThrownBy(() -> translate(pipeline))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("cannot yet be used with timers in the SparkRunner");
  }

  private SparkContextOptions sparkOptions() {
    SharedSparkContext.provide();
    SparkContextOptions options = PipelineOptionsFactory.create().as(SparkContextOptions.class);
    options.setRunner(SparkRunner.class);
    options.setUsesProvidedSparkContext(true);
    options.setStreaming(true);
    options.setCheckpointDir(dir.resolve("checkpoint").toString());
    return options;
  }

  private static int writeTables(Pipeline pipeline) {
    int[] tables = {0};
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(
              org.apache.beam.sdk.runners.TransformHierarchy.Node node) {
            if (node.getTransform() instanceof WriteTable
                || node.getTransform() instanceof WriteLatestState) {
              tables[0]++;
            }
            return CompositeBehavior.ENTER_TRANSFORM;
          }
        });
    return tables[0];
  }

  /** What SparkRunner.run does to a streaming pipeline up to starting it (Beam 2.62). */
  private JavaStreamingContext translate(Pipeline pipeline) {
    SparkContextOptions options = pipeline.getOptions().as(SparkContextOptions.class);
    SplittableParDo.convertReadBasedSplittableDoFnsToPrimitiveReadsIfNecessary(pipeline);
    ProjectionPushdownOptimizer.optimize(pipeline);
    pipeline.replaceAll(SparkTransformOverrides.getDefaultOverrides(true));
    try {
      return new SparkRunnerStreamingContextFactory(
              pipeline, options, new CheckpointDir(options.getCheckpointDir()))
          .call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A stand-in for a transform that uses a timer, as Beam's Deduplicate does. */
  static final class WithTimerFn extends DoFn<KV<String, Row>, Row> {
    @TimerId("flush")
    private final TimerSpec flush = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @ProcessElement
    public void process(@Element KV<String, Row> element, @TimerId("flush") Timer timer) {
      timer.offset(org.joda.time.Duration.standardMinutes(1)).setRelative();
    }

    @OnTimer("flush")
    public void onFlush() {}
  }
}
