package io.tributary.kafka.connection;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

/**
 * Where a secret lives, never the secret itself: {@code env:VAR} (on Databricks, a cluster
 * environment variable filled from a Key Vault-backed secret scope with {@code
 * {{secrets/scope/key}}}) or {@code file:/path}. Options, display data and serialized pipelines
 * carry only this reference; {@link #resolve()} reads the value where a client is created.
 */
public final class SecretRef implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String kind;
  private final String name;

  private SecretRef(String kind, String name) {
    this.kind = kind;
    this.name = name;
  }

  /**
   * Parses a reference given to {@code flag}.
   *
   * @throws IllegalArgumentException if it is not {@code env:VAR} or {@code file:/path}; the
   *     message never repeats what was given, since a user may have pasted the secret itself
   */
  public static SecretRef parse(String flag, String reference) {
    if (reference != null && reference.startsWith("env:") && reference.length() > 4) {
      String var = reference.substring(4);
      if (var.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        return new SecretRef("env", var);
      }
    }
    if (reference != null && reference.startsWith("file:") && reference.length() > 5) {
      return new SecretRef("file", reference.substring(5));
    }
    throw new IllegalArgumentException(
        "--"
            + flag
            + " takes a reference to the secret, env:VARIABLE or file:/path, never the secret itself"
            + " (the value given is not repeated here in case it was the secret)");
  }

  /** Reads the secret from the process environment or the file system. */
  public String resolve() {
    return resolve(System::getenv);
  }

  /** Reads the secret, with {@code env} standing in for the process environment. */
  public String resolve(Function<String, String> env) {
    if (kind.equals("env")) {
      String value = env.apply(name);
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(
            "the secret reference " + this + " points to an environment variable that is not set");
      }
      return value.strip();
    }
    try {
      String value = Files.readString(Path.of(name), StandardCharsets.UTF_8).strip();
      if (value.isEmpty()) {
        throw new IllegalArgumentException("the secret file " + name + " is empty");
      }
      return value;
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("the secret file " + name + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the secret file " + name + ": " + e.getClass().getSimpleName());
    }
  }

  @Override
  public String toString() {
    return kind + ":" + name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretRef other && kind.equals(other.kind) && name.equals(other.name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, name);
  }
}
