import type { AccountRef, IdentityLink, IdentityMatcher } from './matchers';

/**
 * The identity graph: people, the accounts they hold in every channel, and for each account the
 * link (rule + confidence) that put it there. Matchers are tried in order; an account no matcher
 * places starts a person of its own. Adding a channel means adding accounts (and, if it has no
 * shared key, a matcher) — the graph's shape does not change.
 */
export class IdentityGraph {
  private readonly links = new Map<string, IdentityLink>();
  private readonly accountsByPerson = new Map<string, IdentityLink[]>();

  constructor(private readonly matchers: readonly IdentityMatcher[]) {}

  /** Places an account and returns its link. */
  add(account: AccountRef): IdentityLink {
    const id = accountKey(account);
    const existing = this.links.get(id);
    if (existing) return existing;
    let link: IdentityLink | undefined;
    for (const matcher of this.matchers) {
      const personId = matcher.match(account);
      if (personId !== null) {
        link = { system: account.system, accountId: account.accountId, personId, rule: matcher.rule, confidence: matcher.confidence };
        break;
      }
    }
    link ??= { system: account.system, accountId: account.accountId, personId: account.accountId, rule: 'new-person', confidence: 1 };
    for (const matcher of this.matchers) matcher.index(account, link.personId);
    this.links.set(id, link);
    const accounts = this.accountsByPerson.get(link.personId) ?? [];
    accounts.push(link);
    this.accountsByPerson.set(link.personId, accounts);
    return link;
  }

  linkOf(system: string, accountId: string): IdentityLink | undefined {
    return this.links.get(`${system}:${accountId}`);
  }

  accountsOf(personId: string): readonly IdentityLink[] {
    return this.accountsByPerson.get(personId) ?? [];
  }

  get personCount(): number {
    return this.accountsByPerson.size;
  }

  get accountCount(): number {
    return this.links.size;
  }
}

function accountKey(account: AccountRef): string {
  return `${account.system}:${account.accountId}`;
}
