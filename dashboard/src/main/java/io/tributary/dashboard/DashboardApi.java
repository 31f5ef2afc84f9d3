package io.tributary.dashboard;

import static io.tributary.dashboard.JsonValues.NODES;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.pipelines.lakehouse.TableSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The JSON answers of {@code /api/...}, from the lakehouse's tables. Reads only. */
final class DashboardApi {
  private final Tables tables;
  private final Duration refresh;
  private final Clock clock;
  private final TableHealth health;

  DashboardApi(Tables tables, Duration refresh, Clock clock, Optional<KafkaLag> kafka) {
    this.tables = tables;
    this.refresh = refresh;
    this.clock = clock;
    this.health = new TableHealth(tables, kafka);
  }

  /** {@code GET /api/tables}: every table with its rows, files, version and last commit. */
  ObjectNode tables() {
    ObjectNode answer = NODES.objectNode();
    answer.put("lakehouse", tables.root());
    answer.put("refreshSeconds", refresh.toSeconds());
    answer.put("generatedAt", clock.instant().toString());
    List<String> datasets = tables.datasets();
    ArrayNode list = answer.putArray("tables");
    for (LiveTable table : tables.all()) {
      table
          .current()
          .ifPresent(
              current -> {
                ObjectNode node = describe(table, current.snapshot(), current.counts());
                node.put("dataset", Tables.datasetOf(table.layer(), table.name(), datasets));
                list.add(node);
              });
    }
    return answer;
  }

  static ObjectNode describe(LiveTable table, TableSnapshot snapshot, TableSnapshot.Counts counts) {
    ObjectNode node = NODES.objectNode();
    node.put("layer", table.layer());
    node.put("name", table.name());
    node.put("format", snapshot.format().name().toLowerCase(java.util.Locale.ROOT));
    node.put("rows", counts.rows());
    node.put("files", counts.files());
    node.put("version", snapshot.version());
    node.put("lastCommit", snapshot.committedAt().toString());
    return node;
  }

  /**
   * {@code GET /api/tables/LAYER/NAME?limit=N}: the table's newest rows, with the version, commit
   * time and row count of the one snapshot they come from; empty when the lakehouse has no such
   * table.
   */
  Optional<ObjectNode> table(String layer, String name, int limit) {
    return tables
        .find(layer, name)
        .flatMap(table -> table.newest(limit))
        .map(
            newest -> {
              ObjectNode answer = NODES.objectNode();
              answer.put("layer", layer);
              answer.put("name", name);
              answer.put("version", newest.version());
              answer.put("lastCommit", newest.committedAt().toString());
              answer.put("rows", newest.tableRows());
              answer.put("orderedBy", newest.orderedBy());
              answer.put("limit", limit);
              ArrayNode rows = answer.putArray("newest");
              for (Map<String, Object> row : newest.rows()) {
                rows.add(JsonValues.row(row));
              }
              return answer;
            });
  }

  /** {@code GET /api/health}. */
  ObjectNode health() {
    return health.report(Instant.now(clock));
  }
}
