package io.tributary.terraform;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Terraform's version constraint syntax ({@code "~> 4.42"}, {@code ">= 4.0, < 5.0"}, {@code "=
 * 1.2.3"}, {@code "!= 4.1"}), enough to ask whether a constraint admits a given version.
 * Pre-release suffixes are ignored.
 */
final class VersionConstraint {
  private record Part(String operator, int[] version, int components) {}

  private final List<Part> parts = new ArrayList<>();

  private VersionConstraint(String text) {
    for (String piece : text.split(",")) {
      String p = piece.trim();
      if (p.isEmpty()) {
        throw new IllegalArgumentException("empty part in version constraint '" + text + "'");
      }
      String operator = "=";
      for (String op : List.of("~>", ">=", "<=", "!=", ">", "<", "=")) {
        if (p.startsWith(op)) {
          operator = op;
          p = p.substring(op.length()).trim();
          break;
        }
      }
      if (!p.matches("\\d+(\\.\\d+){0,2}(-[0-9A-Za-z.-]+)?")) {
        throw new IllegalArgumentException("'" + piece.trim() + "' is not a version constraint");
      }
      String numbers = p.split("-", 2)[0];
      int components = numbers.split("\\.").length;
      parts.add(new Part(operator, numbers(numbers), components));
    }
  }

  static VersionConstraint parse(String text) {
    return new VersionConstraint(text);
  }

  boolean admits(String version) {
    int[] v = numbers(version);
    for (Part part : parts) {
      int c = compare(v, part.version());
      boolean ok =
          switch (part.operator()) {
            case "=" -> c == 0;
            case "!=" -> c != 0;
            case ">" -> c > 0;
            case ">=" -> c >= 0;
            case "<" -> c < 0;
            case "<=" -> c <= 0;
              // ~> lets only the right-most given component grow: ~> 4.42 is >= 4.42, < 5.0;
              // ~> 4.42.1 is >= 4.42.1, < 4.43.0; ~> 4 is >= 4 (nothing to its left to hold).
            case "~>" -> c >= 0 && (part.components() < 2 || below(v, part));
            default -> throw new IllegalStateException(part.operator());
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean below(int[] v, Part part) {
    int[] upper = Arrays.copyOf(part.version(), 3);
    int grow = part.components() - 2;
    upper[grow]++;
    for (int i = grow + 1; i < 3; i++) {
      upper[i] = 0;
    }
    return compare(v, upper) < 0;
  }

  private static int[] numbers(String version) {
    String[] pieces = version.split("-", 2)[0].split("\\.");
    int[] v = new int[3];
    for (int i = 0; i < Math.min(3, pieces.length); i++) {
      v[i] = Integer.parseInt(pieces[i]);
    }
    return v;
  }

  private static int compare(int[] a, int[] b) {
    for (int i = 0; i < 3; i++) {
      if (a[i] != b[i]) {
        return Integer.compare(a[i], b[i]);
      }
    }
    return 0;
  }
}
