package io.tributary.pipelines;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ./tributary init}: creates every table of the chosen datasets (bronze, quarantine, silver
 * with the change data feed on, gold) with its schema and properties, without reading Kafka. Safe
 * to repeat: existing tables are kept, and get new nullable columns and missing properties; a table
 * whose columns conflict is reported. {@code run} creates what is missing the same way. Exit
 * status: 0 done, 2 bad options or a conflicting table.
 */
public final class Init {
  private Init() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (Arrays.asList(args).contains("--help")) {
      out.println(
          "Usage: ./tributary init --lakehouse=DIR [--dataset=NAME[,NAME...]|all] [--format=delta|parquet]");
      out.println("Creates every table of the datasets (default: all); safe to repeat.");
      return 0;
    }
    List<String> withDefaults = new ArrayList<>(Arrays.asList(args));
    if (withDefaults.stream().noneMatch(arg -> arg.startsWith("--dataset="))) {
      withDefaults.add("--dataset=all");
    }
    try {
      RunConfig config = RunConfig.from(withDefaults.toArray(String[]::new), false);
      for (String dataset : config.datasets()) {
        DatasetTables.of(config.lakehouse(), dataset)
            .createAll(config.lakehouse(), config.settings().gold(), config.options());
      }
      out.printf(
          "init: the tables of %s are ready in %s (%s)%n",
          String.join(", ", config.datasets()),
          config.lakehouse().root(),
          config.lakehouse().format().name().toLowerCase(java.util.Locale.ROOT));
      return 0;
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("init: " + e.getMessage());
      return 2;
    }
  }
}
