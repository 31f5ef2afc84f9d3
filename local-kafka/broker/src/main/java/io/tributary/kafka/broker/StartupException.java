package io.tributary.kafka.broker;

/**
 * The broker could not start (port taken, unreadable data dir, ...): printed, then exit status 1.
 */
final class StartupException extends RuntimeException {
  StartupException(String message) {
    super(message);
  }

  StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
