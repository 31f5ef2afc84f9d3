package io.tributary.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where events are read from: a Kafka cluster, or an Azure Event Hubs namespace over its Kafka
 * endpoint. Secrets are given as references ({@code env:VAR}, {@code file:/path}) and resolved only
 * where a Kafka client is created, so these options never hold one.
 */
public interface KafkaSourceOptions extends PipelineOptions {

  @Description(
      "Kafka bootstrap servers, HOST:PORT[,HOST:PORT...], e.g. 127.0.0.1:9092. Required unless"
          + " --eventHubsNamespace or --eventHubsConnectionString says where to read.")
  String getBootstrapServers();

  void setBootstrapServers(String value);

  @Description(
      "Topic to read. Default: the dataset name. With several datasets, a comma-separated list of topics in the"
          + " same order as --dataset. On Event Hubs a topic is an event hub.")
  String getTopic();

  void setTopic(String value);

  @Description(
      "Topics deleted and created again, or whose broker's data was wiped, to read afresh from their"
          + " earliest offset into the same tables, keeping the rows those hold: comma-separated,"
          + " among --topic. A run stops with a message naming such a topic when it finds one; this"
          + " flag changes nothing for a topic that was not recreated.")
  String getStartTopicAfresh();

  void setStartTopicAfresh(String value);

  @Description(
      "Azure Event Hubs namespace to read from over its Kafka endpoint (SASL_SSL): NS,"
          + " NS.servicebus.windows.net, or HOST:PORT. Default: the connection string's Endpoint.")
  String getEventHubsNamespace();

  void setEventHubsNamespace(String value);

  @Description(
      "Where the Event Hubs shared-access connection string is: env:VARIABLE or file:/path (on"
          + " Databricks, a cluster environment variable set to {{secrets/scope/key}}). Never the"
          + " connection string itself.")
  String getEventHubsConnectionString();

  void setEventHubsConnectionString(String value);

  @Description("Entra ID tenant of the service principal that reads Event Hubs (instead of a key).")
  String getEventHubsTenantId();

  void setEventHubsTenantId(String value);

  @Description("Entra ID application (client) id of the service principal that reads Event Hubs.")
  String getEventHubsClientId();

  void setEventHubsClientId(String value);

  @Description(
      "Where the Entra ID client secret is: env:VARIABLE or file:/path. Never the secret itself.")
  String getEventHubsClientSecret();

  void setEventHubsClientSecret(String value);

  @Description(
      "Certificates to trust for Event Hubs TLS (PEM, JKS or PKCS12 file), e.g. the local"
          + " stand-in's ca.pem from ./tributary kafka --eventHubsMode. Default: the JVM's trust"
          + " store.")
  String getSslTrustStore();

  void setSslTrustStore(String value);
}
