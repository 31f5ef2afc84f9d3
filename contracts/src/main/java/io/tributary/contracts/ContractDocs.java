package io.tributary.contracts;

/**
 * Renders a contract as the Markdown table the README shows, so a test can hold the README to the
 * schema files.
 */
public final class ContractDocs {
  private ContractDocs() {}

  /** A Markdown table of the contract's fields: name, rules, description. */
  public static String markdownTable(Contract contract) {
    StringBuilder md = new StringBuilder();
    md.append("| field | rules | notes |\n|---|---|---|\n");
    for (Field field : contract.fields()) {
      md.append("| `")
          .append(field.name())
          .append(field.name().equals(contract.keyField()) ? "` (key)" : "`")
          .append(" | ")
          .append(field.describeRules().replace("|", "\\|"))
          .append(" | ")
          .append(field.description())
          .append(" |\n");
    }
    return md.toString();
  }
}
