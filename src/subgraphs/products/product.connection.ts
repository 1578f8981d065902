import { ConnectionType } from '../common';
import { Product } from './product.type';

export const ProductConnection = ConnectionType('Product', Product);
