# Key Vault with the two secrets the job needs; Databricks reads them through a secret scope backed by
# this vault (databricks.tf), so no secret value is ever written into the job definition.
resource "azurerm_key_vault" "main" {
  name                = "${var.name_prefix}-kv"
  location            = local.location
  resource_group_name = local.resource_group_name
  tenant_id           = data.azurerm_client_config.current.tenant_id
  sku_name            = "standard"

  # Access by Azure roles, not vault access policies.
  rbac_authorization_enabled = true
  # A deleted vault or secret stays recoverable for the retention period and cannot be purged early.
  purge_protection_enabled   = true
  soft_delete_retention_days = var.key_vault_soft_delete_retention_days

  tags = local.tags
}

# Whoever runs terraform apply writes the secrets.
resource "azurerm_role_assignment" "deployer_writes_secrets" {
  scope                = azurerm_key_vault.main.id
  role_definition_name = "Key Vault Secrets Officer"
  principal_id         = data.azurerm_client_config.current.object_id
}

# Databricks resolves {{secrets/SCOPE/KEY}} as its first-party AzureDatabricks application.
resource "azurerm_role_assignment" "databricks_reads_secrets" {
  scope                = azurerm_key_vault.main.id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = var.azure_databricks_object_id
  principal_type       = "ServicePrincipal"
}

resource "azurerm_key_vault_secret" "eventhubs_listen" {
  name         = "eventhubs-listen-connection-string"
  value        = azurerm_eventhub_namespace_authorization_rule.pipelines_listen.primary_connection_string
  key_vault_id = azurerm_key_vault.main.id
  content_type = "Event Hubs connection string (Listen only)"

  depends_on = [azurerm_role_assignment.deployer_writes_secrets]
}

resource "azurerm_key_vault_secret" "job_client_secret" {
  name         = "lakehouse-sp-secret"
  value        = var.job_service_principal_client_secret
  key_vault_id = azurerm_key_vault.main.id
  content_type = "Entra ID client secret of the job's service principal"

  depends_on = [azurerm_role_assignment.deployer_writes_secrets]
}
