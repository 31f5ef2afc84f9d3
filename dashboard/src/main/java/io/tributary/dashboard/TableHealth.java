package io.tributary.dashboard;

import static io.tributary.dashboard.JsonValues.NODES;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.pipelines.lakehouse.TableSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/health}: per table its rows and freshness; per dataset the quarantine share by rule
 * (with a few payloads), gold rows updated by late events, and, with a broker, the lag of bronze,
 * silver and quarantine behind each partition of the dataset's topic.
 */
final class TableHealth {
  private static final Logger LOG = LoggerFactory.getLogger(TableHealth.class);

  /** Payloads kept per quarantine rule: enough to see what is wrong. */
  static final int SAMPLES_PER_RULE = 3;

  private static final List<String> QUARANTINE_COLUMNS =
      List.of("rule", "stage", "field", "reason", "payload", "kafka_timestamp");

  private final Tables tables;
  private final Optional<KafkaLag> kafka;

  TableHealth(Tables tables, Optional<KafkaLag> kafka) {
    this.tables = tables;
    this.kafka = kafka;
  }

  ObjectNode report(Instant now) {
    ObjectNode report = NODES.objectNode();
    report.put("generatedAt", now.toString());
    List<String> datasets = tables.datasets();
    ArrayNode tableList = report.putArray("tables");
    Map<String, TableSnapshot.Counts> counts = new TreeMap<>();
    for (LiveTable table : tables.all()) {
      table
          .current()
          .ifPresent(
              current -> {
                ObjectNode node =
                    DashboardApi.describe(table, current.snapshot(), current.counts());
                node.put("dataset", Tables.datasetOf(table.layer(), table.name(), datasets));
                node.put(
                    "freshnessSeconds",
                    Math.max(
                        0, Duration.between(current.snapshot().committedAt(), now).toSeconds()));
                tableList.add(node);
                counts.put(table.layer() + "/" + table.name(), current.counts());
              });
    }
    ArrayNode datasetList = report.putArray("datasets");
    for (String dataset : datasets) {
      datasetList.add(dataset(dataset, datasets, counts));
    }
    report.put("kafka", kafka.isPresent() ? "connected" : "not configured (--bootstrapServers)");
    return report;
  }

  private ObjectNode dataset(
      String dataset, List<String> datasets, Map<String, TableSnapshot.Counts> counts) {
    ObjectNode node = NODES.objectNode();
    node.put("dataset", dataset);
    long bronze = rows(counts, "bronze/" + dataset);
    long quarantine = rows(counts, "quarantine/" + dataset);
    node.put("bronzeRows", bronze);
    node.put("silverRows", rows(counts, "silver/" + dataset));
    node.put("quarantineRows", quarantine);
    node.put("quarantineShare", share(quarantine, bronze));
    ArrayNode rules = node.putArray("quarantineByRule");
    tables
        .find("quarantine", dataset)
        .flatMap(table -> table.derive("rules", TableHealth::rules))
        .ifPresent(
            byRule ->
                byRule.forEach(
                    (rule, summary) -> {
                      ObjectNode r = rules.addObject();
                      r.put("rule", rule);
                      r.put("rows", summary.rows());
                      r.put("share", share(summary.rows(), bronze));
                      ArrayNode samples = r.putArray("samples");
                      summary.samples().forEach(sample -> samples.add(JsonValues.row(sample)));
                    }));
    long late = 0;
    for (LiveTable table : tables.all()) {
      if (table.layer().equals("gold")
          && dataset.equals(Tables.datasetOf(table.layer(), table.name(), datasets))) {
        late += table.derive("late", TableHealth::lateRows).orElse(0L);
      }
    }
    node.put("goldRowsFromLateEvents", late);
    kafka.ifPresent(k -> node.set("lag", lag(k, dataset)));
    return node;
  }

  /** Rows and the newest sample payloads of one quarantine rule. */
  record RuleSummary(long rows, List<Map<String, Object>> samples) {}

  private static Map<String, RuleSummary> rules(TableSnapshot quarantine) {
    Map<String, long[]> rows = new TreeMap<>();
    Map<String, List<Map<String, Object>>> samples = new TreeMap<>();
    List<String> columns =
        QUARANTINE_COLUMNS.stream().filter(quarantine.columns()::contains).toList();
    quarantine.forEachRow(
        columns,
        row -> {
          String rule = String.valueOf(row.get("rule"));
          rows.computeIfAbsent(rule, r -> new long[1])[0]++;
          List<Map<String, Object>> kept = samples.computeIfAbsent(rule, r -> new ArrayList<>());
          kept.add(row);
          // Keep the newest few by Kafka time: sort and cut once the list doubles.
          if (kept.size() >= 2 * SAMPLES_PER_RULE) {
            newestFirst(kept);
            kept.subList(SAMPLES_PER_RULE, kept.size()).clear();
          }
        });
    Map<String, RuleSummary> byRule = new TreeMap<>();
    rows.forEach(
        (rule, n) -> {
          List<Map<String, Object>> kept = samples.get(rule);
          newestFirst(kept);
          byRule.put(
              rule,
              new RuleSummary(
                  n[0], List.copyOf(kept.subList(0, Math.min(SAMPLES_PER_RULE, kept.size())))));
        });
    return byRule;
  }

  private static void newestFirst(List<Map<String, Object>> rows) {
    rows.sort(
        java.util.Comparator.comparing(
                (Map<String, Object> row) -> (Instant) row.get("kafka_timestamp"),
                java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder()))
            .reversed());
  }

  /** Gold rows whose current answer includes events that came after the window closed. */
  private static long lateRows(TableSnapshot gold) {
    if (!gold.columns().contains("pane_timing")) {
      return 0L;
    }
    long[] late = {0};
    gold.forEachRow(
        List.of("pane_timing"),
        row -> {
          if ("LATE".equals(row.get("pane_timing"))) {
            late[0]++;
          }
        });
    return late[0];
  }

  private ObjectNode lag(KafkaLag kafka, String topic) {
    ObjectNode lag = NODES.objectNode();
    lag.put("topic", topic);
    Map<Integer, Long> ends;
    try {
      ends = kafka.endOffsets(topic);
    } catch (Exception e) {
      LOG.debug("no end offsets for {}", topic, e);
      lag.put(
          "error", "the broker did not give the end offsets of " + topic + ": " + e.getMessage());
      return lag;
    }
    ObjectNode perTable = lag.putObject("tables");
    for (String layer : List.of("bronze", "silver", "quarantine")) {
      tables
          .find(layer, topic)
          .flatMap(table -> table.derive("positions:" + topic, s -> s.frontiers(topic)))
          .ifPresent(
              positions -> {
                ArrayNode partitions = perTable.putArray(layer);
                ends.forEach(
                    (partition, end) -> {
                      long position = positions.getOrDefault(partition, 0L);
                      ObjectNode p = partitions.addObject();
                      p.put("partition", partition);
                      p.put("endOffset", end);
                      p.put("tableOffset", position);
                      p.put("lag", Math.max(0, end - position));
                    });
              });
    }
    return lag;
  }

  private static long rows(Map<String, TableSnapshot.Counts> counts, String table) {
    TableSnapshot.Counts c = counts.get(table);
    return c == null ? 0 : c.rows();
  }

  private static double share(long part, long whole) {
    return whole == 0 ? 0.0 : Math.round(part * 1_000_000.0 / whole) / 1_000_000.0;
  }
}
