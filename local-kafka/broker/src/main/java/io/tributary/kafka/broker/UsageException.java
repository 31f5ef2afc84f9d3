package io.tributary.kafka.broker;

/** A bad command line: the broker prints the message on one line and exits with status 2. */
final class UsageException extends Exception {
  UsageException(String message) {
    super(message);
  }
}
