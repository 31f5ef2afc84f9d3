package io.tributary.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.terraform.Expressions.Traversal;
import io.tributary.terraform.TerraformModule.Block;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code terraform validate} would reject, checked without terraform: syntax (the parser),
 * resource and data source types, arguments and nested blocks against the providers' schemas,
 * required arguments, read-only attributes, references to things not declared, and provider version
 * constraints. Each problem is one line naming the file and the block.
 */
final class ConfigurationChecker {
  /** Meta-arguments Terraform handles itself; not in any provider schema. */
  static final Set<String> META_ARGUMENTS =
      Set.of("count", "for_each", "depends_on", "lifecycle", "provider", "timeouts");

  /** Roots of references that are not declarations of this module. */
  private static final Set<String> BUILT_IN_ROOTS = Set.of("path", "terraform", "self");

  /** Deprecated 4.x names that 5.0 removed (../shared/notes/terraform-azure.md, cheat sheet). */
  private static final Map<String, String> DEPRECATED =
      Map.of(
          "azurerm_key_vault.enable_rbac_authorization", "rbac_authorization_enabled",
          "azurerm_eventhub.namespace_name", "namespace_id",
          "azurerm_eventhub.resource_group_name", "namespace_id",
          "azurerm_storage_container.storage_account_name", "storage_account_id");

  /** The provider versions the schemas describe: the constraints must admit them. */
  static final String AZURERM_SCHEMA_VERSION = "4.81.0";

  private final ProviderSchemas schemas;
  private final TerraformModule module;
  private final List<String> problems = new ArrayList<>();

  private ConfigurationChecker(ProviderSchemas schemas, TerraformModule module) {
    this.schemas = schemas;
    this.module = module;
  }

  static List<String> check(ProviderSchemas schemas, TerraformModule module) {
    ConfigurationChecker checker = new ConfigurationChecker(schemas, module);
    checker.run();
    return checker.problems;
  }

  private void run() {
    if (!module.syntaxErrors().isEmpty()) {
      // As terraform does: a file that does not parse hides its declarations, so every other check
      // would only report their absence.
      problems.addAll(module.syntaxErrors());
      return;
    }
    problems.addAll(module.duplicates);
    for (Block other : module.others) {
      problems.add(
          other.file()
              + ": top-level '"
              + other.address()
              + "' blocks are not checked here (this configuration is one root module)");
    }
    module.resources.values().forEach(b -> checkTyped(b, "resources", "resource"));
    module.dataSources.values().forEach(b -> checkTyped(b, "data_sources", "data source"));
    module.providers.forEach(this::checkProvider);
    checkVersions();
    module.variables.values().forEach(this::checkVariable);
    module.outputs.values().forEach(this::checkOutput);
    module.allBlocks().values().forEach(this::checkReferences);
  }

  private void checkTyped(Block block, String kind, String label) {
    String type = block.address().replaceFirst("^data\\.", "").split("\\.")[0];
    String where = block.file() + ": " + label + " " + block.address();
    JsonNode schema = schemas.schema(kind, type);
    if (schema == null) {
      problems.add(
          where
              + ": unknown "
              + label
              + " type '"
              + type
              + "'"
              + (schemas.providerOf(type) == null
                  ? " (no provider of this configuration has it)"
                  : " (not in the provider's schema; if the provider has it, add it to the"
                      + " committed subset: see SchemaSubsetTest)"));
      return;
    }
    checkBody(where, type, block.body(), schema, true);
  }

