package io.tributary.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The checks bite: each test breaks one thing in a copy of the real configuration (or of job.json)
 * and expects the problem, named as the checker names it.
 */
class CheckerCatchesMistakesTest {
  private static final TerraformModule REAL =
      TerraformModule.read(TerraformConfigurationTest.MODULE);

  /** Every problem the checks find after replacing {@code from} by {@code to} in one file. */
  private static List<String> problemsAfter(String file, String from, String to)
      throws IOException {
    String text = REAL.texts.get(file);
    assertThat(text).as(file).contains(from);
    Map<String, String> texts = new TreeMap<>(REAL.texts);
    texts.put(file, text.replace(from, to));
    return allProblems(TerraformModule.of(REAL.dir, texts), TerraformConfigurationTest.jobText());
  }

  private static List<String> allProblems(TerraformModule module, String jobText)
      throws IOException {
    List<String> problems =
        new ArrayList<>(ConfigurationChecker.check(ProviderSchemas.committed(), module));
    String jobFile = TerraformConfigurationTest.JOB_FILE;
    problems.addAll(SecurityPosture.check(module, Map.of(jobFile, jobText)));
    if (module.syntaxErrors().isEmpty()) {
      problems.addAll(
          JobDrift.check(
              module, jobFile.substring(3), jobText, TerraformConfigurationTest.job(jobText)));
    }
    return problems;
  }

  @Test
  void aMisspelledArgument() throws IOException {
    assertThat(
            problemsAfter(
                "storage.tf",
                "  is_hns_enabled           = true",
                "  is_hns_enable            = true"))
        .containsExactly(
            "storage.tf: resource azurerm_storage_account.lake: unknown argument 'is_hns_enable' (did you mean 'is_hns_enabled'?)");
  }

  @Test
  void aMisspelledNestedBlock() throws IOException {
    assertThat(problemsAfter("databricks.tf", "    spark_jar_task {", "    spark_jar_tasks {"))
        .contains(
            "databricks.tf: resource databricks_job.medallion > task: unknown block 'spark_jar_tasks' (did you mean 'spark_jar_task'?)");
  }

  @Test
  void anArgumentInsideAGeneratedBlock() throws IOException {
    assertThat(
            problemsAfter(
                "databricks.tf",
                "        jar = library.value.jar",
                "        jar_path = library.value.jar"))
        .contains(
            "databricks.tf: resource databricks_job.medallion > task > library: unknown argument 'jar_path'");
  }

  @Test
  void anUnknownResourceType() throws IOException {
    assertThat(
            problemsAfter(
                "eventhubs.tf",
                "resource \"azurerm_eventhub\" \"dataset\"",
                "resource \"azurerm_event_hub\" \"dataset\""))
        .contains(
            "eventhubs.tf: resource azurerm_event_hub.dataset: unknown resource type 'azurerm_event_hub' (not in the provider's schema; if the provider has it, add it to the committed subset: see SchemaSubsetTest)");
  }

  @Test
  void aMissingRequiredArgument() throws IOException {
    assertThat(
            problemsAfter("eventhubs.tf", "  partition_count   = var.eventhubs_partitions\n", ""))
        .containsExactly(
            "eventhubs.tf: resource azurerm_eventhub.dataset: missing required argument 'partition_count'");
  }

  @Test
  void aReadOnlyAttributeSet() throws IOException {
    assertThat(
            problemsAfter(
                "keyvault.tf",
                "  sku_name            = \"standard\"\n",
                "  sku_name            = \"standard\"\n  vault_uri           = \"https://x.vault.azure.net/\"\n"))
        .containsExactly(
            "keyvault.tf: resource azurerm_key_vault.main: 'vault_uri' is read-only (computed by the provider), it cannot be set");
  }

  @Test
  void aDeprecatedArgumentThatAzurerm5Removed() throws IOException {
    assertThat(
            problemsAfter(
                "keyvault.tf",
                "  rbac_authorization_enabled = true",
                "  enable_rbac_authorization = true"))
        .contains(
            "keyvault.tf: resource azurerm_key_vault.main: 'enable_rbac_authorization' is deprecated in azurerm 4.x and gone in 5.0: use 'rbac_authorization_enabled'");
  }

