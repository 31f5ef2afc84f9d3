package io.tributary.pipelines;

import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.offsets.OffsetRanges;
import io.tributary.pipelines.source.TopicIdentity;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;

/**
 * Before a run reads a topic: whether the offsets its tables accounted for belong to the topic
 * there now. A topic deleted and created again, or a broker whose data was wiped, starts its
 * offsets at 0 again, so the tables' offsets would make its new records look already written.
 *
 * <p>Each table records, next to its offsets, the topic's identity (cluster id and topic id, see
 * {@link TopicIdentity}; Delta domain {@code tributary.kafka-source.<topic>}). A run finds a
 * recreated topic by an identity that changed, or, where the cluster gives no ids, by an end offset
 * below the highest offset a table accounted for. It then stops with a message naming the topic and
 * the choices, unless {@code --startTopicAfresh} names it: then each table forgets the old offsets
 * (kept aside, see {@link Lakehouse#startTopicAfresh}) in one commit and the topic is read from its
 * earliest offset into the same tables.
 */
final class TopicIncarnations {
  private TopicIncarnations() {}

  /**
   * Checks the dataset's tables against {@code topic} as it is now, starts it afresh if asked and
   * needed, and records its identity where a table has none.
   *
   * @param tables the dataset's tables (created already)
   * @param ends the topic's end offsets now
   * @return per table the topic feeds, the offsets it has accounted for afterwards
   * @throws IllegalArgumentException naming the topic and the choices, if it was recreated and not
   *     named by {@code --startTopicAfresh}
   */
  static Map<TableSpec, OffsetRanges> check(
      RunConfig config,
      DatasetTables tables,
      String topic,
      Map<Integer, Long> ends,
      PrintStream err) {
    Lakehouse lakehouse = config.lakehouse();
    String dataset = tables.dataset();
    Map<TableSpec, OffsetRanges> accounted = tables.accounted(lakehouse, topic);
    TopicIdentity now = TopicIdentity.lookUp(config.connection(), topic);
    Optional<String> recreated = evidence(lakehouse, accounted, topic, now, ends);
    if (recreated.isPresent()) {
      if (!config.topicsAfresh().contains(topic)) {
        throw new IllegalArgumentException(
            config.connection().topicNoun()
                + " '"
                + topic
                + "' was deleted and created again, or its broker's data was wiped: "
                + recreated.get()
                + ". The offsets the tables of "
                + dataset
                + " accounted for belong to the old topic, and its new records would be taken for"
                + " records already read, so nothing was read. Choose: --startTopicAfresh="
                + topic
                + " reads it from its earliest offset into the same tables, keeping their rows"
                + " (event ids silver already holds are still dropped as duplicates within the"
                + " de-duplication horizon); or point --lakehouse at a new directory; or, if the"
                + " tables should follow another topic, give it with --topic");
      }
      err.printf(
          "run: starting %s '%s' afresh (%s): its tables forget the offsets they accounted for"
              + " and keep their rows%n",
          config.connection().topicNoun(), topic, recreated.get());
      for (TableSpec table : accounted.keySet()) {
        lakehouse.startTopicAfresh(table, topic, now.toJson());
      }
      return tables.accounted(lakehouse, topic);
    }
    if (now.isKnown()) {
      for (TableSpec table : accounted.keySet()) {
        TopicIdentity recorded = TopicIdentity.fromJson(lakehouse.topicIdentity(table, topic));
        if (!recorded.equals(now)) {
          lakehouse.recordTopicIdentity(table, topic, now.toJson());
        }
      }
    }
    return accounted;
  }

  /** Why the tables' offsets belong to another incarnation of the topic, if they do. */
  private static Optional<String> evidence(
      Lakehouse lakehouse,
      Map<TableSpec, OffsetRanges> accounted,
      String topic,
      TopicIdentity now,
      Map<Integer, Long> ends) {
    for (Map.Entry<TableSpec, OffsetRanges> entry : accounted.entrySet()) {
      TableSpec table = entry.getKey();
      if (entry.getValue().isEmpty()) {
        continue;
      }
      TopicIdentity recorded = TopicIdentity.fromJson(lakehouse.topicIdentity(table, topic));
      if (now.differsFrom(recorded)) {
        return Optional.of(now.changeFrom(recorded) + " since " + table.name() + " read it");
      }
      for (Map.Entry<Integer, Long> read : entry.getValue().ends().entrySet()) {
        long end = ends.getOrDefault(read.getKey(), 0L);
        if (end < read.getValue()) {
          return Optional.of(
              "partition "
                  + read.getKey()
                  + " ends at offset "
                  + end
                  + ", below the "
                  + read.getValue()
                  + " "
                  + table.name()
                  + " has read");
        }
      }
    }
    return Optional.empty();
  }
}
