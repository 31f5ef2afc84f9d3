package io.tributary.pipelines.gold;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;

/**
 * {@code Combine.perKey}, with the combining lifted before the shuffle on bounded input.
 *
 * <p>On bounded input (a drain) each bundle first folds its elements into one accumulator per key
 * and window, so the group-by-key sees a few partial aggregates instead of every event: the
 * runner's per-element windowing work is what bounds a drain's speed. Results are identical (the
 * CombineFn's merge is associative). Unbounded input (streaming) uses a plain {@code
 * Combine.perKey}, so that Beam's count of events dropped as too late stays a count of events.
 */
public final class CombinePerKey<K, InputT, AccumT, OutputT>
    extends PTransform<PCollection<KV<K, InputT>>, PCollection<KV<K, OutputT>>> {
  private final CombineFn<InputT, AccumT, OutputT> fn;

  private CombinePerKey(CombineFn<InputT, AccumT, OutputT> fn) {
    this.fn = fn;
  }

  public static <K, InputT, AccumT, OutputT> CombinePerKey<K, InputT, AccumT, OutputT> of(
      CombineFn<InputT, AccumT, OutputT> fn) {
    return new CombinePerKey<>(fn);
  }

  @Override
  public PCollection<KV<K, OutputT>> expand(PCollection<KV<K, InputT>> input) {
    if (input.isBounded() == PCollection.IsBounded.UNBOUNDED) {
      return input.apply("Combine", Combine.perKey(fn));
    }
    @SuppressWarnings("unchecked")
    KvCoder<K, InputT> inputCoder = (KvCoder<K, InputT>) input.getCoder();
    Coder<AccumT> accumulatorCoder;
    Coder<OutputT> outputCoder;
    try {
      CoderRegistry registry = input.getPipeline().getCoderRegistry();
      accumulatorCoder = fn.getAccumulatorCoder(registry, inputCoder.getValueCoder());
      outputCoder = fn.getDefaultOutputCoder(registry, inputCoder.getValueCoder());
    } catch (CannotProvideCoderException e) {
      throw new IllegalStateException(
          "no coder for the accumulators or results of " + fn.getClass(), e);
    }
    PCollection<KV<K, AccumT>> partials =
        input
            .apply(
                "CombineWithinBundles", ParDo.of(new CombineWithinBundleFn<K, InputT, AccumT>(fn)))
            .setCoder(KvCoder.of(inputCoder.getKeyCoder(), accumulatorCoder));
    Combine.PerKey<K, AccumT, OutputT> merge =
        Combine.perKey(new MergeAccumulators<AccumT, OutputT>(fn, accumulatorCoder));
    return partials
        .apply("MergeAccumulators", merge)
        .setCoder(KvCoder.of(inputCoder.getKeyCoder(), outputCoder));
  }

  private record Slot<K>(K key, BoundedWindow window) {}

  private static final class Partial<AccumT> {
    AccumT accumulator;
    Instant earliest;
  }

  /**
   * Folds a bundle's elements per key and window; emits each partial at its earliest element's
   * timestamp.
   */
  static final class CombineWithinBundleFn<K, InputT, AccumT>
      extends DoFn<KV<K, InputT>, KV<K, AccumT>> {
    private final CombineFn<InputT, AccumT, ?> fn;
    private transient Map<Slot<K>, Partial<AccumT>> partials;

    CombineWithinBundleFn(CombineFn<InputT, AccumT, ?> fn) {
      this.fn = fn;
    }

    @StartBundle
    public void startBundle() {
      partials = new HashMap<>();
    }

    @ProcessElement
    public void process(
        @Element KV<K, InputT> element, @Timestamp Instant timestamp, BoundedWindow window) {
      Partial<AccumT> partial =
          partials.computeIfAbsent(new Slot<>(element.getKey(), window), slot -> new Partial<>());
      if (partial.accumulator == null) {
        partial.accumulator = fn.createAccumulator();
        partial.earliest = timestamp;
      }
      partial.accumulator = fn.addInput(partial.accumulator, element.getValue());
      if (timestamp.isBefore(partial.earliest)) {
        partial.earliest = timestamp;
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      partials.forEach(
          (slot, partial) ->
              context.output(
                  KV.of(slot.key(), partial.accumulator), partial.earliest, slot.window()));
      partials = null;
    }
  }

  /** Combines partial accumulators with the original CombineFn's merge. */
  static final class MergeAccumulators<AccumT, OutputT> extends CombineFn<AccumT, AccumT, OutputT> {
    private final CombineFn<?, AccumT, OutputT> fn;
    private final Coder<AccumT> accumulatorCoder;

    MergeAccumulators(CombineFn<?, AccumT, OutputT> fn, Coder<AccumT> accumulatorCoder) {
      this.fn = fn;
      this.accumulatorCoder = accumulatorCoder;
    }

    @Override
    public AccumT createAccumulator() {
      return fn.createAccumulator();
    }

    @Override
    public AccumT addInput(AccumT accumulator, AccumT partial) {
      return fn.mergeAccumulators(List.of(accumulator, partial));
    }

    @Override
    public AccumT mergeAccumulators(Iterable<AccumT> accumulators) {
      return fn.mergeAccumulators(accumulators);
    }

    @Override
    public OutputT extractOutput(AccumT accumulator) {
      return fn.extractOutput(accumulator);
    }

    @Override
    public Coder<AccumT> getAccumulatorCoder(CoderRegistry registry, Coder<AccumT> inputCoder) {
      return accumulatorCoder;
    }
  }
}
