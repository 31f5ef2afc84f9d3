package io.tributary.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.terraform.Expressions.Traversal;
import io.tributary.terraform.TerraformModule.Block;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * References in every expression: variables, locals, resources and data sources must be declared,
 * an attribute read from a resource must exist in its schema, {@code each} and {@code count} only
 * where the block has {@code for_each} or {@code count}.
 */
final class ReferenceCheck {
  /** Roots of references that are not declarations of this module. */
  private static final Set<String> BUILT_IN_ROOTS = Set.of("path", "terraform", "self");

  private final ProviderSchemas schemas;
  private final TerraformModule module;
  private final List<String> problems;

  ReferenceCheck(ProviderSchemas schemas, TerraformModule module, List<String> problems) {
    this.schemas = schemas;
    this.module = module;
    this.problems = problems;
  }

  void run() {
    module.allBlocks().values().forEach(this::checkReferences);
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
            + SchemaCheck.suggestion(attribute, schema));
  }
}
