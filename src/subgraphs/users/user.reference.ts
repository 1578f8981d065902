import type { SubgraphContext } from '../common';
import type { User } from './user.type';

/** Resolves a User reference from another subgraph: the person exists if the CRM has an account for them. */
export const userReference = {
  async __resolveReference(reference: { id: string }, ctx: SubgraphContext): Promise<User | null> {
    return ctx.data.personById(reference.id);
  },
};
