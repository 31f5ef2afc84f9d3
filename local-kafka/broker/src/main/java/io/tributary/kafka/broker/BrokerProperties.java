package io.tributary.kafka.broker;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.common.security.plain.PlainLoginModule;

/** The server.properties of a single-node, combined broker+controller KRaft cluster. */
final class BrokerProperties {

  static final int NODE_ID = 1;
  static final String CLIENT_LISTENER = "PLAINTEXT";
  static final String CONTROLLER_LISTENER = "CONTROLLER";

  /** The Event Hubs stand-in's listener; Kafka spells it in lower case in per-listener keys. */
  static final String EVENT_HUBS_LISTENER = "EVENTHUBS";

  /** The controller only ever talks to itself, so it never leaves loopback whatever --host is. */
  static final String CONTROLLER_HOST = "127.0.0.1";

  private BrokerProperties() {}

  /**
   * The Event Hubs stand-in's SASL_SSL listener: its port, the PEM key store with the server key
   * and certificate chain, and the one key name and key that logins must present.
   */
  record SaslSslListener(int port, Path keyStore, String keyName, String key) {
    /** Never shows the key: a record's generated toString would. */
    @Override
    public String toString() {
      return "SaslSslListener[port="
          + port
          + ", keyStore="
          + keyStore
          + ", keyName="
          + keyName
          + "]";
    }
  }

  static Properties create(String host, int brokerPort, int controllerPort, Path logDir) {
    return create(host, brokerPort, controllerPort, logDir, null);
  }

  /** As {@link #create(String, int, int, Path)}, plus the Event Hubs listener unless it is null. */
  static Properties create(
      String host, int brokerPort, int controllerPort, Path logDir, SaslSslListener eventHubs) {
    Properties props = new Properties();
    props.setProperty("process.roles", "broker,controller");
    props.setProperty("node.id", Integer.toString(NODE_ID));
    // Static voters rather than a dynamic quorum: the controller port is picked afresh on each
    // start,
    // and with static voters only the node id is remembered on disk, not the address.
    props.setProperty(
        "controller.quorum.voters", NODE_ID + "@" + CONTROLLER_HOST + ":" + controllerPort);
    props.setProperty("controller.listener.names", CONTROLLER_LISTENER);
    props.setProperty(
        "listeners",
        CLIENT_LISTENER
            + "://"
            + host
            + ":"
            + brokerPort
            + ","
            + CONTROLLER_LISTENER
            + "://"
            + CONTROLLER_HOST
            + ":"
            + controllerPort);
    props.setProperty("advertised.listeners", CLIENT_LISTENER + "://" + host + ":" + brokerPort);
    props.setProperty("inter.broker.listener.name", CLIENT_LISTENER);
    props.setProperty(
        "listener.security.protocol.map",
        CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    props.setProperty("log.dirs", logDir.toString());

    props.setProperty("num.partitions", "4");
    props.setProperty("auto.create.topics.enable", "true");
    // One node: every replication factor above 1 would make internal topics uncreatable.
    props.setProperty("default.replication.factor", "1");
    props.setProperty("min.insync.replicas", "1");
    props.setProperty("offsets.topic.replication.factor", "1");
    props.setProperty("transaction.state.log.replication.factor", "1");
    props.setProperty("transaction.state.log.min.isr", "1");
    // The 50-partition defaults of the internal topics only slow down the first consumer group.
    props.setProperty("offsets.topic.num.partitions", "4");
    props.setProperty("transaction.state.log.num.partitions", "4");
    // Nobody else will join a local group: do not hold the first rebalance back for 3 s.
    props.setProperty("group.initial.rebalance.delay.ms", "0");
    if (eventHubs != null) {
      addEventHubsListener(props, host, eventHubs);
    }
    return props;
  }

  private static void addEventHubsListener(
      Properties props, String host, SaslSslListener listener) {
    String address = EVENT_HUBS_LISTENER + "://" + host + ":" + listener.port();
    props.setProperty("listeners", props.getProperty("listeners") + "," + address);
    props.setProperty(
        "advertised.listeners", props.getProperty("advertised.listeners") + "," + address);
    props.setProperty(
        "listener.security.protocol.map",
        props.getProperty("listener.security.protocol.map")
            + ","
            + EVENT_HUBS_LISTENER
            + ":SASL_SSL");
    String prefix = "listener.name." + EVENT_HUBS_LISTENER.toLowerCase(Locale.ROOT) + ".";
    props.setProperty(prefix + "sasl.enabled.mechanisms", "PLAIN");
    // The login module only satisfies Kafka's rule that a SASL listener has a JAAS entry; the
    // callback handler does the checking, with the key name and key taken from the entry's options.
    props.setProperty(
        prefix + "plain.sasl.jaas.config",
        PlainLoginModule.class.getName()
            + " required "
            + ConnectionStringAuthenticator.KEY_NAME_OPTION
            + "=\""
            + listener.keyName()
            + "\" "
            + ConnectionStringAuthenticator.KEY_OPTION
            + "=\""
            + listener.key()
            + "\";");
    props.setProperty(
        prefix + "plain.sasl.server.callback.handler.class",
        ConnectionStringAuthenticator.class.getName());
    props.setProperty(prefix + "ssl.keystore.type", "PEM");
    props.setProperty(prefix + "ssl.keystore.location", listener.keyStore().toString());
    props.setProperty(prefix + "ssl.client.auth", "none");
    // As on Event Hubs, where an event hub is created up front: an unknown one is an error, not a
    // new topic made on first use.
    props.setProperty("auto.create.topics.enable", "false");
  }
}
