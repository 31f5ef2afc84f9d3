# The Databricks workspace and, inside it, the streaming job built from
# runner-profiles/databricks/job.json: that file is the job's only definition, Terraform fills its
# placeholders and maps each of its fields below (TerraformConfigurationTest keeps the two in step).
resource "azurerm_databricks_workspace" "main" {
  name                = "${var.name_prefix}-databricks"
  location            = local.location
  resource_group_name = local.resource_group_name
  # Premium: Unity Catalog, secret and job access control.
  sku                         = "premium"
  managed_resource_group_name = "${var.name_prefix}-databricks-managed"
  tags                        = local.tags
}

# Data sources call the workspace API: they must wait for the workspace.
data "databricks_current_user" "deployer" {
  depends_on = [azurerm_databricks_workspace.main]
}

# Read-only in Databricks: the secrets are written to Key Vault (keyvault.tf), never through the scope.
resource "databricks_secret_scope" "keyvault" {
  name = var.secret_scope_name

  keyvault_metadata {
    resource_id = azurerm_key_vault.main.id
    dns_name    = azurerm_key_vault.main.vault_uri
  }

  depends_on = [azurerm_role_assignment.databricks_reads_secrets]
}

# The shaded job jar (mvn -B -pl runner-profiles/databricks -am package -DskipTests).
resource "databricks_workspace_file" "job_jar" {
  source = local.job_jar_file
  path   = "/Shared/tributary/tributary-databricks.jar"
}

locals {
  job_jar_file = coalesce(var.job_jar_file, "${path.module}/../runner-profiles/databricks/target/tributary-databricks-0.1.0-SNAPSHOT.jar")

  job_definition = jsondecode(templatefile("${path.module}/../runner-profiles/databricks/job.json", {
    TRIBUTARY_JAR        = databricks_workspace_file.job_jar.workspace_path
    BOOTSTRAP_SERVERS    = local.kafka_bootstrap_servers
    CONTAINER            = azurerm_storage_container.lakehouse.name
    STORAGE_ACCOUNT      = azurerm_storage_account.lake.name
    LAKEHOUSE_PATH       = var.lakehouse_path
    TENANT_ID            = data.azurerm_client_config.current.tenant_id
    CLIENT_ID            = var.job_service_principal_client_id
    SECRET_SCOPE         = databricks_secret_scope.keyvault.name
    SECRET_KEY           = azurerm_key_vault_secret.job_client_secret.name
    EVENTHUBS_SECRET_KEY = azurerm_key_vault_secret.eventhubs_listen.name
    NODE_TYPE            = var.node_type
    RUN_AS               = coalesce(var.job_run_as, data.databricks_current_user.deployer.user_name)
  }))
  # one(): a second task in job.json fails the plan instead of being left out.
  job_task = one(local.job_definition.tasks)
}

resource "databricks_job" "medallion" {
  name                = local.job_definition.name
  description         = local.job_definition.description
  tags                = local.job_definition.tags
  max_concurrent_runs = local.job_definition.max_concurrent_runs

  continuous {
    pause_status = local.job_definition.continuous.pause_status
  }

  task {
    task_key    = local.job_task.task_key
    description = local.job_task.description

    spark_jar_task {
      main_class_name = local.job_task.spark_jar_task.main_class_name
      parameters      = local.job_task.spark_jar_task.parameters
    }

    dynamic "library" {
      for_each = local.job_task.libraries
      content {
        jar = library.value.jar
      }
    }

    new_cluster {
      spark_version      = local.job_task.new_cluster.spark_version
      node_type_id       = local.job_task.new_cluster.node_type_id
      num_workers        = local.job_task.new_cluster.num_workers
      data_security_mode = local.job_task.new_cluster.data_security_mode
      single_user_name   = local.job_task.new_cluster.single_user_name
      runtime_engine     = local.job_task.new_cluster.runtime_engine
      spark_conf         = local.job_task.new_cluster.spark_conf
      spark_env_vars     = local.job_task.new_cluster.spark_env_vars
    }
  }

  # Not part of job.json: who hears about the job is a property of the deployment.
  email_notifications {
    on_failure                             = var.failure_notification_emails
    on_duration_warning_threshold_exceeded = var.duration_warning_seconds == null ? [] : var.failure_notification_emails
    no_alert_for_skipped_runs              = true
  }

  dynamic "webhook_notifications" {
    for_each = length(var.failure_notification_destination_ids) > 0 ? [var.failure_notification_destination_ids] : []
    content {
      dynamic "on_failure" {
        for_each = webhook_notifications.value
        content {
          id = on_failure.value
        }
      }
      dynamic "on_duration_warning_threshold_exceeded" {
        for_each = var.duration_warning_seconds == null ? [] : webhook_notifications.value
        content {
          id = on_duration_warning_threshold_exceeded.value
        }
      }
    }
  }

  dynamic "health" {
    for_each = var.duration_warning_seconds == null ? [] : [var.duration_warning_seconds]
    content {
      rules {
        metric = "RUN_DURATION_SECONDS"
        op     = "GREATER_THAN"
        value  = health.value
      }
    }
  }
}
