import type { CleaningRule, DataFlag } from './rules';

/**
 * Where an entity's values came from: the source system, the record, the raw record itself
 * (kept by reference, not copied), the rules that changed each field and the flags raised.
 * Built as the record enters the graph; turned into provenance only when a client asks.
 */
export interface Trace {
  source: string;
  record: string;
  raw: object;
  changes: Record<string, string[]>;
  flags: DataFlag[];
}

export class TraceBuilder {
  private readonly trace: Trace;

  constructor(source: string, record: string, raw: object) {
    this.trace = { source, record, raw, changes: {}, flags: [] };
  }

  /** Applies `rule` to one field's raw input, noting a change or a flag, and returns the clean value. */
  clean<I, O, C>(field: string, rule: CleaningRule<I, O, C>, input: I, context: C): O {
    const outcome = rule.apply(input, context);
    if (outcome.changed) (this.trace.changes[field] ??= []).push(rule.name);
    if (outcome.flag !== undefined) this.trace.flags.push({ rule: rule.name, field, message: outcome.flag });
    return outcome.value;
  }

  build(): Trace {
    return this.trace;
  }
}
