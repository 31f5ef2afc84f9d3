package io.tributary.kafka.broker;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * The Event Hubs stand-in flags: {@code --eventHubsMode}, {@code --eventHubsPort} and {@code
 * --eventHubsKey}.
 *
 * @param enabled whether to open the SASL_SSL listener at all
 * @param port the listener's port if given; otherwise the broker port + 1
 * @param key the SharedAccessKey if given; otherwise the one kept in the data directory
 */
record EventHubsOptions(boolean enabled, OptionalInt port, Optional<String> key) {

  static final EventHubsOptions OFF =
      new EventHubsOptions(false, OptionalInt.empty(), Optional.empty());

  /** Never shows the key: a record's generated toString would, and options end up in logs. */
  @Override
  public String toString() {
    return "EventHubsOptions[enabled="
        + enabled
        + ", port="
        + (port.isPresent() ? Integer.toString(port.getAsInt()) : "default")
        + ", key="
        + (key.isPresent() ? "<given>" : "<stored>")
        + "]";
  }
}
