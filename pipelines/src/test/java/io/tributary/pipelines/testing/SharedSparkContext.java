package io.tributary.pipelines.testing;

import org.apache.beam.runners.spark.coders.SparkRunnerKryoRegistrator;
import org.apache.beam.runners.spark.translation.SparkContextFactory;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * One {@code local[2]} SparkContext for every Spark test of a JVM (Spark allows one per JVM, and
 * starting one takes seconds), handed to Beam as the provided context so that no run stops it.
 * Stopped when the JVM exits.
 */
public final class SharedSparkContext {
  /** A Hadoop setting the shared context carries as spark.hadoop.*, as a cluster would. */
  public static final String CLUSTER_SETTING = "tributary.test.cluster-setting";

  private static JavaSparkContext context;

  private SharedSparkContext() {}

  public static synchronized JavaSparkContext provide() {
    if (context == null || context.sc().isStopped()) {
      SparkConf conf =
          new SparkConf()
              .setMaster("local[2]")
              .setAppName("tributary-tests")
              .set("spark.ui.enabled", "false")
              // As the spark-local profile's own contexts (see SparkRunnerSession).
              .set("spark.streaming.gracefulStopTimeout", "10min")
              // A Hadoop setting "of the cluster", as Databricks passes ABFS credentials.
              .set("spark.hadoop." + CLUSTER_SETTING, "from-the-cluster")
              .set("spark.kryo.registrator", SparkRunnerKryoRegistrator.class.getName());
      JavaSparkContext created = new JavaSparkContext(conf);
      Runtime.getRuntime().addShutdownHook(new Thread(created::stop, "stop-shared-spark"));
      context = created;
    }
    SparkContextFactory.setProvidedSparkContext(context);
    return context;
  }
}
