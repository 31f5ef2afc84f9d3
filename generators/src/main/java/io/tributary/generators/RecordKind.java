package io.tributary.generators;

/** What a generated record is, as counted in the summary. */
public enum RecordKind {
  /** A valid event, sent once. */
  VALID,
  /** Not JSON, truncated JSON, or not UTF-8: fails at the pipeline's parse stage. */
  MALFORMED,
  /** Well-formed JSON that breaks a contract rule: fails at the pipeline's validate stage. */
  INVALID,
  /** A byte-identical re-send of an earlier valid event. */
  DUPLICATE
}
