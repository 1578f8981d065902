/**
 * subgraphs/products: the catalog — Product, Category, Seller. Owns Query.product, Query.products,
 * Query.seller and the catalog's own fields. Reads the catalog and geography sources.
 */
import { buildFederatedSubgraph, type SubgraphDefinition } from '../common';
import { productReference } from './product.reference';
import { ProductResolver } from './product.resolver';
import { sellerReference } from './seller.reference';
import { SellerResolver } from './seller.resolver';

export function buildProductsSubgraph(): Promise<SubgraphDefinition> {
  return buildFederatedSubgraph('products', [ProductResolver, SellerResolver], {
    Product: productReference,
    Seller: sellerReference,
  });
}
