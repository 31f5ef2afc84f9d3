# ADLS Gen2 (hierarchical namespace) holding the lakehouse: bronze/, silver/, quarantine/, gold/ and the
# Spark checkpoints under abfss://lakehouse@ACCOUNT.dfs.core.windows.net/LAKEHOUSE_PATH.
resource "azurerm_storage_account" "lake" {
  name                     = "${var.name_prefix}lake"
  location                 = local.location
  resource_group_name      = local.resource_group_name
  account_kind             = "StorageV2"
  account_tier             = "Standard"
  account_replication_type = var.storage_replication
  is_hns_enabled           = true

  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = false
  # Entra ID only: the job's service principal and Unity Catalog's access connector hold roles below;
  # no account key exists to leak.
  shared_access_key_enabled        = false
  default_to_oauth_authentication  = true
  cross_tenant_replication_enabled = false

  tags = local.tags
}

# On a hierarchical-namespace account a container is the ADLS Gen2 file system. Created through Azure
# Resource Manager (storage_account_id), so it needs neither a key nor a data-plane role.
resource "azurerm_storage_container" "lakehouse" {
  name                  = "lakehouse"
  storage_account_id    = azurerm_storage_account.lake.id
  container_access_type = "private"
}

# The job writes the lakehouse as this service principal (job.json: --lakehouseAuth=service-principal).
resource "azurerm_role_assignment" "job_writes_lakehouse" {
  scope                = azurerm_storage_container.lakehouse.id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = var.job_service_principal_object_id
  principal_type       = "ServicePrincipal"
}

# Unity Catalog reads the tables for Databricks SQL and Power BI through this managed identity.
resource "azurerm_databricks_access_connector" "unity_catalog" {
  name                = "${var.name_prefix}-unity-catalog"
  location            = local.location
  resource_group_name = local.resource_group_name

  identity {
    type = "SystemAssigned"
  }

  tags = local.tags
}

resource "azurerm_role_assignment" "unity_catalog_reads_lakehouse" {
  scope                = azurerm_storage_account.lake.id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = azurerm_databricks_access_connector.unity_catalog.identity[0].principal_id
  principal_type       = "ServicePrincipal"
}
