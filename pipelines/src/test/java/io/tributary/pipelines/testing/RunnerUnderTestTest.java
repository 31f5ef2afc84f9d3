package io.tributary.pipelines.testing;

import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.spark.TaskContext;
import org.junit.Rule;
import org.junit.Test;

/**
 * The Spark executions really run pipelines on Spark: elements are processed inside Spark tasks
 * there, and outside any in the DirectRunner executions.
 */
public class RunnerUnderTestTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  @Test
  public void elementsAreProcessedByTheRunnerUnderTest() {
    PAssert.that(
            p.apply(Create.of(1, 2, 3))
                .apply(
                    MapElements.into(TypeDescriptors.booleans())
                        .via(element -> TaskContext.get() != null)))
        .containsInAnyOrder(
            RunnerUnderTest.isSpark(), RunnerUnderTest.isSpark(), RunnerUnderTest.isSpark());
    p.run().waitUntilFinish();
  }
}
