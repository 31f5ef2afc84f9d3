package io.tributary.pipelines.offsets;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;

/** Combines offset ranges into their union. */
public final class UnionOffsets
    extends Combine.CombineFn<OffsetRanges, OffsetRanges, OffsetRanges> {
  private UnionOffsets() {}

  public static UnionOffsets of() {
    return new UnionOffsets();
  }

  @Override
  public OffsetRanges createAccumulator() {
    return OffsetRanges.empty();
  }

  @Override
  public OffsetRanges addInput(OffsetRanges union, OffsetRanges offsets) {
    return union.addAll(offsets);
  }

  @Override
  public OffsetRanges mergeAccumulators(Iterable<OffsetRanges> unions) {
    OffsetRanges merged = OffsetRanges.empty();
    unions.forEach(merged::addAll);
    return merged;
  }

  @Override
  public OffsetRanges extractOutput(OffsetRanges union) {
    return union;
  }

  @Override
  public Coder<OffsetRanges> getAccumulatorCoder(
      CoderRegistry registry, Coder<OffsetRanges> input) {
    return SerializableCoder.of(OffsetRanges.class);
  }
}