  @Test
  void referencesToThingsNotDeclared() throws IOException {
    assertThat(problemsAfter("eventhubs.tf", "var.eventhubs_partitions", "var.eventhub_partitions"))
        .containsExactly(
            "eventhubs.tf: azurerm_eventhub.dataset: reference to undeclared variable 'eventhub_partitions' (var.eventhub_partitions)");
    assertThat(
            problemsAfter(
                "storage.tf",
                "location                 = local.location",
                "location                 = local.region"))
        .containsExactly(
            "storage.tf: azurerm_storage_account.lake: reference to undeclared local 'region' (local.region)");
    assertThat(
            problemsAfter(
                "keyvault.tf",
                "key_vault_id = azurerm_key_vault.main.id\n  content_type = \"Event",
                "key_vault_id = azurerm_key_vault.vault.id\n  content_type = \"Event"))
        .containsExactly(
            "keyvault.tf: azurerm_key_vault_secret.eventhubs_listen: reference to undeclared resource 'azurerm_key_vault.vault' (azurerm_key_vault.vault.id)");
    assertThat(
            problemsAfter(
                "keyvault.tf",
                "data.azurerm_client_config.current.object_id",
                "data.azurerm_client_config.deployer.object_id"))
        .containsExactly(
            "keyvault.tf: azurerm_role_assignment.deployer_writes_secrets: reference to undeclared data source 'data.azurerm_client_config.deployer' (data.azurerm_client_config.deployer.object_id)");
    assertThat(
            problemsAfter(
                "outputs.tf",
                "azurerm_key_vault.main.vault_uri",
                "azurerm_key_vault.main.vault_url"))
        .containsExactly(
            "outputs.tf: output.key_vault_uri: azurerm_key_vault has no attribute 'vault_url' (azurerm_key_vault.main.vault_url) (did you mean 'vault_uri'?)");
  }

  @Test
  void aSyntaxError() throws IOException {
    assertThat(
            problemsAfter(
                "eventhubs.tf",
                "  message_retention = var.eventhubs_retention_days\n",
                "  message_retention =\n"))
        .singleElement()
        .asString()
        .startsWith("eventhubs.tf: ")
        .contains("Invalid expression");
  }

  @Test
  void aProviderConstraintThatAdmitsAzurerm5() throws IOException {
    assertThat(problemsAfter("versions.tf", "version = \"~> 4.42\"", "version = \">= 4.42\""))
        .containsExactly(
            "versions.tf: required_providers.azurerm: version constraint '>= 4.42' admits 5.0.0 (a major version this configuration is not written for; use ~> MAJOR.MINOR)");
    assertThat(problemsAfter("versions.tf", "version = \"~> 4.42\"", "version = \"~> 4\""))
        .containsExactly(
            "versions.tf: required_providers.azurerm: version constraint '~> 4' admits 5.0.0 (a major version this configuration is not written for; use ~> MAJOR.MINOR)");
    assertThat(
            problemsAfter(
                "versions.tf",
                "source = \"databricks/databricks\"",
                "source = \"databrickslabs/databricks\""))
        .containsExactly(
            "versions.tf: required_providers.databricks: source is 'databrickslabs/databricks', expected 'databricks/databricks'");
  }

  @Test
  void weakenedSecuritySettings() throws IOException {
    assertThat(
            problemsAfter(
                "storage.tf",
                "min_tls_version                 = \"TLS1_2\"",
                "min_tls_version                 = \"TLS1_0\""))
        .containsExactly(
            "storage.tf: azurerm_storage_account.lake: min_tls_version must be \"TLS1_2\" (is \"TLS1_0\")");
    assertThat(
            problemsAfter(
                "storage.tf",
                "allow_nested_items_to_be_public = false",
                "allow_nested_items_to_be_public = true"))
        .containsExactly(
            "storage.tf: azurerm_storage_account.lake: allow_nested_items_to_be_public must be false (is true)");
    assertThat(
            problemsAfter(
                "storage.tf",
                "container_access_type = \"private\"",
                "container_access_type = \"blob\""))
        .containsExactly(
            "storage.tf: azurerm_storage_container.lakehouse: container_access_type must be \"private\" (is \"blob\")");
    assertThat(problemsAfter("keyvault.tf", "  purge_protection_enabled   = true\n", ""))
        .containsExactly(
            "keyvault.tf: azurerm_key_vault.main: purge_protection_enabled must be true (is not set)");
    assertThat(
            problemsAfter(
                "keyvault.tf",
                "rbac_authorization_enabled = true",
                "rbac_authorization_enabled = false"))
        .containsExactly(
            "keyvault.tf: azurerm_key_vault.main: rbac_authorization_enabled must be true (is false)");
    assertThat(
            problemsAfter(
                "eventhubs.tf",
                "  listen              = true\n  manage              = false",
                "  listen              = true\n  manage              = true"))
        .containsExactly(
            "eventhubs.tf: azurerm_eventhub_namespace_authorization_rule.pipelines_listen: manage must not be true");
  }

