import { cityNameRule, stateCodeRule, zipPrefixRule } from '../rules';

/** An account as any channel holds it: its system, its id, and whatever identifying attributes it has. */
export interface AccountRef {
  system: string;
  accountId: string;
  /** A shared person key, when the channel has one (the CRM's customer_unique_id). */
  personKey?: string;
  zipPrefix?: string;
  city?: string;
  state?: string;
}

/** Why an account belongs to a person: the matcher's rule and its confidence (0..1). */
export interface IdentityLink {
  system: string;
  accountId: string;
  personId: string;
  rule: string;
  confidence: number;
}

/** Finds the person an account belongs to among the people already known, or answers null. */
export interface IdentityMatcher {
  rule: string;
  confidence: number;
  /** Called once per known person account, to index what `match` will look up. */
  index(account: AccountRef, personId: string): void;
  match(account: AccountRef): string | null;
}

/** Same shared key, same person: the CRM's customer_unique_id. Certain. */
export function exactKeyMatcher(rule = 'exact:customer_unique_id'): IdentityMatcher {
  return {
    rule,
    confidence: 1,
    index: () => undefined,
    match: (account) => account.personKey ?? null,
  };
}

/** The normalised address key of an account, or null if any part is missing or invalid. */
export function addressKey(account: AccountRef): string | null {
  if (!account.zipPrefix || !account.city || !account.state) return null;
  const state = stateCodeRule.apply(account.state, undefined).value;
  const zip = zipPrefixRule.apply(account.zipPrefix, undefined).value;
  const city = cityNameRule.apply(account.city, { state }).value;
  return state && zip && city ? `${zip}|${city}|${state}` : null;
}

/**
 * For a channel with no shared key: zip prefix + city + state, each normalised by the cleaning rules,
 * link to a person only when exactly one known person lives at that key (a shared key is ambiguous).
 */
export function addressMatcher(confidence = 0.6, rule = 'attribute:zip_prefix+city+state'): IdentityMatcher {
  const personsByKey = new Map<string, Set<string>>();
  return {
    rule,
    confidence,
    index(account, personId) {
      const key = addressKey(account);
      if (key === null) return;
      const persons = personsByKey.get(key) ?? new Set<string>();
      persons.add(personId);
      personsByKey.set(key, persons);
    },
    match(account) {
      const key = addressKey(account);
      const persons = key === null ? undefined : personsByKey.get(key);
      return persons && persons.size === 1 ? persons.values().next().value! : null;
    },
  };
}
