package io.tributary.pipelines.gold;

import java.io.Serializable;
import org.joda.time.Duration;

/**
 * Settings every dataset's gold views share; a dataset's own settings are its options ({@link
 * GoldViews#options()}).
 *
 * @param allowedLateness how long after a window closes late events still update it
 */
public record GoldSettings(Duration allowedLateness) implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final GoldSettings DEFAULTS = new GoldSettings(Duration.standardMinutes(5));
}
