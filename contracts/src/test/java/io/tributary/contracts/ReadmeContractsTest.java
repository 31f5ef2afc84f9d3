package io.tributary.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
