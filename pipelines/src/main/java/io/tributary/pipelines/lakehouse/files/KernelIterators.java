package io.tributary.pipelines.lakehouse.files;

import io.delta.kernel.utils.CloseableIterator;
import java.util.Iterator;
import java.util.List;

/** Kernel takes {@link CloseableIterator}s; its own adapter lives in an internal package. */
public final class KernelIterators {
  private KernelIterators() {}

  public static <T> CloseableIterator<T> of(List<T> items) {
    Iterator<T> it = items.iterator();
    return new CloseableIterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public T next() {
        return it.next();
      }

      @Override
      public void close() {}
    };
  }
}
