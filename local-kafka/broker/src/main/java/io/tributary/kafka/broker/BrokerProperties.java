package io.tributary.kafka.broker;

import java.nio.file.Path;
import java.util.Properties;

/** The server.properties of a single-node, combined broker+controller KRaft cluster. */
final class BrokerProperties {

  static final int NODE_ID = 1;
  static final String CLIENT_LISTENER = "PLAINTEXT";
  static final String CONTROLLER_LISTENER = "CONTROLLER";

  /** The controller only ever talks to itself, so it never leaves loopback whatever --host is. */
  static final String CONTROLLER_HOST = "127.0.0.1";

  private BrokerProperties() {}

  static Properties create(String host, int brokerPort, int controllerPort, Path logDir) {
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
    return props;
  }
}
