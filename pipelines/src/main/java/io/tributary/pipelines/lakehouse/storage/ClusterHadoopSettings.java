package io.tributary.pipelines.lakehouse.storage;

import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import scala.Tuple2;

/**
 * The Hadoop settings a Spark cluster gives its jobs ({@code spark.hadoop.*} in its Spark config,
 * e.g. Databricks' ABFS credentials), as Spark itself hands them to its own file-system calls on
 * the driver and on every executor. Empty outside Spark.
 */
public final class ClusterHadoopSettings {
  private static final String PREFIX = "spark.hadoop.";
  private static final boolean SPARK_PRESENT = sparkPresent();

  private ClusterHadoopSettings() {}

  static Map<String, String> current() {
    return SPARK_PRESENT ? fromSparkEnv() : Map.of();
  }

  // Only loaded when Spark is on the classpath: the DirectRunner's classpath has no Spark.
  private static Map<String, String> fromSparkEnv() {
    Map<String, String> settings = new TreeMap<>();
    SparkEnv env = SparkEnv.get();
    if (env != null) {
      SparkConf conf = env.conf();
      for (Tuple2<String, String> entry : conf.getAllWithPrefix(PREFIX)) {
        settings.put(entry._1(), entry._2());
      }
    }
    return settings;
  }

  private static boolean sparkPresent() {
    try {
      Class.forName(
          "org.apache.spark.SparkEnv", false, ClusterHadoopSettings.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