  private void checkBody(String where, String type, JsonNode body, JsonNode schema, boolean top) {
    Set<String> present = new HashSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (top && META_ARGUMENTS.contains(name)) {
        continue;
      }
      if (name.equals("dynamic")) {
        value
            .fields()
            .forEachRemaining(
                dynamic -> {
                  present.add(dynamic.getKey());
                  JsonNode definition = schema.get(dynamic.getKey());
                  if (definition == null || !ProviderSchemas.isBlock(definition)) {
                    problems.add(
                        where
                            + ": dynamic \""
                            + dynamic.getKey()
                            + "\" generates "
                            + (definition == null ? "an unknown block" : "a block of an argument"));
                    return;
                  }
                  for (JsonNode instance : dynamic.getValue()) {
                    if (!instance.has("for_each") || !instance.has("content")) {
                      problems.add(
                          where
                              + ": dynamic \""
                              + dynamic.getKey()
                              + "\" needs for_each and a content block");
                    }
                    for (JsonNode content : instance.path("content")) {
                      checkBody(
                          where + " > " + dynamic.getKey(),
                          type,
                          content,
                          definition.path("elem").path("schema"),
                          false);
                    }
                  }
                });
        continue;
      }
      present.add(name);
      JsonNode definition = schema.get(name);
      boolean writtenAsBlock = value.isArray() && value.size() > 0 && value.get(0).isObject();
      if (definition == null) {
        problems.add(
            where
                + ": unknown "
                + (writtenAsBlock ? "block '" : "argument '")
                + name
                + "'"
                + suggestion(name, schema));
        continue;
      }
      if (name.equals("id") && top) {
        problems.add(where + ": 'id' is set by the provider, never in the configuration");
        continue;
      }
      if (ProviderSchemas.isReadOnly(definition)) {
        problems.add(
            where + ": '" + name + "' is read-only (computed by the provider), it cannot be set");
        continue;
      }
      String deprecated = DEPRECATED.get(type + "." + name);
      if (top && deprecated != null) {
        problems.add(
            where
                + ": '"
                + name
                + "' is deprecated in azurerm 4.x and gone in 5.0: use '"
                + deprecated
                + "'");
      }
      if (ProviderSchemas.isBlock(definition)) {
        if (!writtenAsBlock) {
          problems.add(
              where
                  + ": '"
                  + name
                  + "' is a block: write "
                  + name
                  + " { ... }, not "
                  + name
                  + " =");
          continue;
        }
        int max = definition.path("max_items").asInt(definition.path("maxItems").asInt(0));
        if (max > 0 && value.size() > max) {
          problems.add(where + ": at most " + max + " '" + name + "' block(s) allowed");
        }
        for (JsonNode nested : value) {
          checkBody(
              where + " > " + name, type, nested, definition.path("elem").path("schema"), false);
        }
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> definition = it.next();
      if (definition.getValue().path("required").asBoolean()
          && !present.contains(definition.getKey())) {
        problems.add(where + ": missing required argument '" + definition.getKey() + "'");
      }
    }
  }

