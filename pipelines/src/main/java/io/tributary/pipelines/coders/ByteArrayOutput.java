package io.tributary.pipelines.coders;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte array to encode into: {@link java.io.ByteArrayOutputStream} without its locks,
 * which coders writing a byte at a time (Beam's {@code DoubleCoder}, varints) pay on every byte.
 * One thread only.
 */
public final class ByteArrayOutput extends OutputStream {
  private byte[] bytes;
  private int size;

  public ByteArrayOutput(int capacity) {
    bytes = new byte[Math.max(16, capacity)];
  }

  @Override
  public void write(int b) {
    if (size == bytes.length) {
      grow(1);
    }
    bytes[size++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    if (len > bytes.length - size) {
      grow(len);
    }
    System.arraycopy(b, off, bytes, size, len);
    size += len;
  }

  private void grow(int needed) {
    bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + needed));
  }

  /** A copy of what was written. */
  public byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }
}
