package io.tributary.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.testing.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.schemas.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitTest {
  @TempDir Path lakehouse;

  @Test
  void createsEveryTableOnceWithTheChangeDataFeedOnSilver() throws IOException {
    List<String> args = List.of("--lakehouse=" + lakehouse);
    Commands.Outcome first = Commands.succeed(Init::run, args);
    assertThat(first.out()).contains("students, transactions, trips, weather").contains("ready");

    for (String dataset : List.of("students", "trips", "transactions", "weather")) {
      for (String layer : List.of("bronze", "quarantine", "silver")) {
        assertThat(
                lakehouse.resolve(layer + "/" + dataset + "/_delta_log/00000000000000000000.json"))
            .isRegularFile();
      }
    }
    for (String view :
        List.of(
            "weather_by_city_1m",
            "students_by_course_1m",
            "trips_by_zone_5m",
            "transactions_by_category_1m",
            "transaction_alerts")) {
      assertThat(lakehouse.resolve("gold/" + view + "/_delta_log/00000000000000000000.json"))
          .isRegularFile();
    }
    String silver =
        Files.readString(lakehouse.resolve("silver/weather/_delta_log/00000000000000000000.json"));
    assertThat(silver)
        .contains("\"delta.enableChangeDataFeed\":\"true\"")
        .contains("\"minWriterVersion\":7")
        .contains("\"changeDataFeed\"")
        .contains("\"domainMetadata\"");
    String bronze =
        Files.readString(lakehouse.resolve("bronze/weather/_delta_log/00000000000000000000.json"));
    assertThat(bronze).doesNotContain("enableChangeDataFeed").contains("\"minReaderVersion\":1");

    // Again: nothing changes.
    long commits = commits();
    Commands.succeed(Init::run, args);
    assertThat(commits()).isEqualTo(commits);
  }

  @Test
  void reportsATableWhoseColumnsConflict() {
    Lakehouse existing = Lakehouse.at(lakehouse.toString(), TableFormat.DELTA);
    existing.create(
        existing.table("silver/weather", Schema.builder().addInt64Field("event_id").build()));

    Commands.Outcome outcome =
        Commands.call(Init::run, List.of("--lakehouse=" + lakehouse, "--dataset=weather"));

    assertThat(outcome.status()).isEqualTo(2);
    assertThat(outcome.err())
        .contains("init: table silver/weather")
        .contains("column 'event_id' is long in the table but string in the schema");
  }

  private long commits() throws IOException {
    try (Stream<Path> files = Files.walk(lakehouse)) {
      return files.filter(f -> f.toString().endsWith(".json")).count();
    }
  }
}
