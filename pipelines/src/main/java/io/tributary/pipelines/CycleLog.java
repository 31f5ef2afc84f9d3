package io.tributary.pipelines;

import io.tributary.pipelines.source.PartitionRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;

/**
 * {@code --cycleLog}: one JSON line per cycle, for benchmarks: what it read, how long each phase
 * took and when its commits were done.
 */
final class CycleLog implements AutoCloseable {
  private final Writer writer;

  private CycleLog(Writer writer) {
    this.writer = writer;
  }

  /**
   * A log appending to {@code path}, or null for none (a blank path).
   *
   * @throws IllegalArgumentException if the file cannot be written
   */
  static CycleLog open(String path) {
    if (path == null || path.isBlank()) {
      return null;
    }
    try {
      return new CycleLog(
          Files.newBufferedWriter(
              Path.of(path),
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "bad value for --cycleLog: cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Logs cycle number {@code cycle}.
   *
   * @param phases seconds to plan, build, execute and fold
   */
  void write(
      long cycle,
      List<PartitionRange> ranges,
      long records,
      double seconds,
      double[] phases,
      long committedMillis) {
    StringBuilder line =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "{\"cycle\":%d,\"records\":%d,\"seconds\":%.3f,\"plan_s\":%.3f,\"build_s\":%.3f,"
                    + "\"execute_s\":%.3f,\"fold_s\":%.3f,\"committed_at_ms\":%d,\"ranges\":[",
                cycle,
                records,
                seconds,
                phases[0],
                phases[1],
                phases[2],
                phases[3],
                committedMillis));
    String separator = "";
    for (PartitionRange range : ranges) {
      line.append(separator)
          .append(
              String.format(
                  Locale.ROOT,
                  "{\"topic\":\"%s\",\"partition\":%d,\"from\":%d,\"to\":%d}",
                  range.topic(),
                  range.partition(),
                  range.fromOffset(),
                  range.toOffset()));
      separator = ",";
    }
    try {
      writer.write(line.append("]}\n").toString());
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the cycle log", e);
    }
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
