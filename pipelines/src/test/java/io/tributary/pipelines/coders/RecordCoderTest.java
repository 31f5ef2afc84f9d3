package io.tributary.pipelines.coders;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

class RecordCoderTest {
  record Plain(long count, int small, double mean, boolean flag, String name, BigDecimal amount)
      implements Serializable {}

  record WithAList(long count, List<String> names) implements Serializable {}

  @Test
  void encodesEveryPlainComponentAndNulls() throws Exception {
    Coder<Plain> coder = RecordCoder.orSerializable(Plain.class);
    assertThat(coder).isInstanceOf(RecordCoder.class);

    for (Plain value :
        List.of(
            new Plain(Long.MIN_VALUE, -1, Double.NaN, true, "Zürich", new BigDecimal("-12.3400")),
            new Plain(0, 0, Double.NEGATIVE_INFINITY, false, null, null),
            new Plain(Long.MAX_VALUE, Integer.MAX_VALUE, 1e300, true, "", BigDecimal.ZERO))) {
      CoderProperties.coderDecodeEncodeEqual(coder, value);
      CoderProperties.coderDeterministic(coder, value, value);
    }
    // The scale is kept: 1.10 and 1.1 are different amounts to a reader of the encoding.
    Plain scaled = new Plain(1, 1, 1, true, "x", new BigDecimal("1.10"));
    assertThat(CoderUtils.clone(coder, scaled).amount().scale()).isEqualTo(2);
    CoderProperties.coderSerializable(coder);
  }

  @Test
  void recordsOfOtherComponentsAreJavaSerialized() {
    assertThat(RecordCoder.orSerializable(WithAList.class)).isInstanceOf(SerializableCoder.class);
  }
}
