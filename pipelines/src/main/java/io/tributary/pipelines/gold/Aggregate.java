package io.tributary.pipelines.gold;

import io.tributary.pipelines.coders.RecordCoder;
import java.io.Serializable;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.values.Row;

/**
 * An immutable running aggregate of a gold view: folding in one event and merging two partial
 * aggregates are all a view has to write; {@link #combineFn} makes the Beam CombineFn.
 *
 * @param <A> the aggregate type itself
 */
public interface Aggregate<A extends Aggregate<A>> extends Serializable {

  /** This aggregate with one more event. */
  A add(Row event);

  /** This aggregate and another, as one. */
  A merge(A other);

  /** A CombineFn that starts from {@code empty}; the aggregate is also its output. */
  static <A extends Aggregate<A>> CombineFn<Row, A, A> combineFn(A empty) {
    return new AggregateFn<>(empty);
  }

  /**
   * The CombineFn behind {@link #combineFn}: accumulators and results are the aggregate, encoded
   * component by component when it is a record of plain values ({@link RecordCoder}), else
   * Java-serialized.
   */
  final class AggregateFn<A extends Aggregate<A>> extends CombineFn<Row, A, A> {
    private final A empty;

    AggregateFn(A empty) {
      this.empty = empty;
    }

    @Override
    public A createAccumulator() {
      return empty;
    }

    @Override
    public A addInput(A aggregate, Row event) {
      return aggregate.add(event);
    }

    @Override
    public A mergeAccumulators(Iterable<A> partials) {
      A merged = empty;
      for (A partial : partials) {
        merged = merged.merge(partial);
      }
      return merged;
    }

    @Override
    public A extractOutput(A aggregate) {
      return aggregate;
    }

    @Override
    public Coder<A> getAccumulatorCoder(CoderRegistry registry, Coder<Row> inputCoder) {
      return coder();
    }

    @Override
    public Coder<A> getDefaultOutputCoder(CoderRegistry registry, Coder<Row> inputCoder) {
      return coder();
    }

    @SuppressWarnings("unchecked")
    private Coder<A> coder() {
      return RecordCoder.orSerializable((Class<A>) empty.getClass());
    }
  }
}
