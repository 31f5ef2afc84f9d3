package io.tributary.generators;

import java.util.Locale;

/** Counts of what was sent, and the summary line printed at the end of a run. */
public final class Tally {
  private long valid;
  private long malformed;
  private long invalid;
  private long duplicates;
  private long late;

  void count(GeneratedRecord record) {
    switch (record.kind()) {
      case VALID -> {
        valid++;
        if (record.late()) {
          late++;
        }
      }
      case MALFORMED -> malformed++;
      case INVALID -> invalid++;
      case DUPLICATE -> duplicates++;
    }
  }

  public long sent() {
    return valid + malformed + invalid + duplicates;
  }

  public long valid() {
    return valid;
  }

  public long malformed() {
    return malformed;
  }

  public long invalid() {
    return invalid;
  }

  public long duplicates() {
    return duplicates;
  }

  public long late() {
    return late;
  }

  /**
   * The summary as one JSON line: {@code sent = valid + malformed + invalid + duplicates}; {@code
   * late} counts the valid events sent late.
   */
  public String toJson(String dataset, String topic, long seed, double seconds) {
    return String.format(
        Locale.ROOT,
        "{\"dataset\":\"%s\",\"sent\":%d,\"valid\":%d,\"malformed\":%d,\"invalid\":%d,\"duplicates\":%d,"
            + "\"late\":%d,\"topic\":\"%s\",\"seed\":%d,\"seconds\":%.3f}",
        dataset,
        sent(),
        valid,
        malformed,
        invalid,
        duplicates,
        late,
        topic,
        seed,
        seconds);
  }
}
