package io.tributary.generators.datasets;

import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/** Small helpers shared by the dataset models. */
final class Values {
  private Values() {}

  /**
   * A random (version 4) UUID drawn from the model's own random source, so runs are reproducible.
   */
  static String uuid(SplittableRandom random) {
    long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  static double round(double value, int places) {
    double scale = Math.pow(10, places);
    return Math.round(value * scale) / scale;
  }

  static double clamp(double value, double min, double max) {
    return Math.max(min, Math.min(max, value));
  }

  static double gaussian(SplittableRandom random) {
    // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
    double u = 1.0 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  static <T> T pick(SplittableRandom random, List<T> items) {
    return items.get(random.nextInt(items.size()));
  }

  static String hex(SplittableRandom random, int digits) {
    StringBuilder out = new StringBuilder(digits);
    for (int i = 0; i < digits; i++) {
      out.append(Character.forDigit(random.nextInt(16), 16));
    }
    return out.toString();
  }
}
