import type { OrderView } from '../../fusion';
import type { SubgraphContext } from '../common';

export const orderReference = {
  async __resolveReference(reference: { id: string }, ctx: SubgraphContext): Promise<OrderView | null> {
    return ctx.data.order(reference.id);
  },
};
