package io.tributary.pipelines.silver;

import io.tributary.pipelines.coders.FlatRowCoder;
import io.tributary.pipelines.offsets.OffsetRanges;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.util.VarInt;
import org.apache.beam.sdk.values.Row;

/**
 * Combines silver rows into the first row seen per {@code event_id}, counting how many rows it saw:
 * merging is a union that keeps one row per id, so partial results can be computed anywhere before
 * the shuffle.
 */
final class FirstPerEventId extends CombineFn<Row, FirstPerEventId.Firsts, FirstPerEventId.Firsts> {

  /**
   * Rows by event id, how many rows (duplicates included) went in, and the Kafka offsets of the
   * duplicates dropped.
   */
  static final class Firsts {
    final Map<String, Row> byId;
    long seen;
    final OffsetRanges dropped;

    Firsts(Map<String, Row> byId, long seen, OffsetRanges dropped) {
      this.byId = byId;
      this.seen = seen;
      this.dropped = dropped;
    }

    /** Keeps {@code row} if its id is new; otherwise records its offset as dropped. */
    void offer(Row row) {
      if (byId.putIfAbsent(row.getString("event_id"), row) != null) {
        dropped.add(
            row.getInt32(SilverSchema.KAFKA_PARTITION), row.getInt64(SilverSchema.KAFKA_OFFSET));
      }
    }

    long duplicates() {
      return seen - byId.size();
    }
  }

  @Override
  public Firsts createAccumulator() {
    return new Firsts(new LinkedHashMap<>(), 0, OffsetRanges.empty());
  }

  @Override
  public Firsts addInput(Firsts firsts, Row row) {
    firsts.offer(row);
    firsts.seen++;
    return firsts;
  }

  @Override
  public Firsts mergeAccumulators(Iterable<Firsts> partials) {
    // Folds into the first partial (Beam lets a merge reuse its first accumulator): merging k
    // partials costs their rows once, not once per merge.
    Firsts merged = null;
    for (Firsts partial : partials) {
      if (merged == null) {
        merged = partial;
        continue;
      }
      partial.byId.values().forEach(merged::offer);
      merged.dropped.addAll(partial.dropped);
      merged.seen += partial.seen;
    }
    return merged == null ? createAccumulator() : merged;
  }

  @Override
  public Firsts extractOutput(Firsts firsts) {
    return firsts;
  }

  @Override
  public Coder<Firsts> getAccumulatorCoder(CoderRegistry registry, Coder<Row> rowCoder) {
    return new FirstsCoder(FlatRowCoder.of(rowCoder));
  }

  @Override
  public Coder<Firsts> getDefaultOutputCoder(CoderRegistry registry, Coder<Row> rowCoder) {
    return new FirstsCoder(FlatRowCoder.of(rowCoder));
  }

  /** Encodes the rows (their ids are in them), the count and the dropped offsets. */
  static final class FirstsCoder extends CustomCoder<Firsts> {
    private final Coder<Row> rowCoder;

    FirstsCoder(Coder<Row> rowCoder) {
      this.rowCoder = rowCoder;
    }

    @Override
    public void encode(Firsts firsts, OutputStream out) throws IOException {
      VarInt.encode(firsts.byId.size(), out);
      for (Row row : firsts.byId.values()) {
        rowCoder.encode(row, out);
      }
      VarLongCoder.of().encode(firsts.seen, out);
      StringUtf8Coder.of().encode(firsts.dropped.toJson(), out);
    }

    @Override
    public Firsts decode(InputStream in) throws IOException {
      int size = VarInt.decodeInt(in);
      Map<String, Row> byId = new LinkedHashMap<>(size * 4 / 3 + 1);
      for (int i = 0; i < size; i++) {
        Row row = rowCoder.decode(in);
        byId.put(row.getString("event_id"), row);
      }
      return new Firsts(
          byId,
          VarLongCoder.of().decode(in),
          OffsetRanges.fromJson(StringUtf8Coder.of().decode(in)));
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return List.of(rowCoder);
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      throw new NonDeterministicException(this, "map order is not deterministic");
    }
  }
}
