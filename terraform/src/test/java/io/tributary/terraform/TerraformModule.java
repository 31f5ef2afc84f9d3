package io.tributary.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A root module's top-level blocks, read from its {@code *.tf} files by {@link HclParser}. Files
 * that do not parse are kept as {@link #syntaxErrors()}; the rest are indexed by address.
 */
final class TerraformModule {
  /** One block: where it is declared and its body (an object of arguments and nested blocks). */
  record Block(String file, String address, JsonNode body) {}

  final Path dir;
  final Map<String, String> texts;
  final List<String> syntaxErrors = new ArrayList<>();
  final List<String> duplicates = new ArrayList<>();

  /** {@code TYPE.NAME} of each managed resource. */
  final Map<String, Block> resources = new TreeMap<>();

  /** {@code TYPE.NAME} of each data source. */
  final Map<String, Block> dataSources = new TreeMap<>();

  final Map<String, Block> variables = new TreeMap<>();

  /** Each local's expression, wrapped as a body {@code {"value": ...}}. */
  final Map<String, Block> locals = new TreeMap<>();

  final Map<String, Block> outputs = new TreeMap<>();
  final List<Block> providers = new ArrayList<>();
  final List<Block> terraformBlocks = new ArrayList<>();
  final List<Block> others = new ArrayList<>();

  private TerraformModule(Path dir, Map<String, String> texts) {
    this.dir = dir;
    this.texts = texts;
    HclParser.parse(texts)
        .forEach(
            (file, result) -> {
              if (result.error() != null) {
                syntaxErrors.add(file + ": " + result.error());
              } else {
                index(file, result.json());
              }
            });
  }

  /** Every {@code *.tf} file directly in {@code dir} (Terraform does not read sub-directories). */
  static TerraformModule read(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      Map<String, String> texts = new TreeMap<>();
      for (Path file : files.filter(f -> f.toString().endsWith(".tf")).toList()) {
        texts.put(file.getFileName().toString(), Files.readString(file));
      }
      return new TerraformModule(dir, texts);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The module in {@code dir} with these file texts instead of the ones on disk. */
  static TerraformModule of(Path dir, Map<String, String> texts) {
    return new TerraformModule(dir, new TreeMap<>(texts));
  }

  private void index(String file, JsonNode json) {
    for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> top = it.next();
      JsonNode value = top.getValue();
      switch (top.getKey()) {
        case "resource" -> typed(file, "", value, resources);
        case "data" -> typed(file, "data.", value, dataSources);
        case "variable" -> named(file, "var.", value, variables);
        case "output" -> named(file, "output.", value, outputs);
        case "locals" -> {
          for (JsonNode body : value) {
            body.fields()
                .forEachRemaining(
                    local ->
                        put(
                            locals,
                            local.getKey(),
                            new Block(
                                file,
                                "local." + local.getKey(),
                                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                                    .objectNode()
                                    .set("value", local.getValue()))));
          }
        }
        case "provider" ->
            value
                .fields()
                .forEachRemaining(
                    p -> p.getValue().forEach(b -> providers.add(new Block(file, p.getKey(), b))));
        case "terraform" ->
            value.forEach(b -> terraformBlocks.add(new Block(file, "terraform", b)));
        default -> others.add(new Block(file, top.getKey(), value));
      }
    }
  }

  private void typed(String file, String prefix, JsonNode byType, Map<String, Block> into) {
    byType
        .fields()
        .forEachRemaining(
            type ->
                type.getValue()
                    .fields()
                    .forEachRemaining(
                        name ->
                            name.getValue()
                                .forEach(
                                    body -> {
                                      String key = type.getKey() + "." + name.getKey();
                                      put(into, key, new Block(file, prefix + key, body));
                                    })));
  }

  private void named(String file, String prefix, JsonNode byName, Map<String, Block> into) {
    byName
        .fields()
        .forEachRemaining(
            name ->
                name.getValue()
                    .forEach(
                        body ->
                            put(
                                into,
                                name.getKey(),
                                new Block(file, prefix + name.getKey(), body))));
  }

  private void put(Map<String, Block> into, String key, Block block) {
    Block before = into.putIfAbsent(key, block);
    if (before != null) {
      duplicates.add(
          block.file() + ": " + block.address() + " is already declared in " + before.file());
    }
  }

  List<String> syntaxErrors() {
    return syntaxErrors;
  }

  /** Every block of the module in declaration-independent order, for walks over all of them. */
  Map<String, Block> allBlocks() {
    Map<String, Block> all = new LinkedHashMap<>();
    resources.values().forEach(b -> all.put(b.address(), b));
    dataSources.values().forEach(b -> all.put(b.address(), b));
    variables.values().forEach(b -> all.put(b.address(), b));
    locals.values().forEach(b -> all.put(b.address(), b));
    outputs.values().forEach(b -> all.put(b.address(), b));
    for (int i = 0; i < providers.size(); i++) {
      all.put("provider." + providers.get(i).address() + "#" + i, providers.get(i));
    }
    for (int i = 0; i < terraformBlocks.size(); i++) {
      all.put("terraform#" + i, terraformBlocks.get(i));
    }
    return all;
  }
}
