package io.tributary.databricks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.pipelines.lakehouse.storage.LakeStorage;
import io.tributary.pipelines.options.MedallionOptions;
import io.tributary.pipelines.runner.RunnerProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/**
 * The job definition (Jobs API 2.1) matches the jar: its main class, a cluster that can run the
 * SparkRunner, parameters that are all options of the job, and placeholders the README documents.
 */
class JobDefinitionTest {
  static final Path JOB = Path.of("job.json");
  static final Path README = Path.of("..", "README.md");
  static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z_]+)}");

  static String filled() throws IOException {
    Matcher placeholders = PLACEHOLDER.matcher(Files.readString(JOB));
    StringBuilder filled = new StringBuilder();
    while (placeholders.find()) {
      String sample =
          switch (placeholders.group(1)) {
            case "STORAGE_ACCOUNT" -> "tributarydev";
            case "TRIBUTARY_JAR" -> "/Volumes/main/tributary/jars/tributary-databricks.jar";
            default -> "sample-" + placeholders.group(1).toLowerCase().replace('_', '-');
          };
      placeholders.appendReplacement(filled, sample);
    }
    return placeholders.appendTail(filled).toString();
  }

  @Test
  void theTaskRunsTheJobsMainOnADedicatedScala212Cluster() throws IOException {
    JsonNode task = new ObjectMapper().readTree(filled()).get("tasks").get(0);

    assertThat(task.at("/spark_jar_task/main_class_name").asText())
        .isEqualTo(DatabricksJob.class.getName());
    // Beam's SparkRunner needs SparkContext and RDDs: classic compute in Dedicated access mode,
    // Spark 3.5 with Scala 2.12 and Java 17 (Databricks Runtime 16.4 LTS).
    assertThat(task.at("/new_cluster/spark_version").asText()).isEqualTo("16.4.x-scala2.12");
    assertThat(task.at("/new_cluster/data_security_mode").asText()).isEqualTo("SINGLE_USER");
    assertThat(task.at("/libraries/0/jar").asText()).endsWith(".jar");
    assertThat(task.at("/new_cluster/spark_env_vars").has(LakeStorage.DEFAULT_CLIENT_SECRET_ENV))
        .isTrue();
  }

  @Test
  void everyParameterIsAnOptionOfTheJob() throws IOException {
    JsonNode task = new ObjectMapper().readTree(filled()).get("tasks").get(0);
    List<String> parameters = new ArrayList<>();
    task.at("/spark_jar_task/parameters").forEach(p -> parameters.add(p.asText()));
    parameters.add("--profile=databricks");

    List<String> resolved = RunnerProfile.resolve(parameters.toArray(String[]::new));
    MedallionOptions options =
        PipelineOptionsFactory.fromArgs(resolved.toArray(String[]::new)).as(MedallionOptions.class);

    assertThat(options.getLakehouse())
        .isEqualTo(
            "abfss://sample-container@tributarydev.dfs.core.windows.net/sample-lakehouse-path");
    LakeStorage storage =
        LakeStorage.of(
            options.getLakehouse(),
            new LakeStorage.AuthOptions(
                options.getLakehouseAuth(),
                options.getAzureTenantId(),
                options.getAzureClientId(),
                options.getAzureClientSecretEnv()));
    assertThat(storage.isAbfs()).isTrue();
    assertThat(storage.auth()).isEqualTo(LakeStorage.Auth.SERVICE_PRINCIPAL);
  }

  @Test
  void theReadmeDocumentsEveryPlaceholder() throws IOException {
    Set<String> placeholders = new TreeSet<>();
    Matcher matcher = PLACEHOLDER.matcher(Files.readString(JOB));
    while (matcher.find()) {
      placeholders.add(matcher.group(1));
    }
    String readme = Files.readString(README);

    assertThat(placeholders).isNotEmpty().allMatch(p -> readme.contains("`" + p + "`"));
  }
}
