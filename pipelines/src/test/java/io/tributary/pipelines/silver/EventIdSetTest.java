package io.tributary.pipelines.silver;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.UUID;
import org.junit.Test;

public class EventIdSetTest {

  @Test
  public void holdsWhatWasPutAndNothingElseAcrossGrowth() {
    EventIdSet set = new EventIdSet();
    for (int i = 0; i < 100_000; i++) {
      set.put("event-" + i, i);
    }
    assertEquals(100_000, set.size());
    for (int i = 0; i < 100_000; i++) {
      assertTrue("event-" + i, set.contains("event-" + i));
    }
    for (int i = 0; i < 100_000; i++) {
      assertFalse(set.contains(UUID.randomUUID().toString()));
      assertFalse(set.contains("event-" + (100_000 + i)));
    }
    assertFalse(set.contains(""));
  }

  @Test
  public void anIdPutAgainIsOneIdWithItsLastTime() {
    EventIdSet set = new EventIdSet();
    set.put("a", 10);
    set.put("a", 500);
    assertEquals(1, set.size());
    set.removeOlderThan(100);
    assertTrue(set.contains("a"));
  }

  @Test
  public void removingOldIdsKeepsTheRest() {
    EventIdSet set = new EventIdSet();
    for (int i = 0; i < 50_000; i++) {
      set.put("id-" + i, i);
    }
    set.removeOlderThan(40_000);
    assertEquals(10_000, set.size());
    assertFalse(set.contains("id-39999"));
    assertTrue(set.contains("id-40000"));
    assertTrue(set.contains("id-49999"));
    set.put("id-1", 60_000);
    assertTrue(set.contains("id-1"));
    assertEquals(10_001, set.size());
  }
}
