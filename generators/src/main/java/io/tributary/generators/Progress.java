package io.tributary.generators;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints a progress line (rate and totals) at most every {@link #INTERVAL_NANOS}, never per event.
 */
final class Progress {
  static final long INTERVAL_NANOS = 2_000_000_000L;

  private final PrintStream err;
  private final String label;
  private final long startNanos = System.nanoTime();
  private long lastNanos = startNanos;
  private long lastSent;

  Progress(PrintStream err, String label) {
    this.err = err;
    this.label = label;
  }

  void maybeReport(Tally tally, RecordSource source) {
    long now = System.nanoTime();
    if (now - lastNanos < INTERVAL_NANOS) {
      return;
    }
    double rate = (tally.sent() - lastSent) * 1e9 / (now - lastNanos);
    lastNanos = now;
    lastSent = tally.sent();
    err.println(line(tally, source, rate));
  }

  String line(Tally tally, RecordSource source, double rate) {
    return String.format(
        Locale.ROOT,
        "%s: %,d sent (%,.0f ev/s) — %,d valid, %,d malformed, %,d invalid, %,d duplicates, %,d late; %s",
        label,
        tally.sent(),
        rate,
        tally.valid(),
        tally.malformed(),
        tally.invalid(),
        tally.duplicates(),
        tally.late(),
        source.position());
  }

  double averageRate(Tally tally) {
    return tally.sent() * 1e9 / Math.max(1, System.nanoTime() - startNanos);
  }

  double seconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
