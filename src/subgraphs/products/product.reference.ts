import type { ProductView } from '../../fusion';
import type { SubgraphContext } from '../common';

export const productReference = {
  async __resolveReference(reference: { id: string }, ctx: SubgraphContext): Promise<ProductView | null> {
    return ctx.data.product(reference.id);
  },
};
