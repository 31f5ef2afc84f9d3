package io.tributary.generators;

/**
 * Shares of the records sent that are bad (malformed or invalid, half each) or duplicates; and the
 * share of valid events sent late.
 */
public record FaultRatios(double bad, double duplicate, double late) {
  public static final FaultRatios NONE = new FaultRatios(0, 0, 0);

  public FaultRatios {
    check("badRatio", bad);
    check("duplicateRatio", duplicate);
    check("lateRatio", late);
    if (bad + duplicate >= 1) {
      throw new UsageException(
          "--badRatio + --duplicateRatio must be below 1 (got "
              + (bad + duplicate)
              + "): some events must be valid");
    }
  }

  private static void check(String flag, double ratio) {
    if (!(ratio >= 0 && ratio <= 1)) {
      throw new UsageException(
          "bad value for --" + flag + ": " + ratio + " is not a ratio between 0 and 1");
    }
  }
}
