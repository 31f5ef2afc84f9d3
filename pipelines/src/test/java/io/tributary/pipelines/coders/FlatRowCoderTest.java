package io.tributary.pipelines.coders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.FixedPrecisionNumeric;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class FlatRowCoderTest {
  private static final Schema FLAT =
      Schema.builder()
          .addStringField("event_id")
          .addNullableField("city", FieldType.STRING)
          .addNullableField("partition", FieldType.INT32)
          .addNullableField("offset", FieldType.INT64)
          .addNullableField("temperature_c", FieldType.DOUBLE)
          .addNullableField("raining", FieldType.BOOLEAN)
          .addNullableField("event_time", FieldType.DATETIME)
          .addNullableField("amount", FieldType.logicalType(FixedPrecisionNumeric.of(18, 2)))
          .addNullableField("ratio", FieldType.DECIMAL)
          .addNullableField("payload", FieldType.BYTES)
          .build();

  @Test
  void randomRowsComeBackEqualAndAsRowCoderDecodesThem() throws Exception {
    Coder<Row> coder = FlatRowCoder.of(FLAT);
    assertThat(coder).isInstanceOf(FlatRowCoder.class);
    RowCoder beams = RowCoder.of(FLAT);
    Random random = new Random(7);

    for (int i = 0; i < 20_000; i++) {
      Row row = randomRow(random);
      Row decoded = CoderUtils.clone(coder, row);
      assertThat(decoded).isEqualTo(row).isEqualTo(CoderUtils.clone(beams, row));
      assertThat(decoded.getSchema()).isEqualTo(FLAT);
    }
  }

  @Test
  void edgeValuesAndManyRowsInOneStream() throws Exception {
    Coder<Row> coder = FlatRowCoder.of(FLAT);
    List<Row> rows =
        List.of(
            row(
                "a",
                "Zürich 東京 🌧",
                Integer.MIN_VALUE,
                Long.MIN_VALUE,
                Double.NaN,
                true,
                new Instant(-62_135_596_800_000L),
                new BigDecimal("-12.34"),
                new BigDecimal("1.10"),
                new byte[0]),
            row(
                "",
                "",
                Integer.MAX_VALUE,
                Long.MAX_VALUE,
                -0.0,
                false,
                new Instant(253_402_300_799_999L),
                new BigDecimal("99999999999999.99"),
                new BigDecimal("1E+30"),
                new byte[] {0, -1, 127}),
            row("only the id", null, null, null, null, null, null, null, null, null));

    ByteArrayOutput out = new ByteArrayOutput(0);
    for (Row row : rows) {
      coder.encode(row, out);
    }
    ByteArrayInput in = new ByteArrayInput(out.toByteArray());
    List<Row> decoded = new ArrayList<>();
    while (in.available() > 0) {
      decoded.add(coder.decode(in));
    }
    assertThat(decoded).isEqualTo(rows);
    // The scale is kept: 1.10 and 1.1 are different values to a reader.
    assertThat(decoded.get(0).getDecimal("ratio").scale()).isEqualTo(2);
    assertThat(Double.doubleToRawLongBits(decoded.get(1).getDouble("temperature_c")))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
  }

  @Test
  void aTruncatedRowIsAnError() throws Exception {
    Coder<Row> coder = FlatRowCoder.of(FLAT);
    byte[] bytes = CoderUtils.encodeToByteArray(coder, randomRow(new Random(1)));

    assertThatThrownBy(
            () -> coder.decode(new ByteArrayInput(Arrays.copyOf(bytes, bytes.length - 3))))
        .isInstanceOf(EOFException.class);
  }

  @Test
  void otherSchemasGetBeamsRowCoder() {
    Schema nested = Schema.builder().addStringField("id").addRowField("inner", FLAT).build();
    Schema withList = Schema.builder().addArrayField("names", FieldType.STRING).build();
    Schema.Builder wide = Schema.builder();
    for (int i = 0; i < 65; i++) {
      wide.addInt64Field("f" + i);
    }

    assertThat(FlatRowCoder.of(nested)).isInstanceOf(RowCoder.class);
    assertThat(FlatRowCoder.of(withList)).isInstanceOf(RowCoder.class);
    assertThat(FlatRowCoder.of(wide.build())).isInstanceOf(RowCoder.class);
    assertThat(FlatRowCoder.of(RowCoder.of(FLAT))).isEqualTo(FlatRowCoder.of(FLAT));
  }

  @Test
  void isSerializableAndComparable() {
    CoderProperties.coderSerializable(FlatRowCoder.of(FLAT));
    assertThat(FlatRowCoder.of(FLAT)).isEqualTo(FlatRowCoder.of(FLAT));
  }

  private static Row randomRow(Random random) {
    return row(
        Long.toString(random.nextLong(), 36),
        random.nextInt(5) == 0 ? null : randomText(random),
        random.nextInt(5) == 0 ? null : random.nextInt(),
        random.nextInt(5) == 0 ? null : random.nextLong() >> random.nextInt(64),
        random.nextInt(5) == 0 ? null : random.nextGaussian() * 1e3,
        random.nextInt(5) == 0 ? null : random.nextBoolean(),
        random.nextInt(5) == 0 ? null : new Instant(random.nextLong() >> 20),
        random.nextInt(5) == 0
            ? null
            : new BigDecimal(BigInteger.valueOf(random.nextLong() >> 16), 2),
        random.nextInt(5) == 0
            ? null
            : new BigDecimal(new BigInteger(80, random), random.nextInt(20) - 10),
        random.nextInt(5) == 0 ? null : randomBytes(random));
  }

  private static String randomText(Random random) {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(20);
    for (int i = 0; i < length; i++) {
      text.appendCodePoint(
          random.nextInt(4) == 0 ? 0x4e00 + random.nextInt(500) : 32 + random.nextInt(95));
    }
    return text.toString();
  }

  private static byte[] randomBytes(Random random) {
    byte[] bytes = new byte[random.nextInt(10)];
    random.nextBytes(bytes);
    return bytes;
  }

  private static Row row(Object... values) {
    return Row.withSchema(FLAT).addValues(values).build();
  }
}
