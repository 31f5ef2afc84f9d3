# SQL access for BI: a SQL warehouse, and the lakehouse tables registered in Unity Catalog as external
# Delta tables, so Databricks SQL and Power BI query CATALOG.gold.weather_by_city_1m by name.

resource "databricks_sql_endpoint" "bi" {
  name             = "${var.name_prefix}-bi"
  cluster_size     = var.sql_warehouse_size
  warehouse_type   = "PRO"
  max_num_clusters = 1
  auto_stop_mins   = var.sql_warehouse_auto_stop_minutes
}

# Unity Catalog reaches the lakehouse container as the access connector's managed identity (storage.tf).
resource "databricks_storage_credential" "lakehouse" {
  name    = "${var.name_prefix}-lakehouse"
  comment = "Tributary lakehouse (access connector ${azurerm_databricks_access_connector.unity_catalog.name})"

  azure_managed_identity {
    access_connector_id = azurerm_databricks_access_connector.unity_catalog.id
  }

  depends_on = [azurerm_role_assignment.unity_catalog_reads_lakehouse]
}

resource "databricks_external_location" "lakehouse" {
  name            = "${var.name_prefix}-lakehouse"
  url             = "abfss://${azurerm_storage_container.lakehouse.name}@${azurerm_storage_account.lake.name}.dfs.core.windows.net/"
  credential_name = databricks_storage_credential.lakehouse.name
  comment         = "The container holding the Tributary lakehouse"
}

resource "databricks_catalog" "tributary" {
  name = var.catalog_name
  # Beside the lakehouse path, never inside it: external tables may not overlap managed storage.
  storage_root = "${databricks_external_location.lakehouse.url}unity-catalog"
  comment      = "Tributary medallion tables (external Delta tables over ${local.lakehouse_url})"
}

resource "databricks_schema" "layer" {
  for_each = toset(["bronze", "silver", "quarantine", "gold"])

  catalog_name = databricks_catalog.tributary.name
  name         = each.key
  comment      = "Tributary ${each.key} tables"
}

locals {
  # The gold tables each dataset's pipeline writes (README "The lakehouse";
  # TerraformConfigurationTest checks both lists).
  gold_tables = {
    students     = ["students_by_course_1m", "students_unique"]
    transactions = ["transaction_alerts", "transactions_by_category_1m"]
    trips        = ["trips_by_zone_5m", "vehicles_latest"]
    weather      = ["weather_by_city_1m"]
  }

  lakehouse_tables = merge(
    { for pair in setproduct(["bronze", "silver", "quarantine"], var.datasets) : "${pair[0]}.${pair[1]}" => { schema = pair[0], table = pair[1] } },
    { for table in flatten([for dataset in var.datasets : local.gold_tables[dataset]]) : "gold.${table}" => { schema = "gold", table = table } },
  )
}

# CREATE TABLE ... LOCATION reads the schema from the table's Delta log, so the tables must exist first:
# the job creates them on its first run (or ./tributary init --lakehouse=abfss://...), then
# register_tables = true and a second apply registers them.
resource "databricks_sql_table" "lakehouse" {
  for_each = var.register_tables ? local.lakehouse_tables : {}

  catalog_name       = databricks_catalog.tributary.name
  schema_name        = databricks_schema.layer[each.value.schema].name
  name               = each.value.table
  table_type         = "EXTERNAL"
  data_source_format = "DELTA"
  storage_location   = "${local.lakehouse_url}/${each.value.schema}/${each.value.table}"
  warehouse_id       = databricks_sql_endpoint.bi.id

  # The columns come from the table's Delta log and belong to the pipelines, whose contracts add columns
  # (schema evolution): Terraform must not try to put them back.
  lifecycle {
    ignore_changes = [column]
  }

  depends_on = [databricks_external_location.lakehouse]
}
