package io.tributary.pipelines.gold;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Window;
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
    @SuppressWarnings("unchecked")
    Coder<BoundedWindow> windowCoder =
        (Coder<BoundedWindow>) input.getWindowingStrategy().getWindowFn().windowCoder();
    Coder<KV<KV<K, BoundedWindow>, KV<AccumT, Instant>>> partialCoder =
        KvCoder.of(
            KvCoder.of(inputCoder.getKeyCoder(), windowCoder),
            KvCoder.of(accumulatorCoder, InstantCoder.of()));
    PCollection<KV<K, OutputT>> results =
        input
            .apply(
                "CombineWithinBundles", ParDo.of(new CombineWithinBundleFn<K, InputT, AccumT>(fn)))
            .setCoder(KvCoder.of(VarIntCoder.of(), partialCoder))
            // EARLIEST holds the watermark at the earliest partial, so results emitted at their own
            // earliest event time are never late for windowed steps downstream.
            .apply(
                "AllPartials",
                Window.<KV<Integer, KV<KV<K, BoundedWindow>, KV<AccumT, Instant>>>>into(
                        new GlobalWindows())
                    .withTimestampCombiner(TimestampCombiner.EARLIEST))
            .apply("GatherPartials", GroupByKey.create())
            .apply("MergeIntoWindows", ParDo.of(new MergeIntoWindowsFn<K, AccumT, OutputT>(fn)))
            .setCoder(KvCoder.of(inputCoder.getKeyCoder(), outputCoder));
    // Results are emitted into the windows they were computed for, as a windowed combine's would
    // be.
    results.setWindowingStrategyInternal(input.getWindowingStrategy());
    return results;
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
      extends DoFn<KV<K, InputT>, KV<Integer, KV<KV<K, BoundedWindow>, KV<AccumT, Instant>>>> {
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
                  KV.of(
                      0,
                      KV.of(
                          KV.of(slot.key(), slot.window()),
                          KV.of(partial.accumulator, partial.earliest))),
                  partial.earliest,
                  slot.window()));
      partials = null;
    }
  }

  /**
   * Merges every partial of a bounded input per (key, window) in one place and emits each result
   * into its own window. One key for the whole input keeps the runner's per-key state and timers to
   * a single entry, where a windowed group-by-key would hold one per key and window (a drain has
   * thousands of windows). Being bounded, each (key, window) is computed once: its one result is
   * both on time and final.
   */
  static final class MergeIntoWindowsFn<K, AccumT, OutputT>
      extends DoFn<
          KV<Integer, Iterable<KV<KV<K, BoundedWindow>, KV<AccumT, Instant>>>>, KV<K, OutputT>> {
    private final CombineFn<?, AccumT, OutputT> fn;
    private transient Map<KV<K, BoundedWindow>, Partial<AccumT>> merged;

    MergeIntoWindowsFn(CombineFn<?, AccumT, OutputT> fn) {
      this.fn = fn;
    }

    @StartBundle
    public void startBundle() {
      merged = new HashMap<>();
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<KV<KV<K, BoundedWindow>, KV<AccumT, Instant>>>> all) {
      for (KV<KV<K, BoundedWindow>, KV<AccumT, Instant>> partial : all.getValue()) {
        Partial<AccumT> slot = merged.computeIfAbsent(partial.getKey(), key -> new Partial<>());
        AccumT accumulator = partial.getValue().getKey();
        Instant earliest = partial.getValue().getValue();
        slot.accumulator =
            slot.accumulator == null
                ? accumulator
                : fn.mergeAccumulators(List.of(slot.accumulator, accumulator));
        slot.earliest =
            slot.earliest == null || earliest.isBefore(slot.earliest) ? earliest : slot.earliest;
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      merged.forEach(
          (slot, partial) ->
              context.output(
                  KV.of(slot.getKey(), fn.extractOutput(partial.accumulator)),
                  partial.earliest,
                  slot.getValue()));
      merged = null;
    }
  }
}
