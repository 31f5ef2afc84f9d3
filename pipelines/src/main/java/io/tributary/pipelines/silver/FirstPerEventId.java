package io.tributary.pipelines.silver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.values.Row;

/**
 * Combines silver rows into the first row seen per {@code event_id}, counting how many rows it saw:
 * merging is a union that keeps one row per id, so partial results can be computed anywhere before
 * the shuffle.
 */
final class FirstPerEventId extends CombineFn<Row, FirstPerEventId.Firsts, FirstPerEventId.Firsts> {

  /** Rows by event id, and how many rows (duplicates included) went in. */
  static final class Firsts {
    final Map<String, Row> byId;
    long seen;

    Firsts(Map<String, Row> byId, long seen) {
      this.byId = byId;
      this.seen = seen;
    }

    long duplicates() {
      return seen - byId.size();
    }
  }

  @Override
  public Firsts createAccumulator() {
    return new Firsts(new LinkedHashMap<>(), 0);
  }

  @Override
  public Firsts addInput(Firsts firsts, Row row) {
    firsts.byId.putIfAbsent(row.getString("event_id"), row);
    firsts.seen++;
    return firsts;
  }

  @Override
  public Firsts mergeAccumulators(Iterable<Firsts> partials) {
    Firsts merged = createAccumulator();
    for (Firsts partial : partials) {
      partial.byId.forEach(merged.byId::putIfAbsent);
      merged.seen += partial.seen;
    }
    return merged;
  }

  @Override
  public Firsts extractOutput(Firsts firsts) {
    return firsts;
  }

  @Override
  public Coder<Firsts> getAccumulatorCoder(CoderRegistry registry, Coder<Row> rowCoder) {
    return new FirstsCoder(rowCoder);
  }

  @Override
  public Coder<Firsts> getDefaultOutputCoder(CoderRegistry registry, Coder<Row> rowCoder) {
    return new FirstsCoder(rowCoder);
  }

  /** Encodes the map of rows and the count. */
  static final class FirstsCoder extends CustomCoder<Firsts> {
    private final MapCoder<String, Row> mapCoder;

    FirstsCoder(Coder<Row> rowCoder) {
      this.mapCoder = MapCoder.of(StringUtf8Coder.of(), rowCoder);
    }

    @Override
    public void encode(Firsts firsts, OutputStream out) throws IOException {
      mapCoder.encode(firsts.byId, out);
      VarLongCoder.of().encode(firsts.seen, out);
    }

    @Override
    public Firsts decode(InputStream in) throws IOException {
      return new Firsts(new LinkedHashMap<>(mapCoder.decode(in)), VarLongCoder.of().decode(in));
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return List.of(mapCoder);
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      throw new NonDeterministicException(this, "map order is not deterministic");
    }
  }
}
