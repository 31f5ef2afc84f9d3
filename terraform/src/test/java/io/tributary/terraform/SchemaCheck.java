package io.tributary.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.terraform.TerraformModule.Block;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every resource, data source and provider block against the providers' schemas: known types, known
 * arguments and nested blocks (also inside {@code dynamic} blocks), required arguments present,
 * read-only attributes not set, no deprecated azurerm names that 5.0 removed.
 */
final class SchemaCheck {
  /** Deprecated 4.x names that 5.0 removed (../shared/notes/terraform-azure.md, cheat sheet). */
  private static final Map<String, String> DEPRECATED =
      Map.of(
          "azurerm_key_vault.enable_rbac_authorization", "rbac_authorization_enabled",
          "azurerm_eventhub.namespace_name", "namespace_id",
          "azurerm_eventhub.resource_group_name", "namespace_id",
          "azurerm_storage_container.storage_account_name", "storage_account_id");

  private final ProviderSchemas schemas;
  private final List<String> problems;

  SchemaCheck(ProviderSchemas schemas, List<String> problems) {
    this.schemas = schemas;
    this.problems = problems;
  }

  void run(TerraformModule module) {
    module.resources.values().forEach(b -> checkTyped(b, "resources", "resource"));
    module.dataSources.values().forEach(b -> checkTyped(b, "data_sources", "data source"));
    module.providers.forEach(this::checkProvider);
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
      if (top && ConfigurationChecker.META_ARGUMENTS.contains(name)) {
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

  static String suggestion(String name, JsonNode schema) {
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
}
