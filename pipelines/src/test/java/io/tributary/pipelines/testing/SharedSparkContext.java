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
  private static JavaSparkContext context;

  private SharedSparkContext() {}

  public static synchronized JavaSparkContext provide() {
    if (context == null || context.sc().isStopped()) {
      SparkConf conf =
          new SparkConf()
              .setMaster("local[2]")
              .setAppName("tributary-tests")
              .set("spark.ui.enabled", "false")
              .set("spark.kryo.registrator", SparkRunnerKryoRegistrator.class.getName());
      JavaSparkContext created = new JavaSparkContext(conf);
      Runtime.getRuntime().addShutdownHook(new Thread(created::stop, "stop-shared-spark"));
      context = created;
    }
    SparkContextFactory.setProvidedSparkContext(context);
    return context;
  }
}
