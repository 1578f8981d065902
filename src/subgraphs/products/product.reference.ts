import { productView, type ProductView } from '../../fusion';
import type { SubgraphContext } from '../common';

export const productReference = {
  async __resolveReference(reference: { id: string }, ctx: SubgraphContext): Promise<ProductView | null> {
    const record = await ctx.loaders.productById.load(reference.id);
    return record ? productView(record, ctx.categories) : null;
  },
};
