package io.tributary.generators;

/** Bad flags or configuration: the command prints the message and exits with status 2. */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
