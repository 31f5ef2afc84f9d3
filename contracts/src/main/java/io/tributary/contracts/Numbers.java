package io.tributary.contracts;

/** Renders bounds without a spurious ".0", so messages read "above the maximum 60". */
final class Numbers {
  private Numbers() {}

  static String format(double value) {
    if (value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.toString(value);
  }
}
