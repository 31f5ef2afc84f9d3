package io.tributary.pipelines.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.kafka.connection.KafkaConnection;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which incarnation of a topic offsets belong to: the cluster's id and the topic's id. A topic
 * deleted and created again gets a new topic id, and a broker whose data was wiped a new cluster
 * id, while offsets start again at 0: offsets recorded under another identity say nothing about the
 * records there now.
 *
 * @param clusterId the cluster id, or null when the cluster does not say (Event Hubs may not)
 * @param topicId the topic id, or null when the cluster does not say
 */
public record TopicIdentity(String clusterId, String topicId) {
  private static final Logger LOG = LoggerFactory.getLogger(TopicIdentity.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long the look-up may take before the identity is taken as unknown. */
  static final int LOOKUP_SECONDS = 30;

  /** Nothing known. */
  public static final TopicIdentity UNKNOWN = new TopicIdentity(null, null);

  public boolean isKnown() {
    return clusterId != null || topicId != null;
  }

  /**
   * Whether both identities are known and name different incarnations: another topic id, or another
   * cluster id.
   */
  public boolean differsFrom(TopicIdentity other) {
    return (topicId != null && other.topicId != null && !topicId.equals(other.topicId))
        || (clusterId != null && other.clusterId != null && !clusterId.equals(other.clusterId));
  }

  /** What changed, for messages: "its topic id changed from X to Y", … */
  public String changeFrom(TopicIdentity before) {
    if (clusterId != null && before.clusterId != null && !clusterId.equals(before.clusterId)) {
      return "the cluster id changed from "
          + before.clusterId
          + " to "
          + clusterId
          + " (another cluster, or its data was wiped)";
    }
    return "the topic id changed from " + before.topicId + " to " + topicId;
  }

  /** The identity of {@code topic} in the connection's cluster now; unknown if it cannot say. */
  public static TopicIdentity lookUp(KafkaConnection connection, String topic) {
    try (Admin admin = connection.newAdmin(LOOKUP_SECONDS)) {
      String cluster = admin.describeCluster().clusterId().get(LOOKUP_SECONDS, TimeUnit.SECONDS);
      Uuid id =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(LOOKUP_SECONDS, TimeUnit.SECONDS)
              .get(topic)
              .topicId();
      return new TopicIdentity(
          cluster == null || cluster.isBlank() ? null : cluster,
          id == null || Uuid.ZERO_UUID.equals(id) ? null : id.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return UNKNOWN;
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      // A cluster that cannot say (no admin rights, an older protocol): the end offsets still
      // reveal a topic that went back below what the tables read.
      LOG.warn(
          "cannot look up the ids of {} '{}' in {}: a recreated topic is detected by its end"
              + " offsets only ({})",
          connection.topicNoun(),
          topic,
          connection.describe(),
          e.getMessage());
      return UNKNOWN;
    }
  }

  public String toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("cluster_id", clusterId);
    node.put("topic_id", topicId);
    return node.toString();
  }

  /** Parses {@link #toJson}; unknown for an unreadable value. */
  public static TopicIdentity fromJson(Optional<String> json) {
    if (json.isEmpty()) {
      return UNKNOWN;
    }
    try {
      JsonNode node = JSON.readTree(json.get());
      return new TopicIdentity(text(node, "cluster_id"), text(node, "topic_id"));
    } catch (IOException e) {
      return UNKNOWN;
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
