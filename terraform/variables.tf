variable "subscription_id" {
  description = "Azure subscription to deploy into (az account show --query id -o tsv)."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-fA-F-]{36}$", var.subscription_id))
    error_message = "subscription_id is a GUID such as 00000000-0000-0000-0000-000000000000."
  }
}

variable "name_prefix" {
  description = "Start of every resource name. The storage account, Key Vault, Event Hubs namespace and workspace names derive from it and must be unique in Azure: add something of your own (e.g. tribacme01)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{2,15}$", var.name_prefix))
    error_message = "name_prefix is 3 to 16 lowercase letters and digits, starting with a letter (storage account names allow nothing else)."
  }
}

variable "location" {
  description = "Azure region of every resource, e.g. westeurope."
  type        = string
  default     = "westeurope"
}

variable "existing_resource_group_name" {
  description = "Deploy into this existing resource group instead of creating NAME_PREFIX-rg."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every resource (project = tributary is always set)."
  type        = map(string)
  default     = {}
}

variable "datasets" {
  description = "Datasets to provision an event hub, a consumer group and tables for."
  type        = list(string)
  default     = ["students", "trips", "transactions", "weather"]

  validation {
    condition     = length(var.datasets) > 0 && alltrue([for d in var.datasets : contains(["students", "trips", "transactions", "weather"], d)])
    error_message = "datasets lists one or more of students, trips, transactions, weather."
  }
}

variable "eventhubs_sku" {
  description = "Event Hubs tier: Standard or Premium (Basic has no Kafka endpoint)."
  type        = string
  default     = "Standard"

  validation {
    condition     = contains(["Standard", "Premium"], var.eventhubs_sku)
    error_message = "eventhubs_sku is Standard or Premium: the Basic tier has no Kafka endpoint."
  }
}

variable "eventhubs_capacity" {
  description = "Throughput units (Standard) or processing units (Premium) of the namespace."
  type        = number
  default     = 1

  validation {
    condition     = var.eventhubs_capacity >= 1 && var.eventhubs_capacity <= 40
    error_message = "eventhubs_capacity is between 1 and 40."
  }
}

variable "eventhubs_partitions" {
  description = "Partitions per event hub. Fixed at creation on Standard (at most 32)."
  type        = number
  default     = 4

  validation {
    condition     = var.eventhubs_partitions >= 1 && var.eventhubs_partitions <= 32
    error_message = "eventhubs_partitions is between 1 and 32."
  }
}

variable "eventhubs_retention_days" {
  description = "Days an event hub keeps events: at most 7 on Standard, 90 on Premium."
  type        = number
  default     = 7

  validation {
    condition     = var.eventhubs_retention_days >= 1 && var.eventhubs_retention_days <= 90
    error_message = "eventhubs_retention_days is between 1 and 90 (7 on Standard)."
  }
}

variable "storage_replication" {
  description = "Replication of the lakehouse storage account: LRS, ZRS, GRS, RAGRS, GZRS or RAGZRS."
  type        = string
  default     = "LRS"

  validation {
    condition     = contains(["LRS", "ZRS", "GRS", "RAGRS", "GZRS", "RAGZRS"], var.storage_replication)
    error_message = "storage_replication is one of LRS, ZRS, GRS, RAGRS, GZRS, RAGZRS."
  }
}

variable "lakehouse_path" {
  description = "Directory of the lakehouse inside the lakehouse container (job.json's LAKEHOUSE_PATH)."
  type        = string
  default     = "tributary"

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]+(/[a-zA-Z0-9_-]+)*$", var.lakehouse_path))
    error_message = "lakehouse_path is a relative path such as tributary or teams/data/tributary, without leading or trailing slash."
  }
}

variable "key_vault_soft_delete_retention_days" {
  description = "Days a deleted Key Vault or secret stays recoverable (purge protection forbids purging sooner). Set once: Azure does not let it change."
  type        = number
  default     = 90

  validation {
    condition     = var.key_vault_soft_delete_retention_days >= 7 && var.key_vault_soft_delete_retention_days <= 90
    error_message = "key_vault_soft_delete_retention_days is between 7 and 90."
  }
}

variable "job_service_principal_client_id" {
  description = "Application (client) id of the Entra ID service principal the job writes the lakehouse as (job.json's CLIENT_ID)."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-fA-F-]{36}$", var.job_service_principal_client_id))
    error_message = "job_service_principal_client_id is the application (client) id GUID."
  }
}

variable "job_service_principal_object_id" {
  description = "Object id of that service principal (az ad sp show --id CLIENT_ID --query id -o tsv): it gets Storage Blob Data Contributor on the lakehouse container."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-fA-F-]{36}$", var.job_service_principal_object_id))
    error_message = "job_service_principal_object_id is the service principal's object id GUID (not its client id)."
  }
}

