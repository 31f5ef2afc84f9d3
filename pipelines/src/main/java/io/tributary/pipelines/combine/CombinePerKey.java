package io.tributary.pipelines.combine;

import io.tributary.pipelines.coders.ByteArrayInput;
import io.tributary.pipelines.coders.ByteArrayOutput;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.ByteArrayCoder;
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
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.WindowingStrategy;
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
    PCollection<KV<Integer, byte[]>> blocks =
        input
            .apply(
                "CombineWithinBundles",
                ParDo.of(
                    new CombineWithinBundleFn<K, InputT, AccumT>(
                        fn,
                        partialCoder,
                        inputCoder.getKeyCoder(),
                        Math.max(
                            1,
                            input
                                .getPipeline()
                                .getOptions()
                                .as(CombineOptions.class)
                                .getMergeKeys()))))
            .setCoder(KvCoder.of(VarIntCoder.of(), ByteArrayCoder.of()));
    // The blocks are emitted into the global window (each holds partials of many windows), so that
    // is their windowing, declared rather than assigned element by element. EARLIEST holds the
    // watermark at the earliest partial, so results emitted at their own earliest event time are
    // never late for windowed steps downstream.
    blocks.setWindowingStrategyInternal(
        WindowingStrategy.globalDefault().withTimestampCombiner(TimestampCombiner.EARLIEST));
    PCollection<KV<K, OutputT>> results =
        blocks
            .apply("GatherPartials", GroupByKey.create())
            .apply(
                "MergeIntoWindows",
                ParDo.of(new MergeIntoWindowsFn<K, AccumT, OutputT>(fn, partialCoder)))
            .setCoder(KvCoder.of(inputCoder.getKeyCoder(), outputCoder));
    // Results are emitted into the windows they were computed for, as a windowed combine's would
    // be.
    results.setWindowingStrategyInternal(input.getWindowingStrategy());
    return results;
  }

  /**
   * How many grouping keys the partials of a bounded input are spread over (by key) unless {@link
   * CombineOptions#getMergeKeys} says otherwise: the parallelism of the merge and of the steps
   * after it.
   */
  public static final int MERGE_KEYS = 8;

  /** Bytes a block starts with room for (it grows as needed). */
  private static final int BLOCK_CAPACITY = 64 * 1024;

  private record Slot<K>(K key, BoundedWindow window) {}

  private static final class Partial<AccumT> {
    AccumT accumulator;
    Instant earliest;
  }

  /**
   * Folds a bundle's elements per key and window, then emits the bundle's partial results as one
   * encoded block per merge key ({@link CombineOptions#getMergeKeys}), each at its earliest
   * partial's timestamp. Blocks of bytes: a runner that copies grouped values while it buffers them
   * (the DirectRunner copies a key's buffered values each time a new bundle adds to them) copies
   * bytes, not decoded objects.
   */
  static final class CombineWithinBundleFn<K, InputT, AccumT>
      extends DoFn<KV<K, InputT>, KV<Integer, byte[]>> {
    private final CombineFn<InputT, AccumT, ?> fn;
    private final Coder<KV<KV<K, BoundedWindow>, KV<AccumT, Instant>>> partialCoder;
    private final Coder<K> keyCoder;
    private final int mergeKeys;
    private transient Map<Slot<K>, Partial<AccumT>> partials;

    CombineWithinBundleFn(
        CombineFn<InputT, AccumT, ?> fn,
        Coder<KV<KV<K, BoundedWindow>, KV<AccumT, Instant>>> partialCoder,
        Coder<K> keyCoder,
        int mergeKeys) {
      this.fn = fn;
      this.partialCoder = partialCoder;
      this.keyCoder = keyCoder;
      this.mergeKeys = mergeKeys;
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
    public void finishBundle(FinishBundleContext context) throws IOException {
      Map<Integer, Block> blocks = new HashMap<>();
      for (Map.Entry<Slot<K>, Partial<AccumT>> entry : partials.entrySet()) {
        Slot<K> slot = entry.getKey();
        Partial<AccumT> partial = entry.getValue();
        blocks
            .computeIfAbsent(mergeKey(slot.key()), key -> new Block())
            .add(
                KV.of(
                    KV.of(slot.key(), slot.window()),
                    KV.of(partial.accumulator, partial.earliest)));
      }
      for (Map.Entry<Integer, Block> block : blocks.entrySet()) {
        context.output(
            KV.of(block.getKey(), block.getValue().bytes.toByteArray()),
            block.getValue().earliest,
            GlobalWindow.INSTANCE);
      }
      partials = null;
    }

    /**
     * Which merger a key's partials go to: a hash of the key's encoding, the same in every worker
     * (unlike {@code hashCode} of windows or of some key types).
     */
    private int mergeKey(K key) throws IOException {
      return Math.floorMod(
          java.util.Arrays.hashCode(CoderUtils.encodeToByteArray(keyCoder, key)), mergeKeys);
    }

    /** Partials encoded one after the other, and the earliest of their timestamps. */
    private final class Block {
      private final ByteArrayOutput bytes = new ByteArrayOutput(BLOCK_CAPACITY);
      private Instant earliest = BoundedWindow.TIMESTAMP_MAX_VALUE;

      void add(KV<KV<K, BoundedWindow>, KV<AccumT, Instant>> partial) throws IOException {
        partialCoder.encode(partial, bytes);
        Instant timestamp = partial.getValue().getValue();
        if (timestamp.isBefore(earliest)) {
          earliest = timestamp;
        }
      }
    }
  }

  /**
   * Merges every partial of a bounded input per (key, window) and emits each result into its own
   * window. {@link #MERGE_KEYS} grouping keys for the whole input keep the runner's per-key state
   * and timers to a few entries, where a windowed group-by-key would hold one per key and window (a
   * drain has thousands of windows), and still let that many workers merge (and the steps after
   * them run) in parallel. Being bounded, each (key, window) is computed once: its one result is
   * both on time and final.
   */
  static final class MergeIntoWindowsFn<K, AccumT, OutputT>
      extends DoFn<KV<Integer, Iterable<byte[]>>, KV<K, OutputT>> {
    private final CombineFn<?, AccumT, OutputT> fn;
    private final Coder<KV<KV<K, BoundedWindow>, KV<AccumT, Instant>>> partialCoder;
    private transient Map<KV<K, BoundedWindow>, Partial<AccumT>> merged;

    MergeIntoWindowsFn(
        CombineFn<?, AccumT, OutputT> fn,
        Coder<KV<KV<K, BoundedWindow>, KV<AccumT, Instant>>> partialCoder) {
      this.fn = fn;
      this.partialCoder = partialCoder;
    }

    @StartBundle
    public void startBundle() {
      merged = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<byte[]>> all) throws IOException {
      for (byte[] block : all.getValue()) {
        ByteArrayInput in = new ByteArrayInput(block);
        while (in.available() > 0) {
          merge(partialCoder.decode(in));
        }
      }
    }

    private void merge(KV<KV<K, BoundedWindow>, KV<AccumT, Instant>> partial) {
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
