import { sellerView, type SellerView } from '../../fusion';
import type { SubgraphContext } from '../common';

export const sellerReference = {
  async __resolveReference(reference: { id: string }, ctx: SubgraphContext): Promise<SellerView | null> {
    const record = await ctx.loaders.sellerById.load(reference.id);
    return record ? sellerView(record) : null;
  },
};
