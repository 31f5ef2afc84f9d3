package io.tributary.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContractTest {

  @ParameterizedTest
  @ValueSource(strings = {"weather", "students", "trips", "transactions"})
  void everyDatasetHasAContractWithAnEventIdAndAnEventTime(String dataset) {
    Contract contract = Contract.forDataset(dataset);

    assertThat(contract.dataset()).isEqualTo(dataset);
    assertThat(contract.field("event_id").required()).isTrue();
    assertThat(contract.field("event_id").uuid()).isTrue();
    assertThat(contract.field("event_time").type()).isEqualTo(FieldType.TIMESTAMP);
    assertThat(contract.field(contract.keyField()).required()).isTrue();
    assertThat(contract.eventsPerSecond()).isPositive();
  }

  @Test
  void weatherFieldsAreExactlyTheContract() {
    Contract weather = Contract.forDataset("weather");

    assertThat(weather.fields().stream().map(Field::name).toList())
        .containsExactly(
            "event_id",
            "station_id",
            "city",
            "country",
            "lat",
            "lon",
            "event_time",
            "temperature_c",
            "humidity_pct",
            "pressure_hpa",
            "wind_speed_ms",
            "precipitation_mm",
            "conditions");
    assertThat(weather.keyField()).isEqualTo("station_id");
    assertThat(weather.field("temperature_c").describeRules())
        .isEqualTo("required, double, -90 ≤ value ≤ 60");
    assertThat(weather.field("country").required()).isFalse();
  }

  @Test
  void studentIdsAreInts() {
    assertThat(Contract.forDataset("students").field("student_id").type()).isEqualTo(FieldType.INT);
    assertThat(Contract.forDataset("transactions").field("amount").type())
        .isEqualTo(FieldType.DECIMAL);
    assertThat(Contract.forDataset("transactions").field("amount").scale()).isEqualTo(2);
    assertThat(Contract.forDataset("trips").field("event_type").allowedValues())
        .isEqualTo(List.of("start", "position", "end"));
  }

  @Test
  void anUnknownDatasetIsRejected() {
    assertThat(Contract.exists("nope")).isFalse();
    assertThat(Contract.exists("../weather")).isFalse();
    assertThatThrownBy(() -> Contract.forDataset("nope"))
        .hasMessage("no event contract for dataset 'nope'");
  }

  @Test
  void aSchemaWithAnUnsupportedKeywordIsRejectedRatherThanHalfApplied() throws Exception {
    String schema =
        "{\"title\":\"x\",\"x-tributary-key\":\"id\",\"required\":[\"id\"],"
            + "\"properties\":{\"id\":{\"type\":\"string\",\"maxLength\":3}}}";

    assertThatThrownBy(() -> Contract.fromSchema(new ObjectMapper().readTree(schema)))
        .hasMessage("contract x, field 'id': unsupported JSON Schema keyword 'maxLength'");
  }

  @Test
  void anOptionalFieldMustAllowNull() throws Exception {
    String schema =
        "{\"title\":\"x\",\"x-tributary-key\":\"id\",\"required\":[\"id\"],"
            + "\"properties\":{\"id\":{\"type\":\"string\"},\"note\":{\"type\":\"string\"}}}";

    assertThatThrownBy(() -> Contract.fromSchema(new ObjectMapper().readTree(schema)))
        .hasMessageContaining("optional fields must allow null");
  }
}
