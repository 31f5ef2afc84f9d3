package io.tributary.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * HashiCorp's HCL v2 parser, as compiled to WebAssembly in the npm package {@code @cdktf/hcl2json}
 * (pinned in src/test/hcl2json/package-lock.json, installed by the build with {@code npm ci}), run
 * with node. Strict like {@code terraform validate}'s parse step: an unclosed block or a dangling
 * {@code =} is an error. Output shape: every block is a list of bodies, expressions stay as {@code
 * "${...}"} strings.
 */
final class HclParser {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, Result> CACHE = new ConcurrentHashMap<>();

  /** One file's outcome: its JSON form, or the parser's error message. */
  record Result(JsonNode json, String error) {}

  private HclParser() {}

  /** Parses each file (name to text); identical texts are parsed once. */
  static Map<String, Result> parse(Map<String, String> files) {
    Map<String, String> missing = new LinkedHashMap<>();
    files.forEach(
        (name, text) -> {
          if (!CACHE.containsKey(name + "\n" + text)) {
            missing.put(name, text);
          }
        });
    if (!missing.isEmpty()) {
      JsonNode parsed = runNode(missing);
      missing.forEach(
          (name, text) -> {
            JsonNode one = parsed.get(name);
            CACHE.put(
                name + "\n" + text,
                one.has("error")
                    ? new Result(null, one.get("error").asText())
                    : new Result(one.get("json"), null));
          });
    }
    Map<String, Result> results = new LinkedHashMap<>();
    files.forEach((name, text) -> results.put(name, CACHE.get(name + "\n" + text)));
    return results;
  }

  private static Process node;
  private static BufferedReader answers;

  /** One request to the node process, started at first use and ended when the JVM exits. */
  private static synchronized JsonNode runNode(Map<String, String> files) {
    ObjectNode request = JSON.createObjectNode();
    files.forEach(request::put);
    try {
      if (node == null) {
        node = start();
        answers =
            new BufferedReader(
                new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
      }
      OutputStream stdin = node.getOutputStream();
      stdin.write(JSON.writeValueAsBytes(request));
      stdin.write('\n');
      stdin.flush();
      String answer = answers.readLine();
      if (answer == null) {
        throw new IllegalStateException(
            "node parse.js ended without answering (its errors are above)");
      }
      return JSON.readTree(answer);
    } catch (IOException e) {
      throw new IllegalStateException("could not talk to node parse.js: " + e.getMessage(), e);
    }
  }

  private static Process start() throws IOException {
    Path dir = Path.of(System.getProperty("hcl2json.dir", "target/hcl2json"));
    if (!Files.isDirectory(dir.resolve("node_modules/@cdktf/hcl2json"))) {
      throw new IllegalStateException(
          "the HCL parser is not installed in "
              + dir.toAbsolutePath()
              + ": run the tests through Maven (mvn -B -pl terraform verify), which runs npm ci"
              + " there; node 20 and npm must be on the PATH");
    }
    Process started;
    try {
      started =
          new ProcessBuilder("node", "parse.js")
              .directory(dir.toFile())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "could not start node (node 20 must be on the PATH): " + e.getMessage(), e);
    }
    // Closing its stdin ends it; destroy() in case it hangs.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    started.getOutputStream().close();
                    if (!started.waitFor(5, TimeUnit.SECONDS)) {
                      started.destroyForcibly();
                    }
                  } catch (IOException | InterruptedException e) {
                    started.destroyForcibly();
                  }
                }));
    return started;
  }
}
