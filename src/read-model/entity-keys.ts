import { canSee, type EntityName } from './row-scope';
import type { RequestReads } from './request-reads';

/** Keys of entities another subgraph owns, as a subgraph that only extends them hands them out. */
export function entityKeysView({ loaders, principal }: RequestReads) {
  return {
    /** The entity's key when the caller may reach it; null otherwise, exactly as for an unknown key. */
    async entityKey(typeName: EntityName, id: string): Promise<{ id: string } | null> {
      return (await canSee(principal, loaders, typeName, id)) ? { id } : null;
    },
  };
}

export type EntityKeysView = ReturnType<typeof entityKeysView>;
