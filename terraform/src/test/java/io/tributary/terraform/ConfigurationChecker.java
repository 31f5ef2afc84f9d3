package io.tributary.terraform;

import io.tributary.terraform.Expressions.Traversal;
import io.tributary.terraform.TerraformModule.Block;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What {@code terraform validate} would reject, checked without terraform: syntax (the parser),
 * then {@link SchemaCheck}, {@link ProviderVersionCheck} and {@link ReferenceCheck}, and the
 * variables' and outputs' own rules. Each problem is one line naming the file and the block.
 */
final class ConfigurationChecker {
  /** Meta-arguments Terraform handles itself; not in any provider schema. */
  static final Set<String> META_ARGUMENTS =
      Set.of("count", "for_each", "depends_on", "lifecycle", "provider", "timeouts");

  private final List<String> problems = new ArrayList<>();

  private ConfigurationChecker() {}

  static List<String> check(ProviderSchemas schemas, TerraformModule module) {
    ConfigurationChecker checker = new ConfigurationChecker();
    List<String> problems = checker.problems;
    if (!module.syntaxErrors().isEmpty()) {
      // As terraform does: a file that does not parse hides its declarations, so every other check
      // would only report their absence.
      return new ArrayList<>(module.syntaxErrors());
    }
    problems.addAll(module.duplicates);
    for (Block other : module.others) {
      problems.add(
          other.file()
              + ": top-level '"
              + other.address()
              + "' blocks are not checked here (this configuration is one root module)");
    }
    new SchemaCheck(schemas, problems).run(module);
    new ProviderVersionCheck(module, problems).run();
    module.variables.values().forEach(checker::checkVariable);
    module.outputs.values().forEach(checker::checkOutput);
    new ReferenceCheck(schemas, module, problems).run();
    return problems;
  }

  private void checkVariable(Block variable) {
    String where = variable.file() + ": variable \"" + variable.address().substring(4) + "\"";
    if (!variable.body().hasNonNull("description")) {
      problems.add(where + ": no description");
    }
    if (!variable.body().hasNonNull("type")) {
      problems.add(where + ": no type");
    }
    String name = variable.address().substring(4);
    Expressions.strings(
        variable.body().path("validation"),
        value -> {
          for (String expression : Expressions.expressions(value)) {
            for (Traversal t : Expressions.traversals(expression)) {
              if (t.root().equals("var") && !name.equals(t.step(0))) {
                problems.add(
                    where
                        + ": its validation reads "
                        + t.text()
                        + " (Terraform before 1.9 allows only the variable itself; use a"
                        + " precondition)");
              }
            }
          }
        });
  }

  private void checkOutput(Block output) {
    String where = output.file() + ": output \"" + output.address().substring(7) + "\"";
    if (!output.body().has("value")) {
      problems.add(where + ": missing required argument 'value'");
    }
    if (!output.body().hasNonNull("description")) {
      problems.add(where + ": no description");
    }
  }
}
