package io.tributary.terraform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Outputs are read outside Terraform, by name: the launcher's {@code terraform_output DIR NAME} and
 * the READMEs' {@code terraform output -raw NAME}. Each name read must be an output of the module.
 */
final class OutputReaders {
  private static final Pattern READ =
      Pattern.compile(
          "(?:terraform_output \"?\\$[a-z]+\"? |\\brule=|output\\s+-raw\\s+|output\\s+-json\\s+)([a-z_]+)");

  private OutputReaders() {}

  /** One problem per output a reader names that the module does not declare. */
  static List<String> undeclared(TerraformModule module, Map<String, String> readers) {
    List<String> problems = new ArrayList<>();
    readers.forEach(
        (file, text) -> {
          Matcher m = READ.matcher(text);
          while (m.find()) {
            if (!module.outputs.containsKey(m.group(1))) {
              problems.add(
                  file + " reads output '" + m.group(1) + "', which the module does not declare");
            }
          }
        });
    return problems;
  }

  /** The output names one reader reads. */
  static java.util.Set<String> read(String text) {
    java.util.Set<String> names = new java.util.TreeSet<>();
    READ.matcher(text).results().forEach(r -> names.add(r.group(1)));
    return names;
  }
}
