package io.tributary.pipelines.gold;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.pipelines.DatasetTables;
import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableSpec;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a drain's gold reads besides the new rows, planned from a real Delta silver table's log. */
class GoldInputTest {
  private static final String IDENTITY = "{\"cluster\":\"c\",\"topic\":\"t\"}";

  @TempDir Path dir;

  @Test
  void aSilverTableWithOnlyMetadataCommitsHasNoHistoryToRead() {
    Lakehouse lakehouse = Lakehouse.at(dir.toString(), TableFormat.DELTA);
    DatasetTables tables = DatasetTables.of(lakehouse, "weather");
    tables.createFedByTopic(lakehouse);
    // What a run commits first: the topic's identity, no row.
    lakehouse.recordTopicIdentity(tables.silver(), "weather", IDENTITY);

    GoldInput input = plan(lakehouse, tables);

    assertThat(input.silverVersion()).contains(1L);
    PCollection<Row> fresh = noRows(tables.silver());
    assertThat(input.expand("weather", fresh)).isSameAs(fresh);
  }

  @Test
  void aSilverTableFoldedBeforeIsReadForTheWindowsTheNewRowsTouch() {
    Lakehouse lakehouse = Lakehouse.at(dir.toString(), TableFormat.DELTA);
    DatasetTables tables = DatasetTables.of(lakehouse, "weather");
    tables.createFedByTopic(lakehouse);
    lakehouse.recordDomainMetadata(tables.silver(), GoldInput.FOLDED_DOMAIN, "0");
    lakehouse.recordTopicIdentity(tables.silver(), "weather", IDENTITY);
    // A fold point past version 0: rows may have been committed and folded before it.
    lakehouse.recordDomainMetadata(tables.silver(), GoldInput.FOLDED_DOMAIN, "2");

    GoldInput input = plan(lakehouse, tables);

    assertThat(input.silverVersion()).contains(3L);
    PCollection<Row> fresh = noRows(tables.silver());
    assertThat(input.expand("weather", fresh)).isNotSameAs(fresh);
  }

  private static GoldInput plan(Lakehouse lakehouse, DatasetTables tables) {
    return GoldInput.plan(
        lakehouse,
        tables.silver(),
        lakehouse.version(tables.silver()),
        tables.views(),
        GoldSettings.DEFAULTS,
        true,
        false,
        Optional.empty());
  }

  private static PCollection<Row> noRows(TableSpec silver) {
    return Pipeline.create(PipelineOptionsFactory.create())
        .apply(Create.empty(TypeDescriptors.rows()).withRowSchema(silver.schema()));
  }
}
