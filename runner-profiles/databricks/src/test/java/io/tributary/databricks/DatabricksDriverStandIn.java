package io.tributary.databricks;

import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;

/**
 * Stands in for the Databricks driver in {@link DatabricksJobIT}: creates the SparkContext first,
 * as the platform does, then calls the job's main class with the job parameters, and reports
 * afterwards whether main returned and whether the context is still running. Runs in a JVM whose
 * classpath is the shaded jar, Spark's jars and this class.
 *
 * <p>Arguments: the main class, then the job parameters.
 */
public final class DatabricksDriverStandIn {
  static final String RETURNED = "DRIVER: main returned; context stopped: ";

  private DatabricksDriverStandIn() {}

  public static void main(String[] args) throws Exception {
    SparkContext platform =
        new SparkContext(
            new SparkConf()
                .setMaster("local[2]")
                .setAppName("databricks-stand-in")
                .set("spark.ui.enabled", "false"));
    try {
      Class.forName(args[0])
          .getMethod("main", String[].class)
          .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
      System.out.println(RETURNED + platform.isStopped());
    } catch (InvocationTargetException e) {
      System.out.println("DRIVER: main threw " + e.getCause());
      e.getCause().printStackTrace();
      platform.stop();
      System.exit(1);
    }
    // The platform, not the job, stops the context.
    platform.stop();
  }
}
