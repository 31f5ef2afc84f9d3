output "resource_group_name" {
  description = "Resource group holding everything."
  value       = local.resource_group_name
}

output "eventhubs_namespace" {
  description = "Event Hubs namespace (./tributary --eventHubsNamespace)."
  value       = azurerm_eventhub_namespace.main.name
}

output "kafka_bootstrap_servers" {
  description = "Kafka endpoint of the namespace (SASL_SSL)."
  value       = local.kafka_bootstrap_servers
}

output "eventhubs_send_connection_string" {
  description = "Send-only connection string, for the generators (./tributary generate)."
  value       = azurerm_eventhub_namespace_authorization_rule.generators_send.primary_connection_string
  sensitive   = true
}

output "eventhubs_listen_connection_string" {
  description = "Listen-only connection string, for a local ./tributary run against these event hubs (the job reads it from Key Vault)."
  value       = azurerm_eventhub_namespace_authorization_rule.pipelines_listen.primary_connection_string
  sensitive   = true
}

output "lakehouse_url" {
  description = "The lakehouse (./tributary run --lakehouse)."
  value       = local.lakehouse_url
}

output "key_vault_uri" {
  description = "Key Vault holding the job's secrets."
  value       = azurerm_key_vault.main.vault_uri
}

output "databricks_workspace_url" {
  description = "Databricks workspace."
  value       = "https://${azurerm_databricks_workspace.main.workspace_url}"
}

output "databricks_job_id" {
  description = "The streaming job (databricks jobs get JOB_ID)."
  value       = databricks_job.medallion.id
}

output "databricks_job_url" {
  description = "The job's page in the workspace."
  value       = databricks_job.medallion.url
}

output "sql_warehouse_host" {
  description = "Server hostname for Power BI and other SQL clients."
  value       = azurerm_databricks_workspace.main.workspace_url
}

output "sql_warehouse_http_path" {
  description = "HTTP path of the SQL warehouse for Power BI and other SQL clients."
  value       = databricks_sql_endpoint.bi.odbc_params[0].path
}

output "catalog_name" {
  description = "Unity Catalog catalog of the tables (CATALOG.gold.weather_by_city_1m)."
  value       = databricks_catalog.tributary.name
}