  private static String suggestion(String name, JsonNode schema) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
      String candidate = it.next();
      int d = distance(name, candidate);
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return best != null && bestDistance <= Math.max(2, name.length() / 4)
        ? " (did you mean '" + best + "'?)"
        : "";
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      int[] current = new int[b.length() + 1];
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      previous = current;
    }
    return previous[b.length()];
  }

  private void checkProvider(Block provider) {
    String where = provider.file() + ": provider \"" + provider.address() + "\"";
    switch (provider.address()) {
      case "azurerm" -> {
        JsonNode schema = schemas.azurerm.path("provider");
        JsonNode arguments = schema.has("schema") ? schema.get("schema") : schema;
        checkBody(where, "provider.azurerm", without(provider.body(), "alias"), arguments, false);
      }
      case "databricks" ->
          provider
              .body()
              .fieldNames()
              .forEachRemaining(
                  name -> {
                    if (!name.equals("alias")
                        && !ProviderSchemas.DATABRICKS_PROVIDER_ARGUMENTS.contains(name)) {
                      problems.add(where + ": unknown argument '" + name + "'");
                    }
                  });
      default -> problems.add(where + ": no such provider in required_providers");
    }
  }

  private static JsonNode without(JsonNode body, String field) {
    com.fasterxml.jackson.databind.node.ObjectNode copy = body.deepCopy();
    copy.remove(field);
    return copy;
  }

  private void checkVersions() {
    if (module.terraformBlocks.isEmpty()) {
      problems.add("no terraform { required_providers { ... } } block");
      return;
    }
    Set<String> declared = new HashSet<>();
    for (Block block : module.terraformBlocks) {
      for (JsonNode requirements : block.body().path("required_providers")) {
        requirements
            .fields()
            .forEachRemaining(
                p -> {
                  declared.add(p.getKey());
                  checkRequirement(block.file(), p.getKey(), p.getValue());
                });
      }
    }
    for (String provider : List.of("azurerm", "databricks")) {
      if (!declared.contains(provider)) {
        problems.add("required_providers does not declare " + provider);
      }
    }
  }

  private void checkRequirement(String file, String name, JsonNode requirement) {
    String where = file + ": required_providers." + name;
    String source = requirement.path("source").asText("");
    String version = requirement.path("version").asText("");
    switch (name) {
      case "azurerm" -> {
        expect(where, "source", source, "hashicorp/azurerm");
        constraint(where, version, AZURERM_SCHEMA_VERSION, List.of("5.0.0", "5.2.0", "6.0.0"));
      }
      case "databricks" -> {
        expect(where, "source", source, "databricks/databricks");
        constraint(where, version, null, List.of("2.0.0", "3.0.0"));
      }
      default -> problems.add(where + ": a provider this configuration does not check");
    }
  }

  private void expect(String where, String what, String actual, String expected) {
    if (!actual.equals(expected)) {
      problems.add(where + ": " + what + " is '" + actual + "', expected '" + expected + "'");
    }
  }

  private void constraint(String where, String text, String mustAdmit, List<String> mustRefuse) {
    if (text.isEmpty()) {
      problems.add(where + ": no version constraint (any version, including the next major)");
      return;
    }
    VersionConstraint constraint;
    try {
      constraint = VersionConstraint.parse(text);
    } catch (IllegalArgumentException e) {
      problems.add(where + ": " + e.getMessage());
      return;
    }
    for (String version : mustRefuse) {
      if (constraint.admits(version)) {
        problems.add(
            where
                + ": version constraint '"
                + text
                + "' admits "
                + version
                + " (a major version this configuration is not written for; use ~> MAJOR.MINOR)");
        break;
      }
    }
    if (mustAdmit != null && !constraint.admits(mustAdmit)) {
      problems.add(
          where
              + ": version constraint '"
              + text
              + "' refuses "
              + mustAdmit
              + ", the version whose schema this configuration is checked against");
    }
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

  private void checkReferences(Block block) {
    String where = block.file() + ": " + block.address();
    Set<String> iterators = new HashSet<>();
    collectDynamicLabels(block.body(), iterators);
    Expressions.strings(
        block.body(),
        value -> {
          for (String expression : Expressions.expressions(value)) {
            Set<String> bound = Expressions.forVariables(expression);
            for (Traversal t : Expressions.traversals(expression)) {
              checkReference(where, block, t, iterators, bound);
            }
          }
        });
  }

  private static void collectDynamicLabels(JsonNode node, Set<String> into) {
    if (node == null || !node.isContainerNode()) {
      return;
    }
    if (node.isObject() && node.has("dynamic")) {
      node.get("dynamic").fieldNames().forEachRemaining(into::add);
    }
    node.forEach(child -> collectDynamicLabels(child, into));
  }

  private void checkReference(
      String where, Block block, Traversal t, Set<String> iterators, Set<String> bound) {
    String root = t.root();
    String first = t.step(0);
    if (bound.contains(root) || iterators.contains(root) || BUILT_IN_ROOTS.contains(root)) {
      return;
    }
    switch (root) {
      case "var" -> {
        if (!module.variables.containsKey(first)) {
          problems.add(
              where + ": reference to undeclared variable '" + first + "' (" + t.text() + ")");
        }
      }
      case "local" -> {
        if (!module.locals.containsKey(first)) {
          problems.add(
              where + ": reference to undeclared local '" + first + "' (" + t.text() + ")");
        }
      }
      case "each" -> {
        if (!block.body().has("for_each")) {
          problems.add(where + ": " + t.text() + " outside a for_each block");
        }
      }
      case "count" -> {
        if (!block.body().has("count")) {
          problems.add(where + ": " + t.text() + " outside a count block");
        }
      }
      case "data" -> {
        String address = first + "." + t.step(1);
        if (!module.dataSources.containsKey(address)) {
          problems.add(
              where
                  + ": reference to undeclared data source 'data."
                  + address
                  + "' ("
                  + t.text()
                  + ")");
        } else {
          checkAttribute(where, "data_sources", first, t.step(2), t);
        }
      }
      case "module" ->
          problems.add(where + ": reference to a module (" + t.text() + "), none is declared");
      default -> {
        String address = root + "." + first;
        if (!module.resources.containsKey(address)) {
          problems.add(
              where + ": reference to undeclared resource '" + address + "' (" + t.text() + ")");
        } else {
          checkAttribute(where, "resources", root, t.step(1), t);
        }
      }
    }
  }

  private void checkAttribute(
      String where, String kind, String type, String attribute, Traversal t) {
    if (attribute == null || attribute.equals("id") || attribute.equals("*")) {
      return;
    }
    JsonNode schema = schemas.schema(kind, type);
    if (schema == null || schema.has(attribute)) {
      return;
    }
    if (ProviderSchemas.DATABRICKS_EXPORTS.getOrDefault(type, Set.of()).contains(attribute)) {
      return;
    }
    problems.add(
        where
            + ": "
            + type
            + " has no attribute '"
            + attribute
            + "' ("
            + t.text()
            + ")"
            + suggestion(attribute, schema));
  }
}
