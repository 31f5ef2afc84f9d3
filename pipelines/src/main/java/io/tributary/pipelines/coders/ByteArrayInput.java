package io.tributary.pipelines.coders;

import java.io.InputStream;

/**
 * Reads a byte array: {@link java.io.ByteArrayInputStream} without its locks, for decoders reading
 * a byte at a time. One thread only.
 */
public final class ByteArrayInput extends InputStream {
  private final byte[] bytes;
  private int position;

  public ByteArrayInput(byte[] bytes) {
    this.bytes = bytes;
  }

  @Override
  public int read() {
    return position < bytes.length ? bytes[position++] & 0xff : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    int available = bytes.length - position;
    if (available <= 0) {
      return -1;
    }
    int n = Math.min(len, available);
    System.arraycopy(bytes, position, b, off, n);
    position += n;
    return n;
  }

  @Override
  public int available() {
    return bytes.length - position;
  }
}
