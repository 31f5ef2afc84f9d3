package io.tributary.pipelines.testing;

import io.tributary.pipelines.runner.RunnerSession;
import java.util.Map;
import org.apache.beam.runners.spark.SparkContextOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/**
 * A child JVM's main for {@code SecretLeakIT}: opens the Spark runner's session the way {@code
 * ./tributary run --runner=SparkRunner} does, with a storage client secret (from the environment
 * variable named by the first argument) among the lakehouse's Hadoop settings, writes a Spark
 * Streaming checkpoint into the directory named by the second, and prints the context's SparkConf,
 * the SparkConf the checkpoint stored (read back: the files are compressed) and whether the
 * context's Hadoop configuration holds the secret.
 */
public final class SparkSecretProbe {
  /** The Hadoop key the secret is set under (ABFS's OAuth client secret of an account). */
  public static final String SECRET_KEY =
      "fs.azure.account.oauth2.client.secret.probe.dfs.core.windows.net";

  private SparkSecretProbe() {}

  public static void main(String[] args) throws Exception {
    String secret = System.getenv(args[0]);
    SparkContextOptions options =
        PipelineOptionsFactory.fromArgs("--runner=SparkRunner", "--sparkMaster=local[1]")
            .as(SparkContextOptions.class);
    try (RunnerSession session = RunnerSession.open(options, false, Map.of(SECRET_KEY, secret))) {
      JavaSparkContext context = options.getProvidedSparkContext();
      JavaStreamingContext streaming = new JavaStreamingContext(context, Durations.seconds(1));
      streaming.checkpoint(args[1]);
      // A file stream over an empty directory: unlike a queue stream, it can be checkpointed.
      java.nio.file.Path input = java.nio.file.Files.createTempDirectory("probe-input");
      streaming
          .textFileStream(input.toString())
          .foreachRDD(rdd -> System.out.println("batch " + rdd.count()));
      streaming.start();
      streaming.awaitTerminationOrTimeout(4000);
      streaming.stop(false, false);
      // Unredacted, as a checkpoint stores them (SparkConf.toDebugString would redact "secret").
      for (scala.Tuple2<String, String> entry : context.getConf().getAll()) {
        System.out.println("spark conf: " + entry._1() + "=" + entry._2());
      }
      org.apache.spark.streaming.Checkpoint checkpoint =
          org.apache.spark.streaming.CheckpointReader.read(args[1]).get();
      for (scala.Tuple2<String, String> entry : checkpoint.sparkConfPairs()) {
        System.out.println("checkpointed conf: " + entry._1() + "=" + entry._2());
      }
      System.out.println(
          "hadoop conf holds the secret: "
              + secret.equals(context.hadoopConfiguration().get(SECRET_KEY)));
    }
    System.exit(0);
  }
}
