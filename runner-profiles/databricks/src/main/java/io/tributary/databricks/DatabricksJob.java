package io.tributary.databricks;

import io.tributary.pipelines.Run;
import io.tributary.pipelines.runner.RunnerProfile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.spark.SparkContext;

/**
 * Main class of the Databricks JAR task: {@code ./tributary run} on the cluster's SparkContext,
 * with the {@code databricks} runner profile unless the job parameters name another.
 *
 * <p>What a Databricks JAR task needs, and this does: it uses the SparkContext the platform has
 * already created ({@link SparkContext#getOrCreate()}, handed to Beam as the provided context),
 * never creates or stops one, never calls {@code System.exit} and installs no signal handler (the
 * driver JVM belongs to the platform), and blocks for as long as a streaming pipeline runs. A
 * failed run throws, which fails the task.
 */
public final class DatabricksJob {
  private DatabricksJob() {}

  public static void main(String[] args) {
    // Fails fast, with Spark's own message, if this is not running inside a Spark driver.
    SparkContext cluster = SparkContext.getOrCreate();
    List<String> jobArgs = new ArrayList<>(Arrays.asList(args));
    if (RunnerProfile.value(jobArgs, "profile").isEmpty()) {
      jobArgs.add("--profile=" + RunnerProfile.DATABRICKS);
    }
    System.err.println(
        "tributary: running on Spark "
            + cluster.version()
            + " ("
            + cluster.master()
            + ", application "
            + cluster.applicationId()
            + ")");
    // Never counted down: a streaming run lasts until the task is cancelled.
    CountDownLatch never = new CountDownLatch(1);
    int status = Run.run(jobArgs.toArray(String[]::new), System.out, System.err, never);
    if (status != 0) {
      throw new IllegalStateException(
          "tributary run ended with status "
              + status
              + (status == 2 ? " (bad job parameters)" : "")
              + "; the reason is in the driver log above");
    }
  }
}
