package io.tributary.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README documents each contract; this keeps it word for word in step with the schema files.
 */
class ReadmeContractsTest {

  @ParameterizedTest
  @ValueSource(strings = {"weather", "students", "trips", "transactions"})
  void theReadmeShowsTheContractAsTheSchemaDefinesIt(String dataset) throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    String table = ContractDocs.markdownTable(Contract.forDataset(dataset));

    assertThat(readme)
        .as(
            "README.md must contain this table for %s (regenerate it from the schema):%n%s",
            dataset, table)
        .contains(table);
  }

  @Test
  void theReadmeStatesTheTimestampRangeTheParserEnforces() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));

    assertThat(readme)
        .contains("`range`: an `event_time` before " + FieldType.EARLIEST_TIMESTAMP + " or after ")
        .contains(FieldType.END_OF_TIMESTAMPS.minusMillis(1).toString())
        .contains("more than 18 − scale digits")
        .contains("ISO-8601 instant, years 1900 to 9999");
    assertThat(FieldType.DECIMAL_PRECISION).isEqualTo(18);
  }
}
