package io.tributary.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the references ({@code var.x}, {@code local.y}, {@code TYPE.NAME.attr}, {@code
 * data.TYPE.NAME}) in the expressions hcl2json leaves as {@code ${...}} strings. String literals
 * inside expressions are skipped, except for their own {@code ${...}} parts; function names are not
 * references.
 */
final class Expressions {
  /** A reference: its first name and what follows ({@code [i]} for any index or splat). */
  record Traversal(String root, List<String> steps, String text) {
    String step(int i) {
      int seen = 0;
      for (String step : steps) {
        if (!step.startsWith("[")) {
          if (seen == i) {
            return step;
          }
          seen++;
        }
      }
      return null;
    }
  }

  private static final Pattern FOR_VARIABLES =
      Pattern.compile("\\bfor\\s+([A-Za-z_][\\w-]*)(?:\\s*,\\s*([A-Za-z_][\\w-]*))?\\s+in\\s");

  private Expressions() {}

  /** Every string value anywhere in {@code node}, with the key path it sits under. */
  static void strings(JsonNode node, Consumer<String> each) {
    if (node == null) {
      return;
    }
    if (node.isTextual()) {
      each.accept(node.asText());
    } else if (node.isContainerNode()) {
      node.forEach(child -> strings(child, each));
    }
  }

  /** The expressions ({@code ${...}} contents) of one string value. */
  static List<String> expressions(String value) {
    List<String> found = new ArrayList<>();
    for (int i = value.indexOf("${"); i >= 0; i = value.indexOf("${", i)) {
      if (i > 0 && value.charAt(i - 1) == '$') { // $${ is a literal ${
        i += 2;
        continue;
      }
      int close = matchBrace(value, i + 1);
      found.add(value.substring(i + 2, close));
      i = close + 1;
    }
    return found;
  }

  /** Names a {@code for} expression binds in {@code expression}: not references to anything. */
  static Set<String> forVariables(String expression) {
    Set<String> names = new HashSet<>();
    Matcher m = FOR_VARIABLES.matcher(expression);
    while (m.find()) {
      names.add(m.group(1));
      if (m.group(2) != null) {
        names.add(m.group(2));
      }
    }
    return names;
  }

  /** The references in one expression (the text inside {@code ${ }}). */
  static List<Traversal> traversals(String expression) {
    List<Traversal> found = new ArrayList<>();
    scan(expression, found);
    return found;
  }

  private static void scan(String s, List<Traversal> found) {
    int n = s.length();
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (c == '"') {
        i = skipString(s, i, found);
      } else if (Character.isDigit(c)) {
        while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.')) {
          i++;
        }
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        i = identifierEnd(s, i);
        String root = s.substring(start, i);
        List<String> steps = new ArrayList<>();
        while (i < n) {
          if (s.charAt(i) == '.' && i + 1 < n && isIdentifierStart(s.charAt(i + 1))) {
            int end = identifierEnd(s, i + 1);
            steps.add(s.substring(i + 1, end));
            i = end;
          } else if (s.charAt(i) == '[') {
            int close = matchBracket(s, i);
            scan(s.substring(i + 1, close), found);
            steps.add("[" + s.substring(i + 1, close) + "]");
            i = close + 1;
          } else {
            break;
          }
        }
        if (!steps.isEmpty()) {
          found.add(new Traversal(root, steps, s.substring(start, i)));
        }
      } else {
        i++;
      }
    }
  }

  private static boolean isIdentifierStart(char c) {
    return Character.isLetter(c) || c == '_' || c == '*';
  }

  private static int identifierEnd(String s, int i) {
    if (s.charAt(i) == '*') {
      return i + 1;
    }
    while (i < s.length()
        && (Character.isLetterOrDigit(s.charAt(i)) || "_-".indexOf(s.charAt(i)) >= 0)) {
      i++;
    }
    return i;
  }

  /**
   * Skips the string literal opening at {@code i}, scanning its template parts; returns the index
   * after it.
   */
  private static int skipString(String s, int i, List<Traversal> found) {
    int j = i + 1;
    while (j < s.length()) {
      char c = s.charAt(j);
      if (c == '\\') {
        j += 2;
      } else if (c == '$' && j + 1 < s.length() && s.charAt(j + 1) == '{') {
        int close = matchBrace(s, j + 1);
        if (found != null) {
          scan(s.substring(j + 2, close), found);
        }
        j = close + 1;
      } else if (c == '"') {
        return j + 1;
      } else {
        j++;
      }
    }
    return j;
  }

  /** Index of the brace closing the one at {@code open}, skipping string literals. */
  static int matchBrace(String s, int open) {
    int depth = 0;
    int i = open;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '"' && i != open) {
        i = skipString(s, i, null);
        continue;
      }
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return i;
      }
      i++;
    }
    throw new IllegalArgumentException("unbalanced braces in " + s);
  }

  private static int matchBracket(String s, int open) {
    int depth = 0;
    for (int i = open; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        i = skipString(s, i, null) - 1;
      } else if (c == '[') {
        depth++;
      } else if (c == ']' && --depth == 0) {
        return i;
      }
    }
    throw new IllegalArgumentException("unbalanced brackets in " + s);
  }
}
