package io.tributary.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.terraform.Expressions.Traversal;
import io.tributary.terraform.TerraformModule.Block;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The security settings this configuration promises (terraform/README.md, "Security"), each checked
 * on every resource of its type: TLS 1.2, no public blob access, Key Vault purge protection and
 * RBAC, no manage-rights Event Hubs key anywhere, every secret-bearing output and variable
 * sensitive.
 */
final class SecurityPosture {
  /** Attribute and variable names that hold a secret. */
  static final Pattern SECRET_NAME =
      Pattern.compile(
          "(?i)(.*_)?(connection_string|access_key|key|secret|password|token)(_alias)?");

  /** The namespace attributes that carry RootManageSharedAccessKey's connection string and keys. */
  private static final Pattern ROOT_KEY_ATTRIBUTE =
      Pattern.compile("default_(primary|secondary)_.*");

  private final TerraformModule module;
  private final List<String> problems = new ArrayList<>();

  private SecurityPosture(TerraformModule module) {
    this.module = module;
  }

  /**
   * {@code otherTexts}: files outside the module that must not name the root key either (job.json).
   */
  static List<String> check(TerraformModule module, Map<String, String> otherTexts) {
    SecurityPosture posture = new SecurityPosture(module);
    posture.run(otherTexts);
    return posture.problems;
  }

  private void run(Map<String, String> otherTexts) {
    each(
        "azurerm_storage_account",
        (where, body) -> {
          require(where, body, "min_tls_version", "TLS1_2");
          require(where, body, "allow_nested_items_to_be_public", false);
          forbid(where, body, "https_traffic_only_enabled", false);
        });
    each(
        "azurerm_storage_container",
        (where, body) -> forbidUnless(where, body, "container_access_type", "private"));
    each(
        "azurerm_eventhub_namespace",
        (where, body) -> require(where, body, "minimum_tls_version", "1.2"));
    each(
        "azurerm_key_vault",
        (where, body) -> {
          require(where, body, "purge_protection_enabled", true);
          require(where, body, "rbac_authorization_enabled", true);
        });
    for (String type :
        List.of(
            "azurerm_eventhub_namespace_authorization_rule",
            "azurerm_eventhub_authorization_rule")) {
      each(type, (where, body) -> forbid(where, body, "manage", true));
    }

    Map<String, String> texts = new java.util.TreeMap<>(module.texts);
    texts.putAll(otherTexts);
    texts.forEach(
        (file, text) -> {
          if (text.toLowerCase().contains("rootmanagesharedaccesskey")) {
            problems.add(
                file
                    + ": names RootManageSharedAccessKey (the namespace's manage key): use the Send or Listen rule");
          }
        });
    module
        .allBlocks()
        .values()
        .forEach(
            block ->
                references(
                        block,
                        t ->
                            t.root().equals("azurerm_eventhub_namespace")
                                && t.step(1) != null
                                && ROOT_KEY_ATTRIBUTE.matcher(t.step(1)).matches())
                    .forEach(
                        t ->
                            problems.add(
                                block.file()
                                    + ": "
                                    + block.address()
                                    + ": "
                                    + t.text()
                                    + " is RootManageSharedAccessKey's secret: use the Send or Listen rule")));

    module.variables.forEach(
        (name, variable) -> {
          if (SECRET_NAME.matcher(name).matches()
              && !variable.body().path("sensitive").asBoolean()) {
            problems.add(
                variable.file()
                    + ": variable \""
                    + name
                    + "\" holds a secret but is not sensitive = true");
          }
        });
    module.outputs.forEach(
        (name, output) -> {
          Set<String> secrets = secretsIn(output, new HashSet<>());
          if (!secrets.isEmpty() && !output.body().path("sensitive").asBoolean()) {
            problems.add(
                output.file()
                    + ": output \""
                    + name
                    + "\" carries "
                    + String.join(", ", secrets)
                    + " but is not sensitive = true");
          }
        });
  }

  /** The secret-bearing references in a block, following locals. */
  private Set<String> secretsIn(Block block, Set<String> visited) {
    Set<String> secrets = new java.util.TreeSet<>();
    for (Traversal t : references(block, t -> true)) {
      switch (t.root()) {
        case "var" -> {
          Block variable = module.variables.get(t.step(0));
          if (variable != null && variable.body().path("sensitive").asBoolean()) {
            secrets.add(t.text());
          }
        }
        case "local" -> {
          Block local = module.locals.get(t.step(0));
          if (local != null && visited.add(t.step(0))) {
            secrets.addAll(secretsIn(local, visited));
          }
        }
        default -> {
          String attribute = t.root().equals("data") ? t.step(2) : t.step(1);
          if (attribute != null
              && (SECRET_NAME.matcher(attribute).matches()
                  || (t.root().equals("azurerm_key_vault_secret") && attribute.equals("value")))) {
            secrets.add(t.text());
          }
        }
      }
    }
    return secrets;
  }

  private static List<Traversal> references(Block block, Predicate<Traversal> which) {
    List<Traversal> found = new ArrayList<>();
    Expressions.strings(
        block.body(),
        value -> {
          for (String expression : Expressions.expressions(value)) {
            Expressions.traversals(expression).stream().filter(which).forEach(found::add);
          }
        });
    return found;
  }

  private interface BodyCheck {
    void check(String where, JsonNode body);
  }

  private void each(String type, BodyCheck check) {
    module.resources.forEach(
        (address, block) -> {
          if (address.startsWith(type + ".")) {
            check.check(block.file() + ": " + address, block.body());
          }
        });
  }

  private void require(String where, JsonNode body, String argument, Object expected) {
    JsonNode value = body.get(argument);
    if (value == null || !value.asText().equals(String.valueOf(expected))) {
      problems.add(
          where
              + ": "
              + argument
              + " must be "
              + quoted(expected)
              + " (is "
              + (value == null ? "not set" : value.toString())
              + ")");
    }
  }

  private void forbid(String where, JsonNode body, String argument, Object forbidden) {
    JsonNode value = body.get(argument);
    if (value != null && value.asText().equals(String.valueOf(forbidden))) {
      problems.add(where + ": " + argument + " must not be " + quoted(forbidden));
    }
  }

  private void forbidUnless(String where, JsonNode body, String argument, String allowed) {
    JsonNode value = body.get(argument);
    if (value != null && !value.asText().equals(allowed)) {
      problems.add(where + ": " + argument + " must be \"" + allowed + "\" (is " + value + ")");
    }
  }

  private static String quoted(Object value) {
    return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
  }
}
