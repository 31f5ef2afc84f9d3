package io.tributary.pipelines.gold;

import java.io.Serializable;
import java.math.BigDecimal;
import org.joda.time.Duration;

/**
 * Settings of the gold views.
 *
 * @param allowedLateness how long after a window closes late events still update it
 * @param largeAmountThreshold transactions above this amount raise a {@code large_amount} alert
 * @param burstTransactions more than this many transactions on one account within one minute raise
 *     a {@code burst} alert
 */
public record GoldSettings(
    Duration allowedLateness, BigDecimal largeAmountThreshold, int burstTransactions)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final GoldSettings DEFAULTS =
      new GoldSettings(Duration.standardMinutes(5), new BigDecimal("5000.00"), 5);
}
