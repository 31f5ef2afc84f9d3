package io.tributary.generators;

import java.time.Instant;
import java.util.Map;

/**
 * Produces the valid events of one dataset, one at a time, as field maps in contract order. A model
 * owns the state of its simulated world (stations, students, vehicles, accounts) and must be
 * deterministic given its random source.
 */
public interface EventModel {

  /**
   * The next valid event.
   *
   * @param eventTime the event clock's reading for this event; models use it for {@code event_time}
   *     and for any time-dependent behaviour (daily temperature cycle, trip duration)
   * @return field name to value (String, Integer, Long, Double, BigDecimal, Boolean, Instant or
   *     null), every value within the dataset's contract
   */
  Map<String, Object> next(Instant eventTime);
}
