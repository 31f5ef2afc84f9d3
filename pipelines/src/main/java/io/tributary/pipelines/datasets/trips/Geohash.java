package io.tributary.pipelines.datasets.trips;

/**
 * Encodes a position as a geohash (base32 cell name); nearby points share a prefix, so a prefix of
 * fixed length names a zone. Precision 5 is a cell of about 4.9 km x 4.9 km.
 */
public final class Geohash {
  public static final int MAX_PRECISION = 12;

  private static final char[] BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz".toCharArray();
  private static final int BITS_PER_CHAR = 5;

  private Geohash() {}

  /**
   * The geohash of ({@code lat}, {@code lon}) with {@code precision} characters.
   *
   * @throws IllegalArgumentException if a coordinate is out of range or precision is not 1..12
   */
  public static String encode(double lat, double lon, int precision) {
    if (!(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180)) {
      throw new IllegalArgumentException(
          "geohash needs lat in [-90, 90] and lon in [-180, 180], got (" + lat + ", " + lon + ")");
    }
    if (precision < 1 || precision > MAX_PRECISION) {
      throw new IllegalArgumentException(
          "geohash precision must be 1.." + MAX_PRECISION + ", got " + precision);
    }
    double[] latRange = {-90, 90};
    double[] lonRange = {-180, 180};
    StringBuilder hash = new StringBuilder(precision);
    boolean lonBit = true; // bits interleave longitude and latitude, longitude first
    int bits = 0;
    int index = 0;
    while (hash.length() < precision) {
      double[] range = lonBit ? lonRange : latRange;
      double value = lonBit ? lon : lat;
      double mid = (range[0] + range[1]) / 2;
      index <<= 1;
      if (value >= mid) {
        index |= 1;
        range[0] = mid;
      } else {
        range[1] = mid;
      }
      lonBit = !lonBit;
      if (++bits == BITS_PER_CHAR) {
        hash.append(BASE32[index]);
        bits = 0;
        index = 0;
      }
    }
    return hash.toString();
  }
}
