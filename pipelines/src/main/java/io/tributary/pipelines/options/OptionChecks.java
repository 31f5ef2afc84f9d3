package io.tributary.pipelines.options;

import java.math.BigDecimal;

/**
 * Checks of option values shared by the run and the datasets' own options, so that every bad value
 * is reported the same way: {@code bad value for --<option>: ...}.
 */
public final class OptionChecks {
  private OptionChecks() {}

  /**
   * @return {@code value}
   * @throws IllegalArgumentException naming the option when {@code value} is below {@code minimum}
   */
  public static int atLeast(String option, int value, int minimum) {
    if (value < minimum) {
      throw new IllegalArgumentException(
          "bad value for --" + option + ": " + value + " is below the minimum " + minimum);
    }
    return value;
  }

  /**
   * @return {@code value} as an amount
   * @throws IllegalArgumentException naming the option when {@code value} is not a number above 0
   */
  public static BigDecimal positiveAmount(String option, String value) {
    try {
      BigDecimal amount = new BigDecimal(value.trim());
      if (amount.signum() > 0) {
        return amount;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "bad value for --" + option + ": '" + value + "' is not a positive amount");
  }
}
