package io.tributary.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;

/**
 * The resource and data source schemas of the two providers, as committed in
 * src/test/resources/provider-schemas/ (the types this configuration uses, cut from the full
 * schemas in ../shared/terraform-schema/ by {@link SchemaSubsetTest}). An argument whose definition
 * has {@code elem.schema} is a nested block.
 */
final class ProviderSchemas {
  static final String AZURERM = "azurerm-4.81.0.json";
  static final String DATABRICKS = "databricks-1.99.0.json";

  /**
   * Attributes the databricks provider exports besides its arguments: its schema file (from the
   * provider's CDKTF bindings) lists arguments only. From the provider's docs/resources/*.md,
   * "Attribute Reference".
   */
  static final Map<String, Set<String>> DATABRICKS_EXPORTS =
      Map.of(
          "databricks_workspace_file", Set.of("workspace_path", "url", "object_id"),
          "databricks_job", Set.of("url"),
          "databricks_sql_endpoint", Set.of("jdbc_url", "odbc_params", "data_source_id"),
          "databricks_secret_scope", Set.of("backend_type"),
          "databricks_current_user",
              Set.of(
                  "user_name", "alphanumeric", "home", "repos", "external_id", "acl_principal_id"));

  /**
   * The databricks provider block's arguments (provider docs, docs/index.md "Argument Reference"):
   * the schema file has no provider block for it.
   */
  static final Set<String> DATABRICKS_PROVIDER_ARGUMENTS =
      Set.of(
          "host",
          "token",
          "profile",
          "config_file",
          "auth_type",
          "account_id",
          "client_id",
          "client_secret",
          "azure_workspace_resource_id",
          "azure_client_id",
          "azure_client_secret",
          "azure_tenant_id",
          "azure_use_msi",
          "azure_environment",
          "http_timeout_seconds",
          "rate_limit",
          "debug_truncate_bytes",
          "debug_headers",
          "skip_verify",
          "retry_timeout_seconds");

  final JsonNode azurerm;
  final JsonNode databricks;

  ProviderSchemas(JsonNode azurerm, JsonNode databricks) {
    this.azurerm = azurerm;
    this.databricks = databricks;
  }

  /** The committed subset. */
  static ProviderSchemas committed() {
    return new ProviderSchemas(load(AZURERM), load(DATABRICKS));
  }

  static JsonNode load(String file) {
    try (InputStream in = ProviderSchemas.class.getResourceAsStream("/provider-schemas/" + file)) {
      if (in == null) {
        throw new IllegalStateException("no provider-schemas/" + file + " on the test classpath");
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The provider a resource or data source type belongs to, by its name's prefix. */
  JsonNode providerOf(String type) {
    if (type.startsWith("azurerm_")) {
      return azurerm;
    }
    if (type.startsWith("databricks_")) {
      return databricks;
    }
    return null;
  }

  /** A type's argument definitions, or null when the provider has no such type (in this subset). */
  JsonNode schema(String kind, String type) {
    JsonNode provider = providerOf(type);
    if (provider == null) {
      return null;
    }
    JsonNode entry = provider.path(kind).path(type).path("schema");
    return entry.isMissingNode() ? null : entry;
  }

  static boolean isBlock(JsonNode definition) {
    return definition.path("elem").has("schema");
  }

  /**
   * Computed by the provider and not settable: azurerm marks these; the databricks file does not.
   */
  static boolean isReadOnly(JsonNode definition) {
    return definition.path("computed").asBoolean()
        && !definition.path("optional").asBoolean()
        && !definition.path("required").asBoolean();
  }
}
