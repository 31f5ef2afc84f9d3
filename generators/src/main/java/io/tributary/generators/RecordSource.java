package io.tributary.generators;

/** Where a run's records come from: the synthetic {@link EventStream}, or a live API. */
public interface RecordSource extends AutoCloseable {

  /**
   * The next record; may block (a live API between polls).
   *
   * @return null when the source has nothing more to give
   */
  GeneratedRecord next() throws InterruptedException;

  /** A short description of where in event time the source is, for progress lines. */
  String position();

  @Override
  default void close() {}
}
