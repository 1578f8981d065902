import type { SourceLoaders } from '../../sources';

/**
 * Identity resolution: a person (customer_unique_id) owns one CRM account per order (customer_id).
 * Every subgraph asks here, so the mapping has one owner whichever deployment runs.
 */
export async function personIdOfAccount(loaders: SourceLoaders, customerId: string): Promise<string | null> {
  const account = await loaders.accountById.load(customerId);
  return account?.customerUniqueId ?? null;
}

export async function accountIdsOfPerson(loaders: SourceLoaders, personId: string): Promise<string[]> {
  const accounts = await loaders.accountsByPersonId.load(personId);
  return accounts.map((account) => account.customerId);
}

/** Accepts a person id or any of its account ids and answers the person id, or null if unknown. */
export async function resolvePersonId(loaders: SourceLoaders, id: string): Promise<string | null> {
  const [asPerson, asAccount] = await Promise.all([loaders.accountsByPersonId.load(id), loaders.accountById.load(id)]);
  if (asPerson.length > 0) return id;
  return asAccount?.customerUniqueId ?? null;
}

/** The link the CRM's own key gives every CRM account: the person is customer_unique_id, with certainty. */
export const CRM_IDENTITY_RULE = 'exact:customer_unique_id';

/** The identity rules, described like the cleaning rules. */
export const IDENTITY_RULES = [
  {
    name: CRM_IDENTITY_RULE,
    description: 'A CRM account belongs to the person named by its customer_unique_id (confidence 1).',
    examples: [{ input: 'customer_id 06b8…, customer_unique_id 861e…', output: 'account of person 861e…' }],
  },
  {
    name: 'attribute:zip_prefix+city+state',
    description:
      'For a channel without a shared key: the normalised zip prefix + city + state, linked only when exactly one ' +
      'known person has that address (confidence 0.6); otherwise the account starts a person of its own.',
    examples: [{ input: 'store account at 01037 / São Paulo / sp', output: 'the one CRM person at 01037|sao paulo|SP' }],
  },
] as const;
