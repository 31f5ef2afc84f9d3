package io.tributary.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TablesTest {
  static final List<String> DATASETS = List.of("students", "transactions", "trips", "weather");

  @Test
  void goldTablesBelongToTheirDataset() {
    assertThat(Tables.datasetOf("silver", "weather", DATASETS)).isEqualTo("weather");
    assertThat(Tables.datasetOf("gold", "weather_by_city_1m", DATASETS)).isEqualTo("weather");
    assertThat(Tables.datasetOf("gold", "transaction_alerts", DATASETS)).isEqualTo("transactions");
    // Declared by the trips gold views as a latest-state table.
    assertThat(Tables.datasetOf("gold", "vehicles_latest", DATASETS)).isEqualTo("trips");
    assertThat(Tables.datasetOf("gold", "students_unique", DATASETS)).isEqualTo("students");
    assertThat(Tables.datasetOf("gold", "something_else", DATASETS)).isNull();
  }

  @Test
  void findsOnlyListedTablesByPlainNames(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("gold/weather_by_city_1m"));
    Files.createDirectories(root.resolve("bronze/weather"));
    Files.createDirectories(root.resolve("elsewhere/secret"));
    Tables tables = new Tables(root.toString(), Duration.ZERO, Clock.systemUTC());
    assertThat(tables.names()).containsExactly("bronze/weather", "gold/weather_by_city_1m");
    assertThat(tables.datasets()).containsExactly("weather");
    assertThat(tables.find("gold", "weather_by_city_1m")).isPresent();
    assertThat(tables.find("elsewhere", "secret")).isEmpty();
    for (String name : List.of("..", "../bronze", "WEATHER", "weather/..", "", "/etc", "a%2Fb")) {
      assertThat(tables.find("bronze", name)).as(name).isEmpty();
    }
    assertThat(tables.find("silver", "weather")).isEmpty();
  }
}
