provider "azurerm" {
  subscription_id = var.subscription_id
  # The lakehouse account accepts Entra ID only (shared keys off): the provider must not use keys,
  # and must not call the storage data plane for settings this configuration never manages.
  storage_use_azuread = true

  features {
    key_vault {
      # Purge protection keeps a deleted vault for its retention period: destroy must not try to purge it.
      purge_soft_delete_on_destroy = false
    }
    storage {
      data_plane_available = false
    }
  }
}

# The workspace is created by this configuration, so its URL is only known once it exists: a first
# apply targets the workspace (terraform/README.md, "Apply").
provider "databricks" {
  host                        = "https://${azurerm_databricks_workspace.main.workspace_url}"
  azure_workspace_resource_id = azurerm_databricks_workspace.main.id
  # Key Vault-backed secret scopes need an Entra ID login, never a personal access token.
  auth_type = var.databricks_auth_type
}

data "azurerm_client_config" "current" {}

resource "azurerm_resource_group" "main" {
  count    = var.existing_resource_group_name == null ? 1 : 0
  name     = "${var.name_prefix}-rg"
  location = var.location
  tags     = local.tags
}

data "azurerm_resource_group" "existing" {
  count = var.existing_resource_group_name == null ? 0 : 1
  name  = var.existing_resource_group_name
}

locals {
  resource_group_name = one(concat(azurerm_resource_group.main[*].name, data.azurerm_resource_group.existing[*].name))
  location            = var.location

  tags = merge({ project = "tributary" }, var.tags)

  kafka_bootstrap_servers = "${azurerm_eventhub_namespace.main.name}.servicebus.windows.net:9093"
  lakehouse_url           = "abfss://${azurerm_storage_container.lakehouse.name}@${azurerm_storage_account.lake.name}.dfs.core.windows.net/${var.lakehouse_path}"
}
