# Event Hubs: the Kafka endpoint the generators write to and the pipelines read from
# (NAMESPACE.servicebus.windows.net:9093). Standard and Premium namespaces speak Kafka; Basic does not.
resource "azurerm_eventhub_namespace" "main" {
  name                = "${var.name_prefix}-events"
  location            = local.location
  resource_group_name = local.resource_group_name
  sku                 = var.eventhubs_sku
  capacity            = var.eventhubs_capacity
  minimum_tls_version = "1.2"
  # Kafka clients log in with a policy's connection string (SASL PLAIN), which needs SAS enabled.
  local_authentication_enabled = true
  tags                         = local.tags
}

# One event hub (Kafka topic) per dataset, named like the dataset: the pipelines' default --topic.
resource "azurerm_eventhub" "dataset" {
  for_each = toset(var.datasets)

  name              = each.key
  namespace_id      = azurerm_eventhub_namespace.main.id
  partition_count   = var.eventhubs_partitions
  message_retention = var.eventhubs_retention_days

  lifecycle {
    precondition {
      condition     = var.eventhubs_sku == "Premium" || var.eventhubs_retention_days <= 7
      error_message = "A Standard namespace keeps events at most 7 days: lower eventhubs_retention_days or use eventhubs_sku = \"Premium\"."
    }
  }
}

# The consumer group the pipelines read with: the name Tributary derives for a dataset read from its own
# topic (tributary-DATASET-TOPIC, KafkaSettings.groupId), so offsets committed for lag monitoring show here.
resource "azurerm_eventhub_consumer_group" "pipelines" {
  for_each = azurerm_eventhub.dataset

  name                = "tributary-${each.key}-${each.key}"
  namespace_name      = azurerm_eventhub_namespace.main.name
  eventhub_name       = each.value.name
  resource_group_name = local.resource_group_name
  user_metadata       = "Tributary medallion pipelines"
}

# Least privilege: the generators may only send, the pipelines may only listen. The namespace's own
# manage-rights policy, which Azure creates with it, is handed to nothing (SecurityPosture checks).
resource "azurerm_eventhub_namespace_authorization_rule" "generators_send" {
  name                = "tributary-generators-send"
  namespace_name      = azurerm_eventhub_namespace.main.name
  resource_group_name = local.resource_group_name
  send                = true
  listen              = false
  manage              = false
}

resource "azurerm_eventhub_namespace_authorization_rule" "pipelines_listen" {
  name                = "tributary-pipelines-listen"
  namespace_name      = azurerm_eventhub_namespace.main.name
  resource_group_name = local.resource_group_name
  send                = false
  listen              = true
  manage              = false
}
