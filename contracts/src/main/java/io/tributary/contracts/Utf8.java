package io.tributary.contracts;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * Checks that a payload is well-formed UTF-8 (RFC 3629) before Jackson reads it. Jackson alone is
 * not enough: it detects UTF-16 and UTF-32 by their zero bytes or byte order mark and reads them
 * happily, and it decodes overlong forms (0xC0 0x80 for U+0000) and encoded surrogates (0xED 0xA0
 * 0x80) without complaint. The contract says UTF-8; anything else is malformed.
 */
final class Utf8 {
  /** Eight bytes at a time: JSON is mostly ASCII, and this check runs on every record. */
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long HIGH_BITS = 0x8080808080808080L;

  private Utf8() {}

  /**
   * Why the payload is not UTF-8 JSON, or null when it is well-formed UTF-8. One pass over the
   * bytes; nothing is allocated unless it finds a problem.
   */
  static String problem(byte[] payload) {
    int limit = Math.min(4, payload.length);
    for (int i = 0; i < limit; i++) {
      if (payload[i] == 0) {
        // A JSON text in UTF-8 never holds a raw zero byte; one among the first four is how
        // UTF-16 and UTF-32 text ("{" is 00 7B or 7B 00 ...) looks.
        return "zero bytes at its start: UTF-16 or UTF-32 text, which the contract does not allow";
      }
    }
    int i = 0;
    int length = payload.length;
    while (i < length) {
      if (i + 8 <= length && ((long) LONGS.get(payload, i) & HIGH_BITS) == 0) {
        i += 8;
        continue;
      }
      int b = payload[i];
      if (b >= 0) {
        i++;
        continue;
      }
      b &= 0xFF;
      int needed;
      int min;
      if (b >= 0xC2 && b <= 0xDF) {
        needed = 1;
        min = 0x80;
      } else if (b >= 0xE0 && b <= 0xEF) {
        needed = 2;
        min = 0x800;
      } else if (b >= 0xF0 && b <= 0xF4) {
        needed = 3;
        min = 0x10000;
      } else if (b == 0xC0 || b == 0xC1) {
        return "an overlong UTF-8 sequence at byte " + i;
      } else {
        return invalidAt(
            b, i, b == 0xFE || b == 0xFF ? " (a UTF-16 or UTF-32 byte order mark?)" : "");
      }
      if (i + needed >= length) {
        return "a truncated UTF-8 sequence at byte " + i;
      }
      int code = b & (0x3F >> needed);
      for (int k = 1; k <= needed; k++) {
        int next = payload[i + k] & 0xFF;
        if ((next & 0xC0) != 0x80) {
          return invalidAt(next, i + k, "");
        }
        code = (code << 6) | (next & 0x3F);
      }
      if (code < min) {
        return "an overlong UTF-8 sequence at byte " + i;
      }
      if (code >= 0xD800 && code <= 0xDFFF) {
        return "an encoded UTF-16 surrogate (U+"
            + Integer.toHexString(code).toUpperCase(Locale.ROOT)
            + ") at byte "
            + i;
      }
      if (code > 0x10FFFF) {
        return "a code point above U+10FFFF at byte " + i;
      }
      i += needed + 1;
    }
    return null;
  }

  private static String invalidAt(int b, int at, String hint) {
    return String.format(Locale.ROOT, "invalid byte 0x%02X at byte %d%s", b, at, hint);
  }
}
