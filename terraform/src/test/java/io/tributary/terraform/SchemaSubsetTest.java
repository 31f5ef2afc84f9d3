package io.tributary.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The provider schemas the checks use are committed (src/test/resources/provider-schemas/): a fresh
 * clone has no ../shared. They hold exactly the types this configuration uses, copied unchanged
 * from the full schemas in ../shared/terraform-schema/ when that directory is beside the clone (as
 * in CI). After adding a resource type, regenerate them with
 *
 * <pre>mvn -B -pl terraform verify -Dterraform.schemas.update=true</pre>
 */
class SchemaSubsetTest {
  static final Path COMMITTED = Path.of("src/test/resources/provider-schemas");
  static final Path SHARED =
      Path.of(System.getProperty("terraform.schemas.shared", "../../shared/terraform-schema"));

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Test
  void theCommittedSchemasHoldExactlyTheTypesTheConfigurationUses() {
    TerraformModule module = TerraformModule.read(TerraformConfigurationTest.MODULE);
    ProviderSchemas committed = ProviderSchemas.committed();

    for (String kind : new String[] {"resources", "data_sources"}) {
      Set<String> used = used(module, kind);
      Set<String> held = new TreeSet<>();
      committed.azurerm.path(kind).fieldNames().forEachRemaining(held::add);
      committed.databricks.path(kind).fieldNames().forEachRemaining(held::add);
      assertThat(held).as(kind + " in " + COMMITTED).isEqualTo(used);
    }
  }

  @Test
  void theCommittedSchemasAreCutUnchangedFromTheSharedOnes() throws IOException {
    Assumptions.assumeTrue(
        Files.isDirectory(SHARED),
        SHARED.toAbsolutePath() + " is not here (only CI has ../shared): nothing to compare with");
    TerraformModule module = TerraformModule.read(TerraformConfigurationTest.MODULE);

    for (String file : new String[] {ProviderSchemas.AZURERM, ProviderSchemas.DATABRICKS}) {
      JsonNode full = JSON.readTree(SHARED.resolve(file).toFile());
      ObjectNode subset = JSON.createObjectNode();
      subset.set("provider_version", full.get("provider_version"));
      for (String kind : new String[] {"resources", "data_sources"}) {
        ObjectNode types = subset.putObject(kind);
        for (String type : used(module, kind)) {
          if (full.path(kind).has(type)) {
            types.set(type, full.path(kind).get(type));
          }
        }
      }
      if (full.has("provider")) {
        subset.set("provider", full.get("provider"));
      }
      Path committed = COMMITTED.resolve(file);
      if (Boolean.getBoolean("terraform.schemas.update")) {
        Files.writeString(committed, JSON.writeValueAsString(subset) + "\n");
      }
      assertThat(JSON.readTree(committed.toFile()))
          .as(
              committed
                  + " differs from what "
                  + SHARED.resolve(file)
                  + " gives; regenerate it with"
                  + " -Dterraform.schemas.update=true")
          .isEqualTo(subset);
    }
  }

  private static Set<String> used(TerraformModule module, String kind) {
    Set<String> types = new TreeSet<>();
    (kind.equals("resources") ? module.resources : module.dataSources)
        .keySet()
        .forEach(address -> types.add(address.split("\\.")[0]));
    return types;
  }
}
