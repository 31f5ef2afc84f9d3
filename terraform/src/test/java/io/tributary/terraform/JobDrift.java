package io.tributary.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.terraform.TerraformModule.Block;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares the {@code databricks_job} Terraform creates with runner-profiles/databricks/job.json (a
 * Jobs API payload). The Terraform side is evaluated as far as it comes from job.json: the local
 * that {@code jsondecode(templatefile(...job.json...))}s it, {@code one(...)}, traversals into it
 * and {@code dynamic} blocks over its lists. Every field of job.json must arrive in the resource
 * through such references (a literal written again in Terraform is a second copy), and the resource
 * may add nothing job.json lacks except the deployment's notifications.
 */
final class JobDrift {
  /** Fields only the deployment knows: who is told about failures and slow runs. */
  static final Set<String> TERRAFORM_ONLY =
      Set.of("email_notifications", "webhook_notifications", "health", "notification_settings");

  /** Jobs API list fields and the provider's repeated block that holds one element each. */
  private static final Map<String, String> API_TO_BLOCK =
      Map.of("tasks", "task", "libraries", "library", "job_clusters", "job_cluster");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z_]+)}");
  private static final Pattern TEMPLATE_KEY = Pattern.compile("\\b([A-Z][A-Z0-9_]*)\\s*=");
  private static final Pattern TRAVERSAL =
      Pattern.compile("[A-Za-z_][\\w-]*(\\.[A-Za-z_][\\w-]*|\\[\\d+])*");

  /** A value of the evaluated resource. */
  private sealed interface Value {}

  /** Taken from job.json. */
  private record FromJob(JsonNode node) implements Value {}

  /** Written in Terraform itself. */
  private record Literal(JsonNode node) implements Value {}

  /** An expression not derived from job.json. */
  private record Opaque(String expression) implements Value {}

  private record Obj(Map<String, Value> fields) implements Value {}

  private record Lst(List<Value> items) implements Value {}

  private final TerraformModule module;
  private final String jobFile;
  private final String jobText;
  private final JsonNode job;
  private final List<String> problems = new ArrayList<>();
  private String where = "";

  private JobDrift(TerraformModule module, String jobFile, String jobText, JsonNode job) {
    this.module = module;
    this.jobFile = jobFile;
    this.jobText = jobText;
    this.job = job;
  }

  /**
   * @param jobFile job.json's path as the Terraform names it after {@code ${path.module}/}
   */
  static List<String> check(TerraformModule module, String jobFile, String jobText, JsonNode job) {
    JobDrift drift = new JobDrift(module, jobFile, jobText, job);
    drift.run();
    return drift.problems;
  }

  private void run() {
    String definition = jobDefinitionLocal();
    if (definition == null) {
      problems.add(
          "no local reads "
              + jobFile
              + " with jsondecode(templatefile(...)): the job has two definitions");
      return;
    }
    checkTemplateValues(module.locals.get(definition));
    List<Block> jobs =
        module.resources.values().stream()
            .filter(b -> b.address().startsWith("databricks_job."))
            .toList();
    if (jobs.isEmpty()) {
      problems.add("no databricks_job resource");
    }
    for (Block block : jobs) {
      where = block.file() + ": " + block.address();
      Value actual = evaluateBody(block.body(), Map.of());
      compare("", job, actual, true);
    }
  }

  private String jobDefinitionLocal() {
    for (Map.Entry<String, Block> local : module.locals.entrySet()) {
      String expression = local.getValue().body().get("value").asText("");
      if (expression.contains("templatefile(") && expression.contains("/" + jobFile + "\"")) {
        return local.getKey();
      }
    }
    return null;
  }

  private void checkTemplateValues(Block local) {
    String expression = local.body().get("value").asText();
    String arguments = expression.substring(expression.indexOf("templatefile("));
    // The values object follows the file name (whose own "${path.module}" has a brace too).
    int open = arguments.indexOf('{', arguments.indexOf(jobFile + "\""));
    Set<String> given = new TreeSet<>();
    if (open >= 0) {
      Matcher keys =
          TEMPLATE_KEY.matcher(arguments.substring(open, Expressions.matchBrace(arguments, open)));
      while (keys.find()) {
        given.add(keys.group(1));
      }
    }
    Set<String> placeholders = new TreeSet<>();
    Matcher m = PLACEHOLDER.matcher(jobText);
    while (m.find()) {
      placeholders.add(m.group(1));
    }
    String at = local.file() + ": " + local.address();
    for (String p : placeholders) {
      if (!given.contains(p)) {
        problems.add(at + ": templatefile gives no value for ${" + p + "} of " + jobFile);
      }
    }
    for (String g : given) {
      if (!placeholders.contains(g)) {
        problems.add(at + ": templatefile gives " + g + ", which " + jobFile + " does not use");
      }
    }
  }

  private Value evaluateBody(JsonNode body, Map<String, JsonNode> iterators) {
    Map<String, Value> fields = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (ConfigurationChecker.META_ARGUMENTS.contains(field.getKey())) {
        continue;
      }
      if (field.getKey().equals("dynamic")) {
        field
            .getValue()
            .fields()
            .forEachRemaining(
                dynamic -> {
                  JsonNode instance = dynamic.getValue().get(0);
                  Value forEach = evaluate(instance.path("for_each"), iterators);
                  if (!(forEach instanceof FromJob list) || !list.node().isArray()) {
                    fields.put(
                        dynamic.getKey(),
                        new Opaque(
                            "dynamic \""
                                + dynamic.getKey()
                                + "\" over "
                                + instance.path("for_each")));
                    return;
                  }
                  List<Value> items = new ArrayList<>();
                  for (JsonNode element : list.node()) {
                    Map<String, JsonNode> scope = new HashMap<>(iterators);
                    scope.put(dynamic.getKey(), element);
                    items.add(evaluateBody(instance.path("content").get(0), scope));
                  }
                  fields.put(dynamic.getKey(), new Lst(items));
                });
      } else if (field.getValue().isArray()
          && field.getValue().size() > 0
          && field.getValue().get(0).isObject()) {
        List<Value> blocks = new ArrayList<>();
        field.getValue().forEach(b -> blocks.add(evaluateBody(b, iterators)));
        fields.put(field.getKey(), new Lst(blocks));
      } else {
        fields.put(field.getKey(), evaluate(field.getValue(), iterators));
      }
    }
    return new Obj(fields);
  }

  private Value evaluate(JsonNode node, Map<String, JsonNode> iterators) {
    if (!node.isTextual() || !node.asText().contains("${")) {
      return new Literal(node);
    }
    String text = node.asText();
    if (!text.startsWith("${") || Expressions.matchBrace(text, 1) != text.length() - 1) {
      return new Opaque(text);
    }
    JsonNode value = resolve(text.substring(2, text.length() - 1).trim(), iterators, 0);
    return value == null ? new Opaque(text) : new FromJob(value);
  }

  /** The job.json value an expression denotes, or null when it is not taken from job.json. */
  private JsonNode resolve(String expression, Map<String, JsonNode> iterators, int depth) {
    if (depth > 10) {
      return null;
    }
    if (expression.startsWith("one(") && expression.endsWith(")")) {
      JsonNode list =
          resolve(expression.substring(4, expression.length() - 1).trim(), iterators, depth + 1);
      return list != null && list.isArray() && list.size() == 1 ? list.get(0) : null;
    }
    if (expression.startsWith("jsondecode(templatefile(")
        && expression.contains("/" + jobFile + "\"")) {
      return job;
    }
    if (!TRAVERSAL.matcher(expression).matches()) {
      return null;
    }
    List<String> steps = new ArrayList<>(List.of(expression.replace("[", ".[").split("\\.")));
    String root = steps.remove(0);
    JsonNode current;
    if (root.equals("local") && !steps.isEmpty()) {
      Block local = module.locals.get(steps.remove(0));
      if (local == null) {
        return null;
      }
      String inner = local.body().get("value").asText("");
      if (!inner.startsWith("${")) {
        return null;
      }
      current = resolve(inner.substring(2, inner.length() - 1).trim(), iterators, depth + 1);
    } else if (iterators.containsKey(root) && !steps.isEmpty() && steps.get(0).equals("value")) {
      steps.remove(0);
      current = iterators.get(root);
    } else {
      return null;
    }
    for (String step : steps) {
      if (current == null) {
        return null;
      }
      current =
          step.startsWith("[")
              ? current.get(Integer.parseInt(step.substring(1, step.length() - 1)))
              : current.get(step);
    }
    return current;
  }

  private void compare(String path, JsonNode expected, Value actual, boolean top) {
    String at = path.isEmpty() ? "the job" : path;
    if (actual instanceof FromJob fromJob) {
      if (!fromJob.node().equals(expected)) {
        problems.add(
            where
                + ": "
                + at
                + " is taken from job.json at another place ("
                + fromJob.node()
                + " instead of "
                + expected
                + ")");
      }
      return;
    }
    if (actual instanceof Literal literal) {
      problems.add(
          where
              + ": "
              + at
              + " is written in Terraform ("
              + literal.node()
              + ") instead of taken from job.json ("
              + expected
              + "): a second copy of the job definition");
      return;
    }
    if (actual instanceof Opaque opaque) {
      problems.add(
          where
              + ": "
              + at
              + " is set to "
              + opaque.expression()
              + ", not taken from job.json ("
              + expected
              + ")");
      return;
    }
    if (expected.isObject()) {
      if (actual instanceof Lst list && list.items().size() == 1) {
        actual = list.items().get(0);
      }
      if (!(actual instanceof Obj obj)) {
        problems.add(where + ": " + at + " should be a block with job.json's fields");
        return;
      }
      Set<String> seen = new TreeSet<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String name = API_TO_BLOCK.getOrDefault(field.getKey(), field.getKey());
        seen.add(name);
        String next = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        Value value = obj.fields().get(name);
        if (value == null) {
          problems.add(
              where
                  + ": job.json's "
                  + next
                  + " is not set by Terraform (map it from local job definition)");
        } else {
          compare(next, field.getValue(), value, false);
        }
      }
      for (String name : obj.fields().keySet()) {
        if (!seen.contains(name) && !(top && TERRAFORM_ONLY.contains(name))) {
          problems.add(
              where
                  + ": Terraform sets "
                  + (path.isEmpty() ? "" : path + ".")
                  + name
                  + ", which job.json does not have: add it to job.json, the job's one definition");
        }
      }
      return;
    }
    if (expected.isArray()) {
      if (!(actual instanceof Lst list) || list.items().size() != expected.size()) {
        problems.add(
            where + ": " + at + " should have job.json's " + expected.size() + " element(s)");
        return;
      }
      for (int i = 0; i < expected.size(); i++) {
        compare(path + "[" + i + "]", expected.get(i), list.items().get(i), false);
      }
      return;
    }
    problems.add(where + ": " + at + " should be job.json's " + expected);
  }
}
