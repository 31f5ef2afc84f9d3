package io.tributary.pipelines;

import io.tributary.pipelines.gold.GoldViews;
import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.source.TopicIdentity;
import java.io.PrintStream;
import java.util.List;
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
   * @param ends the topic's end offsets now
   * @return the tables as they stand afterwards, with their accounted offsets
   * @throws IllegalArgumentException naming the topic and the choices, if it was recreated and not
   *     named by {@code --startTopicAfresh}
   */
  static List<Resume.Table> check(
      RunConfig config, String dataset, String topic, Map<Integer, Long> ends, PrintStream err) {
    Lakehouse lakehouse = config.lakehouse();
    List<Resume.Table> tables =
        Resume.tables(lakehouse, dataset, topic, GoldViews.registered().get(dataset));
    MedallionPipeline.createTables(lakehouse, tables.stream().map(Resume.Table::spec).toList());
    TopicIdentity now = TopicIdentity.lookUp(config.connection(), topic);
    Optional<String> recreated = evidence(lakehouse, tables, topic, now, ends);
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
      for (Resume.Table table : tables) {
        lakehouse.startTopicAfresh(table.spec(), topic, now.toJson());
      }
      return Resume.tables(lakehouse, dataset, topic, GoldViews.registered().get(dataset));
    }
    if (now.isKnown()) {
      for (Resume.Table table : tables) {
        TopicIdentity recorded =
            TopicIdentity.fromJson(lakehouse.topicIdentity(table.spec(), topic));
        if (!recorded.equals(now)) {
          lakehouse.recordTopicIdentity(table.spec(), topic, now.toJson());
        }
      }
    }
    return tables;
  }

  /** Why the tables' offsets belong to another incarnation of the topic, if they do. */
  private static Optional<String> evidence(
      Lakehouse lakehouse,
      List<Resume.Table> tables,
      String topic,
      TopicIdentity now,
      Map<Integer, Long> ends) {
    for (Resume.Table table : tables) {
      if (table.accounted().isEmpty()) {
        continue;
      }
      TopicIdentity recorded = TopicIdentity.fromJson(lakehouse.topicIdentity(table.spec(), topic));
      if (now.differsFrom(recorded)) {
        return Optional.of(now.changeFrom(recorded) + " since " + table.spec().name() + " read it");
      }
      for (Map.Entry<Integer, Long> read : table.accounted().ends().entrySet()) {
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
                  + table.spec().name()
                  + " has read");
        }
      }
    }
    return Optional.empty();
  }
}
