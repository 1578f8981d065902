import type { SellerView } from '../../fusion';
import type { SubgraphContext } from '../common';

export const sellerReference = {
  async __resolveReference(reference: { id: string }, ctx: SubgraphContext): Promise<SellerView | null> {
    return ctx.data.seller(reference.id);
  },
};
