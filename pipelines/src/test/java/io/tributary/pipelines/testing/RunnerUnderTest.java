package io.tributary.pipelines.testing;

import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.testing.TestPipeline;

/**
 * The runner this test JVM exercises, chosen by the build: {@code -Dtributary.test.runner=direct}
 * (the default) or {@code spark}. The same tests run once per runner (two Surefire and two Failsafe
 * executions in pipelines/pom.xml); on Spark every test shares one {@code local[2]} context.
 */
public final class RunnerUnderTest {
  public static final String PROPERTY = "tributary.test.runner";

  private RunnerUnderTest() {}

  public static boolean isSpark() {
    return "spark".equals(System.getProperty(PROPERTY, "direct"));
  }

  /** "direct" or "spark", for messages. */
  public static String name() {
    return isSpark() ? "spark" : "direct";
  }

  /** The flags that make {@code Run.run} use this runner. */
  public static List<String> runArgs() {
    if (isSpark()) {
      SharedSparkContext.provide();
      return List.of("--runner=SparkRunner", "--usesProvidedSparkContext=true");
    }
    return List.of("--runner=DirectRunner");
  }

  /**
   * Options for a pipeline a test builds itself, on this runner (from {@code
   * beamTestPipelineOptions}, as {@link TestPipeline} reads them).
   */
  public static PipelineOptions options() {
    if (isSpark()) {
      SharedSparkContext.provide();
    }
    return TestPipeline.testingPipelineOptions();
  }
}
