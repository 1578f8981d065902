import type { SourceLoaders } from '../sources';

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
