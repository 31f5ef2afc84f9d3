package io.tributary.pipelines.gold;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;

/**
 * Adds {@value #COLUMN}, the time a gold row was computed, as its last column: a gold table keeps,
 * per key, the row computed last, which holds the most of its window (panes accumulate, and a later
 * run recomputes whole windows from silver).
 */
public final class StampComputedAt extends PTransform<PCollection<Row>, PCollection<Row>> {
  public static final String COLUMN = "computed_at";

  /** The columns of {@code rows} stamped: theirs, then {@value #COLUMN}. */
  public static Schema schema(Schema rows) {
    return Schema.builder()
        .addFields(rows.getFields())
        .addNullableField(COLUMN, FieldType.DATETIME)
        .build();
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> rows) {
    Schema schema = schema(rows.getSchema());
    return rows.apply(ParDo.of(new StampFn(schema))).setRowSchema(schema);
  }

  private static final class StampFn extends DoFn<Row, Row> {
    private final Schema schema;

    StampFn(Schema schema) {
      this.schema = schema;
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<Row> out) {
      List<Object> values = new ArrayList<>(row.getValues());
      values.add(Instant.now());
      out.output(Row.withSchema(schema).attachValues(values));
    }
  }
}
