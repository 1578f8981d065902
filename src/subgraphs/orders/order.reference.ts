import { orderView, type OrderView } from '../../fusion';
import type { SubgraphContext } from '../common';

export const orderReference = {
  async __resolveReference(reference: { id: string }, ctx: SubgraphContext): Promise<OrderView | null> {
    const record = await ctx.loaders.orderById.load(reference.id);
    return record ? orderView(record) : null;
  },
};
