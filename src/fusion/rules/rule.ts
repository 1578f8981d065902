/**
 * A cleaning rule: a named, documented, pure function applied when a source record enters the graph.
 * It returns the clean value and, when the input was wrong or suspicious, a flag saying why.
 */
export interface RuleOutcome<T> {
  value: T;
  /** True when the clean value differs from the raw one (provenance lists the rule then). */
  changed: boolean;
  /** Set when the record needs attention; counted per rule in the reconciliation report. */
  flag?: string;
}

export interface CleaningRule<I, O, C = undefined> {
  name: string;
  description: string;
  examples: { input: string; output: string }[];
  apply(input: I, context: C): RuleOutcome<O>;
}

/** A rule's finding on one field of one record, as the graph shows it. */
export interface DataFlag {
  rule: string;
  field: string;
  message: string;
}
