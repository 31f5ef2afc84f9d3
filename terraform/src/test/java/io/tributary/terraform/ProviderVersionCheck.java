package io.tributary.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.terraform.TerraformModule.Block;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * required_providers: the sources, and version constraints that admit the azurerm version the
 * schemas describe but no next major version (azurerm 5 removed arguments used here).
 */
final class ProviderVersionCheck {
  /** The azurerm version the committed schema describes: the constraint must admit it. */
  static final String AZURERM_SCHEMA_VERSION = "4.81.0";

  private final TerraformModule module;
  private final List<String> problems;

  ProviderVersionCheck(TerraformModule module, List<String> problems) {
    this.module = module;
    this.problems = problems;
  }

  void run() {
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
}
