package io.tributary.pipelines.runner;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A runner profile: the Beam flags that make the same pipelines run in one place (direct,
 * spark-local, databricks), kept in {@code runner-profiles/NAME/pipeline.options} and packaged as
 * resources. {@link #resolve} picks the profile from {@code --profile} (or from {@code --runner}
 * alone), adds its flags under the ones given, and rejects combinations that cannot work, before
 * any option is parsed.
 */
public final class RunnerProfile {
  public static final String DIRECT = "direct";
  public static final String SPARK_LOCAL = "spark-local";
  public static final String DATABRICKS = "databricks";
  public static final List<String> NAMES = List.of(DIRECT, SPARK_LOCAL, DATABRICKS);

  /** Options that only the Spark runner reads (SparkPipelineOptions and its parents). */
  static final Set<String> SPARK_FLAGS =
      Set.of(
          "sparkMaster",
          "batchIntervalMillis",
          "minReadTimeMillis",
          "maxRecordsPerBatch",
          "readTimePercentage",
          "checkpointDir",
          "checkpointDurationMillis",
          "bundleSize",
          "cacheDisabled",
          "storageLevel",
          "enableSparkMetricSinks",
          "usesProvidedSparkContext");

  private static final String RESOURCE = "/io/tributary/runner-profiles/%s/pipeline.options";

  private RunnerProfile() {}

  /**
   * The arguments of a run with its profile applied: the profile's flags that the arguments do not
   * give, then the arguments, then {@code --profile=NAME} if it was implied.
   *
   * @throws IllegalArgumentException for an unknown profile or flags that contradict it
   */
  public static List<String> resolve(String[] args) {
    Map<String, String> given = flags(List.of(args));
    String runner = given.get("runner");
    String name = given.get("profile");
    if (name == null) {
      name = runner != null && isSparkRunner(runner) ? SPARK_LOCAL : DIRECT;
    }
    List<String> profileArgs = load(name);
    Map<String, String> profile = flags(profileArgs);
    boolean spark = isSparkRunner(profile.get("runner"));
    if (runner != null && isSparkRunner(runner) != spark) {
      throw new IllegalArgumentException(
          "--runner="
              + runner
              + " contradicts --profile="
              + name
              + ", which runs on "
              + profile.get("runner")
              + ": give one of them (the profiles are "
              + String.join(", ", NAMES)
              + ")");
    }
    if (!spark) {
      for (String flag : given.keySet()) {
        if (SPARK_FLAGS.contains(flag)) {
          throw new IllegalArgumentException(
              "--"
                  + flag
                  + " is an option of the Spark runner, but this run uses the DirectRunner: add"
                  + " --profile=spark-local (or --runner=SparkRunner), or drop --"
                  + flag);
        }
      }
    }
    List<String> resolved = new ArrayList<>();
    for (String arg : profileArgs) {
      if (!given.containsKey(name(arg))) {
        resolved.add(arg);
      }
    }
    resolved.addAll(List.of(args));
    if (!given.containsKey("profile")) {
      resolved.add("--profile=" + name);
    }
    if (spark) {
      checkSparkFlags(flags(resolved), given);
      SparkRunnerSession.checkFlags(resolved);
    }
    return resolved;
  }

  /** True for Beam's SparkRunner and TestSparkRunner, by short or full class name. */
  public static boolean isSparkRunner(String runner) {
    return runner != null
        && (runner.equals("SparkRunner")
            || runner.equals("TestSparkRunner")
            || runner.startsWith("org.apache.beam.runners.spark."));
  }

  /** The value of flag {@code name} in {@code args} ({@code --name=value}), if given. */
  public static Optional<String> value(List<String> args, String name) {
    return Optional.ofNullable(flags(args).get(name));
  }

  private static void checkSparkFlags(Map<String, String> effective, Map<String, String> given) {
    boolean provided = Boolean.parseBoolean(effective.getOrDefault("usesProvidedSparkContext", ""));
    if (provided && given.containsKey("sparkMaster")) {
      throw new IllegalArgumentException(
          "--sparkMaster has no effect with --usesProvidedSparkContext=true, where the running"
              + " SparkContext decides the master: drop one of them");
    }
    String master = effective.get("sparkMaster");
    if (master != null && master.startsWith("local") && !master.matches("local(\\[\\d+])?")) {
      throw new IllegalArgumentException(
          "--sparkMaster="
              + master
              + " is not supported: give the number of threads, e.g. local[2]. (With any other local"
              + " form Beam zips the whole classpath into the temporary directory before each run.)");
    }
  }

  private static List<String> load(String name) {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException(
          "unknown runner profile '"
              + name
              + "' for --profile: expected one of "
              + String.join(", ", NAMES));
    }
    String resource = String.format(RESOURCE, name);
    try (InputStream in = RunnerProfile.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("runner profile " + name + " is missing from the build");
      }
      List<String> args = new ArrayList<>();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String arg = line.strip();
        if (!arg.isEmpty() && !arg.startsWith("#")) {
          args.add(arg);
        }
      }
      return args;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read runner profile " + name, e);
    }
  }

  /** Flag name to value; a bare {@code --flag} has the value "true". Later flags win. */
  private static Map<String, String> flags(List<String> args) {
    Map<String, String> flags = new LinkedHashMap<>();
    for (String arg : args) {
      if (arg.startsWith("--")) {
        int eq = arg.indexOf('=');
        flags.put(name(arg), eq < 0 ? "true" : arg.substring(eq + 1));
      }
    }
    return flags;
  }

  static String name(String arg) {
    int eq = arg.indexOf('=');
    return eq < 0 ? arg.substring(2) : arg.substring(2, eq);
  }
}