  @Test
  void theRootKeyAndSecretsInTheOpen() throws IOException {
    assertThat(
            problemsAfter(
                "outputs.tf",
                "azurerm_eventhub_namespace_authorization_rule.pipelines_listen.primary_connection_string",
                "azurerm_eventhub_namespace.main.default_primary_connection_string"))
        .containsExactly(
            "outputs.tf: output.eventhubs_listen_connection_string: azurerm_eventhub_namespace.main.default_primary_connection_string is RootManageSharedAccessKey's secret: use the Send or Listen rule");
    assertThat(
            problemsAfter(
                "eventhubs.tf",
                "name                = \"tributary-pipelines-listen\"",
                "name                = \"RootManageSharedAccessKey\""))
        .containsExactly(
            "eventhubs.tf: names RootManageSharedAccessKey (the namespace's manage key): use the Send or Listen rule");
    assertThat(
            problemsAfter(
                "outputs.tf",
                "primary_connection_string\n  sensitive   = true\n}\n\noutput \"lakehouse_url\"",
                "primary_connection_string\n}\n\noutput \"lakehouse_url\""))
        .containsExactly(
            "outputs.tf: output \"eventhubs_listen_connection_string\" carries azurerm_eventhub_namespace_authorization_rule.pipelines_listen.primary_connection_string but is not sensitive = true");
    assertThat(
            problemsAfter(
                "variables.tf",
                "  sensitive   = true\n\n  validation {\n    condition     = length(var.job_service_principal_client_secret)",
                "\n  validation {\n    condition     = length(var.job_service_principal_client_secret)"))
        .containsExactly(
            "variables.tf: variable \"job_service_principal_client_secret\" holds a secret but is not sensitive = true");
  }

  @Test
  void aJobThatDriftsFromJobJson() throws IOException {
    assertThat(
            problemsAfter(
                "databricks.tf",
                "num_workers        = local.job_task.new_cluster.num_workers",
                "num_workers        = 2"))
        .containsExactly(
            "databricks.tf: resource databricks_job.medallion".replace("resource ", "")
                + ": tasks[0].new_cluster.num_workers is written in Terraform (2) instead of taken from job.json (2): a second copy of the job definition");
    assertThat(
            problemsAfter(
                "databricks.tf",
                "      runtime_engine     = local.job_task.new_cluster.runtime_engine\n",
                ""))
        .containsExactly(
            "databricks.tf: databricks_job.medallion: job.json's tasks[0].new_cluster.runtime_engine is not set by Terraform (map it from local job definition)");
    assertThat(
            problemsAfter(
                "databricks.tf",
                "  max_concurrent_runs = local.job_definition.max_concurrent_runs\n",
                "  max_concurrent_runs = local.job_definition.max_concurrent_runs\n  timeout_seconds     = 3600\n"))
        .containsExactly(
            "databricks.tf: databricks_job.medallion: Terraform sets timeout_seconds, which job.json does not have: add it to job.json, the job's one definition");
    assertThat(problemsAfter("databricks.tf", "    NODE_TYPE            = var.node_type\n", ""))
        .containsExactly(
            "databricks.tf: local.job_definition: templatefile gives no value for ${NODE_TYPE} of ../runner-profiles/databricks/job.json"
                .replace("../", ""));
  }

  @Test
  void aFieldAddedToJobJsonAlone() throws IOException {
    String job =
        TerraformConfigurationTest.jobText()
            .replace(
                "\"num_workers\": 2,",
                "\"num_workers\": 2,\n        \"autotermination_minutes\": 30,");
    assertThat(job).contains("autotermination_minutes");

    assertThat(allProblems(REAL, job))
        .containsExactly(
            "databricks.tf: databricks_job.medallion: job.json's tasks[0].new_cluster.autotermination_minutes is not set by Terraform (map it from local job definition)");
  }

  @Test
  void anOutputTheLauncherReadsRenamed() throws IOException {
    Map<String, String> texts = new TreeMap<>(REAL.texts);
    texts.put(
        "outputs.tf",
        texts.get("outputs.tf").replace("output \"eventhubs_namespace\"", "output \"namespace\""));
    TerraformModule renamed = TerraformModule.of(REAL.dir, texts);

    assertThat(OutputReaders.undeclared(renamed, TerraformConfigurationTest.outputReaders()))
        .containsExactly(
            "../tributary reads output 'eventhubs_namespace', which the module does not declare",
            "README.md reads output 'eventhubs_namespace', which the module does not declare");
  }

  @Test
  void aValidationThatReadsAnotherVariable() throws IOException {
    assertThat(
            problemsAfter(
                "variables.tf",
                "condition     = var.eventhubs_retention_days >= 1 &&",
                "condition     = var.eventhubs_sku == \"Premium\" ||"))
        .containsExactly(
            "variables.tf: variable \"eventhubs_retention_days\": its validation reads var.eventhubs_sku (Terraform before 1.9 allows only the variable itself; use a precondition)");
  }

  @Test
  void aMisspelledProviderArgumentAndAnUnknownDataSource() throws IOException {
    assertThat(
            problemsAfter("main.tf", "storage_use_azuread = true", "storage_use_azure_ad = true"))
        .containsExactly(
            "main.tf: provider \"azurerm\": unknown argument 'storage_use_azure_ad' (did you mean 'storage_use_azuread'?)");
    assertThat(
            problemsAfter(
                "main.tf",
                "data \"azurerm_client_config\" \"current\" {}",
                "data \"azurerm_client_configuration\" \"current\" {}"))
        .contains(
            "main.tf: data source data.azurerm_client_configuration.current: unknown data source type 'azurerm_client_configuration' (not in the provider's schema; if the provider has it, add it to the committed subset: see SchemaSubsetTest)");
  }
}
