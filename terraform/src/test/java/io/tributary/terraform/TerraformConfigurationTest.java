package io.tributary.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * terraform/*.tf as committed: what terraform validate would check, the security settings, the job
 * against runner-profiles/databricks/job.json, and the names other parts of the repository use.
 */
class TerraformConfigurationTest {
  /** Surefire runs in the module directory, which is the Terraform root module. */
  static final Path MODULE = Path.of("").toAbsolutePath();

  static final String JOB_FILE = "../runner-profiles/databricks/job.json";

  static String jobText() throws IOException {
    return Files.readString(MODULE.resolve(JOB_FILE));
  }

  static JsonNode job(String text) throws IOException {
    return new ObjectMapper().readTree(text);
  }

  private final TerraformModule module = TerraformModule.read(MODULE);

  @Test
  void theConfigurationPassesTheSchemaAndReferenceChecks() {
    assertThat(module.texts)
        .containsOnlyKeys(
            "versions.tf",
            "main.tf",
            "variables.tf",
            "outputs.tf",
            "eventhubs.tf",
            "storage.tf",
            "keyvault.tf",
            "databricks.tf",
            "sql.tf");
    assertThat(ConfigurationChecker.check(ProviderSchemas.committed(), module)).isEmpty();
  }

  @Test
  void theConfigurationKeepsItsSecurityPosture() throws IOException {
    assertThat(SecurityPosture.check(module, Map.of(JOB_FILE, jobText()))).isEmpty();
  }

  @Test
  void theJobTerraformCreatesIsJobJson() throws IOException {
    String text = jobText();
    assertThat(JobDrift.check(module, JOB_FILE.substring(3), text, job(text))).isEmpty();
  }

  @Test
  void everyDatasetOfTheContractsHasAnEventHubAndGoldTables() throws IOException {
    Set<String> contracts = new TreeSet<>();
    try (Stream<Path> files =
        Files.list(MODULE.resolve("../contracts/src/main/resources/io/tributary/contracts"))) {
      files.forEach(f -> contracts.add(f.getFileName().toString().replace(".schema.json", "")));
    }
    Set<String> datasets = new TreeSet<>();
    module.variables.get("datasets").body().get("default").forEach(d -> datasets.add(d.asText()));

    assertThat(datasets).isEqualTo(contracts);
    Set<String> withGoldTables = new TreeSet<>();
    module
        .locals
        .get("gold_tables")
        .body()
        .get("value")
        .fieldNames()
        .forEachRemaining(withGoldTables::add);
    assertThat(withGoldTables).isEqualTo(contracts);
  }

  @Test
  void theRegisteredGoldTablesAreTheOnesTheReadmeLists() throws IOException {
    Set<String> readme = new TreeSet<>();
    Matcher m =
        Pattern.compile("`DIR/gold/([a-z0-9_]+)`")
            .matcher(Files.readString(MODULE.resolve("../README.md")));
    while (m.find()) {
      readme.add(m.group(1));
    }
    Set<String> terraform = new TreeSet<>();
    JsonNode goldTables = module.locals.get("gold_tables").body().get("value");
    goldTables.forEach(tables -> tables.forEach(t -> terraform.add(t.asText())));

    assertThat(readme).isNotEmpty();
    assertThat(terraform).isEqualTo(readme);
  }

  static Map<String, String> outputReaders() throws IOException {
    Map<String, String> readers = new java.util.TreeMap<>();
    for (String file : new String[] {"../tributary", "README.md", "../README.md"}) {
      readers.put(file, Files.readString(MODULE.resolve(file)));
    }
    return readers;
  }

  @Test
  void everyOutputTheLauncherAndTheReadmesReadIsDeclared() throws IOException {
    Map<String, String> readers = outputReaders();

    assertThat(OutputReaders.read(readers.get("../tributary")))
        .containsExactlyInAnyOrder(
            "eventhubs_namespace",
            "eventhubs_send_connection_string",
            "eventhubs_listen_connection_string");
    assertThat(OutputReaders.read(readers.get("README.md")))
        .contains("sql_warehouse_host", "sql_warehouse_http_path", "lakehouse_url");
    assertThat(OutputReaders.undeclared(module, readers)).isEmpty();
  }

  @Test
  void theExampleVariablesFileSetsDeclaredVariablesAndNoSecret() throws IOException {
    String example = Files.readString(MODULE.resolve("terraform.tfvars.example"));
    HclParser.Result parsed =
        HclParser.parse(Map.of("terraform.tfvars.example", example))
            .get("terraform.tfvars.example");
    assertThat(parsed.error()).isNull();

    Set<String> set = new TreeSet<>();
    parsed.json().fieldNames().forEachRemaining(set::add);
    assertThat(module.variables.keySet()).containsAll(set);
    module.variables.forEach(
        (name, variable) -> {
          boolean sensitive = variable.body().path("sensitive").asBoolean();
          if (sensitive) {
            assertThat(set).as("a secret in the example file").doesNotContain(name);
          } else if (!variable.body().has("default")) {
            assertThat(set).as("required variable missing from the example").contains(name);
          }
        });
  }
}