variable "job_service_principal_client_secret" {
  description = "Client secret of that service principal, stored in Key Vault for the job. Pass it as TF_VAR_job_service_principal_client_secret, never in a file under version control."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.job_service_principal_client_secret) > 0
    error_message = "job_service_principal_client_secret must not be empty."
  }
}

variable "azure_databricks_object_id" {
  description = "Object id, in your tenant, of Microsoft's AzureDatabricks application (az ad sp show --id 2ff814a6-3304-4ab8-85cb-cd0e6f879c1d --query id -o tsv): it reads the Key Vault for the secret scope."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-fA-F-]{36}$", var.azure_databricks_object_id))
    error_message = "azure_databricks_object_id is an object id GUID."
  }
}

variable "databricks_auth_type" {
  description = "How the databricks provider logs in to the workspace: azure-cli (az login), azure-client-secret (ARM_CLIENT_ID, ARM_CLIENT_SECRET, ARM_TENANT_ID) or azure-msi. A personal access token cannot create a Key Vault-backed secret scope."
  type        = string
  default     = "azure-cli"

  validation {
    condition     = contains(["azure-cli", "azure-client-secret", "azure-msi"], var.databricks_auth_type)
    error_message = "databricks_auth_type is azure-cli, azure-client-secret or azure-msi."
  }
}

variable "secret_scope_name" {
  description = "Name of the Key Vault-backed Databricks secret scope (job.json's SECRET_SCOPE)."
  type        = string
  default     = "tributary"

  validation {
    condition     = can(regex("^[a-zA-Z0-9_.@/-]{1,128}$", var.secret_scope_name))
    error_message = "secret_scope_name has 1 to 128 letters, digits and _ . @ / -."
  }
}

variable "job_jar_file" {
  description = "The shaded job jar to upload. Default: runner-profiles/databricks/target/tributary-databricks-0.1.0-SNAPSHOT.jar of this repository."
  type        = string
  default     = null
}

variable "node_type" {
  description = "VM size of the job cluster's driver and workers (job.json's NODE_TYPE)."
  type        = string
  default     = "Standard_D4ds_v5"
}

variable "job_run_as" {
  description = "User or service principal (application id) the job's Dedicated cluster is assigned to (job.json's RUN_AS). Default: whoever runs terraform apply."
  type        = string
  default     = null
}

variable "failure_notification_emails" {
  description = "Addresses mailed when a job run fails (and when it runs longer than duration_warning_seconds)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.failure_notification_emails : can(regex("^[^@\\s]+@[^@\\s]+$", e))])
    error_message = "failure_notification_emails holds e-mail addresses."
  }
}

variable "failure_notification_destination_ids" {
  description = "Ids of Databricks notification destinations (Slack, Teams, PagerDuty, webhooks; Settings > Notifications) told when a job run fails."
  type        = list(string)
  default     = []
}

variable "duration_warning_seconds" {
  description = "Warn (same recipients) when a run lasts longer than this. Off by default: a continuous job's run lasts until it fails or is stopped."
  type        = number
  default     = null

  validation {
    condition     = var.duration_warning_seconds == null || try(var.duration_warning_seconds > 0, false)
    error_message = "duration_warning_seconds is a positive number of seconds, or null for no warning."
  }
}

variable "sql_warehouse_size" {
  description = "Size of the SQL warehouse that serves Databricks SQL and Power BI."
  type        = string
  default     = "2X-Small"

  validation {
    condition     = contains(["2X-Small", "X-Small", "Small", "Medium", "Large", "X-Large", "2X-Large", "3X-Large", "4X-Large"], var.sql_warehouse_size)
    error_message = "sql_warehouse_size is one of 2X-Small, X-Small, Small, Medium, Large, X-Large, 2X-Large, 3X-Large, 4X-Large."
  }
}

variable "sql_warehouse_auto_stop_minutes" {
  description = "Idle minutes before the SQL warehouse stops (it starts again on the next query)."
  type        = number
  default     = 10

  validation {
    condition     = var.sql_warehouse_auto_stop_minutes >= 1
    error_message = "sql_warehouse_auto_stop_minutes is at least 1: a warehouse that never stops costs money all day."
  }
}

variable "catalog_name" {
  description = "Unity Catalog catalog the lakehouse tables are registered in (CATALOG.gold.weather_by_city_1m)."
  type        = string
  default     = "tributary"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]*$", var.catalog_name))
    error_message = "catalog_name is lowercase letters, digits and underscores, starting with a letter."
  }
}

variable "register_tables" {
  description = "Register the lakehouse tables in Unity Catalog. Turn on once the tables exist (after the job's first run, or ./tributary init against the lakehouse)."
  type        = bool
  default     = false
}
