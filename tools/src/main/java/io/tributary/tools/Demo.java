package io.tributary.tools;

import io.tributary.dashboard.Dashboard;
import io.tributary.generators.DatasetGenerator;
import io.tributary.generators.Flags;
import io.tributary.generators.Generate;
import io.tributary.generators.UsageException;
import io.tributary.kafka.local.LocalKafka;
import io.tributary.pipelines.Run;
import io.tributary.pipelines.gold.GoldViews;
import io.tributary.pipelines.runner.RunnerProfile;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code ./tributary demo}: the whole product on one machine. Starts a local broker (in its own
 * JVM), one live generator per dataset (1 % bad, 1 % duplicate, 1 % late events, event time = now),
 * and the streaming pipelines of every dataset into a lakehouse on disk, until Ctrl-C.
 */
public final class Demo {
  static final Set<String> FLAGS =
      Set.of("port", "dataDir", "format", "profile", "runner", "dashboardPort");

  private Demo() {}

  /**
   * The datasets the demo generates and runs: every dataset with registered gold views (the run
   * reads {@code --dataset=all}), so a new dataset joins the demo without an edit here.
   *
   * @throws UsageException naming a dataset that has no generator to feed it
   */
  static List<String> datasets() {
    Set<String> generated = DatasetGenerator.registered().keySet();
    List<String> datasets = List.copyOf(GoldViews.registered().keySet());
    for (String dataset : datasets) {
      if (!generated.contains(dataset)) {
        throw new UsageException(
            "dataset '"
                + dataset
                + "' has gold views but no generator: register a DatasetGenerator for it in"
                + " generators/src/main/resources/META-INF/services/"
                + DatasetGenerator.class.getName());
      }
    }
    return datasets;
  }

  public static void main(String[] args) {
    // Clients of a broker that is going away log a warning per retry: the demo's own lines say
    // what stops. (Set before the first logger is made.)
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
    int status = run(args, System.out, System.err);
    System.out.flush();
    System.err.flush();
    // Everything that matters has stopped (pipelines, then broker). The generators' own stop hooks
    // would wait for producers that can no longer reach a broker.
    Runtime.getRuntime().halt(status);
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Flags flags;
    List<String> datasets;
    try {
      flags = Flags.parse(args, FLAGS);
      datasets = datasets();
    } catch (UsageException e) {
      err.println("demo: " + e.getMessage());
      return 2;
    }
    if (flags.has("help")) {
      out.println(
          "Usage: ./tributary demo [--port=9092] [--dataDir=.tributary/demo] [--format=delta|parquet]\n"
              + "         [--profile=direct|spark-local | --runner=SparkRunner] [--dashboardPort=8080]");
      return 0;
    }
    Path dir = Path.of(flags.string("dataDir").orElse(".tributary/demo")).toAbsolutePath();
    int port = flags.positiveLong("port").orElse(9092L).intValue();
    LocalKafka kafka = LocalKafka.start(dir.resolve("kafka"), port);
    String bootstrap = kafka.bootstrapServers();
    err.println("demo: Kafka broker at " + bootstrap + " (data in " + dir.resolve("kafka") + ")");
    List<Thread> generators = new java.util.ArrayList<>();
    for (String dataset : datasets) {
      kafka.createTopic(dataset, 4);
      Thread generator =
          new Thread(
              () ->
                  Generate.run(
                      new String[] {
                        "--dataset=" + dataset,
                        "--bootstrapServers=" + bootstrap,
                        "--startTime=now",
                        "--badRatio=0.01",
                        "--duplicateRatio=0.01",
                        "--lateRatio=0.01"
                      },
                      new PrintStream(OutputStream.nullOutputStream()),
                      new PrintStream(OutputStream.nullOutputStream())),
              "generate-" + dataset);
      generator.setDaemon(true);
      generator.start();
      generators.add(generator);
    }
    Path lakehouse = dir.resolve("lakehouse");
    startDashboard(lakehouse, bootstrap, flags, err);
    err.println(
        "demo: generating "
            + datasets
            + " and streaming them into "
            + lakehouse
            + " (Ctrl-C stops)");
    List<String> runArgs =
        new java.util.ArrayList<>(
            List.of(
                "--dataset=all",
                "--bootstrapServers=" + bootstrap,
                "--lakehouse=" + lakehouse,
                "--format=" + flags.string("format").orElse("delta")));
    // The runner profile passes through to the pipelines (the launcher adds Spark's classpath).
    flags.string("profile").ifPresent(profile -> runArgs.add("--profile=" + profile));
    flags.string("runner").ifPresent(runner -> runArgs.add("--runner=" + runner));
    if (RunnerProfile.isSparkRunner(flags.string("runner").orElse(""))
        || flags.string("profile").map(RunnerProfile.SPARK_LOCAL::equals).orElse(false)) {
      // Sixteen tables, each a write and a commit job per micro-batch: on 2 cores one micro-batch
      // of every dataset takes well over the profile's 5 s, and shorter batches fall behind.
      runArgs.add("--batchIntervalMillis=20000");
    }
    // Ctrl-C reaches the broker too, which ignores it: the pipelines finish their cycle against a
    // running broker, then the broker stops.
    int status = Run.run(runArgs.toArray(String[]::new), out, err);
    // Then the generators, which flush what they sent while the broker is still up, then the
    // broker.
    err.println("demo: pipelines stopped; stopping the generators and the broker");
    generators.forEach(Thread::interrupt);
    for (Thread generator : generators) {
      try {
        generator.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    kafka.stop();
    return status;
  }

  /**
   * Serves the dashboard over the demo's lakehouse on 127.0.0.1 for as long as the demo runs; a
   * taken port costs the dashboard, not the demo.
   */
  private static void startDashboard(
      Path lakehouse, String bootstrap, Flags flags, PrintStream err) {
    int port = flags.positiveLong("dashboardPort").orElse(8080L).intValue();
    try {
      Dashboard dashboard =
          Dashboard.start(
              lakehouse.toString(),
              "127.0.0.1",
              port,
              java.time.Duration.ofSeconds(5),
              java.util.Optional.of(bootstrap));
      err.println(
          "demo: dashboard at " + dashboard.url() + " (charts appear with the first commits)");
    } catch (java.io.IOException e) {
      err.println(
          "demo: no dashboard: cannot listen on 127.0.0.1:"
              + port
              + " ("
              + e.getMessage()
              + "); pass --dashboardPort=N");
    }
  }
}
